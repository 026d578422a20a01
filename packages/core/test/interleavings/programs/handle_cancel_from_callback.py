"""A callback cancels a later callback of the same iteration: the cancelled one is skipped."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    handles = {}

    def first():
        log("first cancels second")
        handles["second"].cancel()

    def second():
        log("second runs")

    loop.call_soon(first)
    handles["second"] = loop.call_soon(second)
    handles["third"] = loop.call_soon(log, "third runs")
    await asyncio.sleep(0)
    log("second cancelled", handles["second"].cancelled(), "third cancelled", handles["third"].cancelled())
    handles["third"].cancel()
    log("third cancelled after it ran", handles["third"].cancelled())
