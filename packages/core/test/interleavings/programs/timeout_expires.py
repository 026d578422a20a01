"""timeout(1) around a longer sleep: the block is cancelled at the deadline, TimeoutError leaves it."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1) as cm:
            try:
                await asyncio.sleep(5)
            finally:
                log("block cleanup at", round(loop.time() * 1000))
    except TimeoutError:
        log("TimeoutError, expired", cm.expired())
    log("end at", round(loop.time() * 1000))
