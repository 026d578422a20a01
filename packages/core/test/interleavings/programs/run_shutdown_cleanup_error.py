"""An error raised by a task's cleanup while run cancels it is reported to the exception handler."""
import asyncio


async def main(log):
    async def child():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("cleanup raises")
            raise ValueError("in cleanup")

    asyncio.create_task(child())
    await asyncio.sleep(0)
    log("main returns")
