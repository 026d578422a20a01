"""wait_for(future, 1) expires: the future is cancelled, its callback runs, then TimeoutError."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(lambda f: log("callback: cancelled", f.cancelled()))
    try:
        await asyncio.wait_for(fut, 1)
    except TimeoutError:
        log("TimeoutError at", round(loop.time() * 1000), "future cancelled", fut.cancelled())
    g = loop.create_future()
    loop.call_later(0.5, g.set_result, "in time")
    log("second", await asyncio.wait_for(g, 1), "at", round(loop.time() * 1000))
