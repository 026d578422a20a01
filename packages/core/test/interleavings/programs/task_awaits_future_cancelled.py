"""Cancelling a task that awaits a future cancels the future; its callbacks see it cancelled."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(lambda f: log("future callback, cancelled", f.cancelled()))

    async def waiter():
        try:
            await fut
        finally:
            log("waiter cleanup")

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    w.cancel("stop")
    log("after cancel, future cancelled", fut.cancelled())
    try:
        await w
    except asyncio.CancelledError as e:
        log("waiter cancelled", f"[{e}]")
