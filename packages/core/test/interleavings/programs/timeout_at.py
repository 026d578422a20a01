"""timeout_at(when) expires at an absolute loop time."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1)
    try:
        async with asyncio.timeout_at(loop.time() + 2):
            await asyncio.sleep(10)
    except TimeoutError:
        log("TimeoutError at", round(loop.time() * 1000))
