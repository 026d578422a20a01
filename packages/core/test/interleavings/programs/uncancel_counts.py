"""uncancel() only decrements the count; it never goes below zero."""
import asyncio


async def main(log):
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    log("uncancel on fresh task", t.uncancel())
    t.cancel()
    t.cancel()
    t.cancel()
    log("cancelling", t.cancelling())
    log("uncancel", t.uncancel())
    try:
        await t
    except asyncio.CancelledError:
        log("cancelled anyway", t.cancelled(), t.cancelling())
