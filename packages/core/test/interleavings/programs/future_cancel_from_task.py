"""Awaiting a future another task cancels: the awaiter gets CancelledError and is not itself cancelled."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def canceller():
        await asyncio.sleep(0.5)
        log("canceller: cancel", fut.cancel("by canceller"))

    c = asyncio.create_task(canceller())
    try:
        await fut
    except asyncio.CancelledError as e:
        log("main caught", f"[{e}]")
    log("main cancelling()", asyncio.current_task().cancelling(), "canceller done", c.done())
    await c
    log("end at", round(loop.time() * 1000))
