"""A timeout whose block finishes in time changes nothing; expired() is False and when() is kept."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(2) as cm:
        await asyncio.sleep(1)
        log("when", round(cm.when() * 1000))
    log("expired", cm.expired())
    await asyncio.sleep(2)
    log("end at", round(loop.time() * 1000))
