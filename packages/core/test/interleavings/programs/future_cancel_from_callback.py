"""A timer callback cancels a future with a message: the awaiting task raises CancelledError with it."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_later(1, fut.cancel, "timer says no")
    fut.add_done_callback(lambda f: log("callback: cancelled", f.cancelled()))
    try:
        await fut
    except asyncio.CancelledError as e:
        log("main caught", f"[{e}]", "at", round(loop.time() * 1000))
    t = asyncio.current_task()
    log("main cancelling()", t.cancelling(), "cancelled future", fut.cancelled())
    await asyncio.sleep(0)
    log("main goes on")
