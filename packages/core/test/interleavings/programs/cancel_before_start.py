"""A task cancelled before its first step ends cancelled without running its body."""
import asyncio


async def main(log):
    async def child():
        log("body ran")

    t = asyncio.create_task(child())
    log("cancel", t.cancel())
    log("done", t.done(), "cancelled", t.cancelled(), "cancelling", t.cancelling())
    await asyncio.sleep(0)
    log("after one turn", t.done(), t.cancelled())
    try:
        await t
    except asyncio.CancelledError:
        log("await raised CancelledError")
