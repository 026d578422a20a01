"""D10: timeout(4) around a TaskGroup whose child sleeps 4: the child is cancelled, never resumes."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def child():
        await asyncio.sleep(4)
        log("child woke")

    try:
        async with asyncio.timeout(4):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child())
    except TimeoutError:
        log("TimeoutError at", round(loop.time() * 1000))
