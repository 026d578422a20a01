"""reschedule() inside the block moves the deadline later; None disables it."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1) as cm:
            cm.reschedule(loop.time() + 3)
            log("when", round(cm.when() * 1000))
            await asyncio.sleep(2)
            log("still inside at", round(loop.time() * 1000))
            await asyncio.sleep(5)
    except TimeoutError:
        log("TimeoutError at", round(loop.time() * 1000))
    async with asyncio.timeout(1) as cm2:
        cm2.reschedule(None)
        await asyncio.sleep(2)
    log("disabled, when", cm2.when(), "at", round(loop.time() * 1000))
