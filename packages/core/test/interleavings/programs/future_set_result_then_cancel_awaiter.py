"""set_result, then cancel() of the task awaiting the future in the same step: the task ends cancelled anyway."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter():
        log("waiter got", await fut)

    w = asyncio.create_task(waiter())
    w.add_done_callback(lambda t: log("waiter done, cancelled", t.cancelled()))
    await asyncio.sleep(0)
    fut.set_result("r")
    log("cancel waiter", w.cancel("late"), "future cancelled", fut.cancelled())
    try:
        await w
    except asyncio.CancelledError as e:
        log("waiter raised CancelledError", f"[{e}]")
    log("future result", fut.result())
