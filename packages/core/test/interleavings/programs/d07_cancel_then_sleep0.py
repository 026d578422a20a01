"""D7: a task cancelled before it started is done after one sleep(0); a second cancel() is False."""
import asyncio


async def main(log):
    t = asyncio.create_task(asyncio.sleep(1))
    log("cancel", t.cancel())
    await asyncio.sleep(0)
    log("done", t.done())
    log("second cancel", t.cancel())
