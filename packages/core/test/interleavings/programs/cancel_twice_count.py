"""Each accepted cancel() is counted by cancelling(); cancel() of a done task returns False."""
import asyncio


async def main(log):
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    log("first", t.cancel(), t.cancelling())
    log("second", t.cancel(), t.cancelling())
    try:
        await t
    except asyncio.CancelledError:
        log("cancelled", t.cancelled())
    log("on done task", t.cancel(), t.cancelling())
