"""wait_for(coro, 1) cancels the coroutine at the deadline; its cleanup runs, then TimeoutError."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work():
        try:
            await asyncio.sleep(5)
        finally:
            log("work cleanup at", round(loop.time() * 1000))

    try:
        await asyncio.wait_for(work(), 1)
    except TimeoutError:
        log("TimeoutError at", round(loop.time() * 1000))
