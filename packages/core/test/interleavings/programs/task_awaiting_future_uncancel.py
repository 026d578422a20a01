"""uncancel() after cancel() of a task awaiting a future: the future is already cancelled, so the task ends cancelled."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter():
        await fut

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    log("cancel", w.cancel("m"), "uncancel", w.uncancel(), "future cancelled", fut.cancelled())
    try:
        await w
    except asyncio.CancelledError as e:
        log("waiter cancelled", f"[{e}]", w.cancelled(), "cancelling", w.cancelling())
