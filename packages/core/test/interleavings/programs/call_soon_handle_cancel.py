"""A Handle cancelled before its turn never runs; cancelled() tells."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    h1 = loop.call_soon(log, "h1 runs")
    h2 = loop.call_soon(log, "h2 runs")
    h2.cancel()
    log("h1 cancelled", h1.cancelled(), "h2 cancelled", h2.cancelled())
    await asyncio.sleep(0)
    log("after one turn")
