"""call_later with a negative delay and call_at in the past wait for the next iteration, behind call_soon."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    loop.call_later(-1, log, "later(-1)")
    loop.call_at(loop.time() - 5, log, "at(now - 5)")
    loop.call_later(0, log, "later(0)")
    loop.call_soon(log, "soon")
    h = loop.call_later(-2, log, "later(-2)")
    log("when", round(h.when() * 1000))
    await asyncio.sleep(0)
    log("main 1")
    await asyncio.sleep(0)
    log("main 2")
