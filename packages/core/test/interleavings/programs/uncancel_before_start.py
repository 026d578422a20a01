"""uncancel() back to zero before the task's first step withdraws the request: the body runs."""
import asyncio


async def main(log):
    async def child():
        log("body runs")
        await asyncio.sleep(0)
        return "fine"

    t = asyncio.create_task(child())
    t.cancel()
    log("cancelling", t.cancelling())
    log("uncancel", t.uncancel())
    log("result", await t, "cancelled", t.cancelled())
