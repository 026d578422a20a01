"""cancel() of a task awaiting a future cancels the future at once: a set_result after it raises InvalidStateError."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter():
        await fut

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    log("cancel", w.cancel())
    try:
        fut.set_result(1)
    except asyncio.InvalidStateError:
        log("set_result raised InvalidStateError, future cancelled", fut.cancelled())
    try:
        await w
    except asyncio.CancelledError as e:
        log("waiter cancelled", f"[{e}]", w.cancelled())
