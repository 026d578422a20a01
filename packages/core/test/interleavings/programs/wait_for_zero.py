"""wait_for(x, 0): a done task gives its result; a coroutine never runs and TimeoutError is raised."""
import asyncio


async def main(log):
    async def work():
        log("work ran")
        return 1

    t = asyncio.create_task(work())
    await asyncio.sleep(0)
    log("done task", await asyncio.wait_for(t, 0))
    try:
        await asyncio.wait_for(work(), 0)
    except TimeoutError:
        log("coroutine: TimeoutError")
