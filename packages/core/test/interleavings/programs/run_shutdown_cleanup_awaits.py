"""run's shutdown waits for a cancelled task whose cleanup still sleeps."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def child():
        try:
            await asyncio.sleep(10)
        finally:
            log("cleanup starts at", round(loop.time() * 1000))
            await asyncio.sleep(2)
            log("cleanup ends at", round(loop.time() * 1000))

    asyncio.create_task(child())
    await asyncio.sleep(1)
    log("main returns at", round(loop.time() * 1000))
