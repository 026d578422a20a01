"""A task created in main's last step takes its first step before run's shutdown cancels it."""
import asyncio


async def main(log):
    async def child():
        log("child first step")
        try:
            await asyncio.sleep(1)
            log("never")
        finally:
            log("child cleanup")

    await asyncio.sleep(0)
    asyncio.create_task(child())
    log("main returns")
