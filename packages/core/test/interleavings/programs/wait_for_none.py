"""wait_for(x, None) waits as long as it takes."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    log("got", await asyncio.wait_for(asyncio.sleep(100, "late"), None), "at", round(loop.time() * 1000))
