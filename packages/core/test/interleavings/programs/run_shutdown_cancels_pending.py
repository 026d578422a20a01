"""asyncio.run cancels a task main left sleeping; its cleanup runs before run returns main's result."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def child():
        try:
            await asyncio.sleep(10)
        finally:
            log("child cleanup at", round(loop.time() * 1000))

    asyncio.create_task(child())
    await asyncio.sleep(1)
    log("main returns")
    return "done"
