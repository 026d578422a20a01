"""A future set with an exception: done, not cancelled; result() raises it, exception() returns it."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    log("pending", fut.done(), fut.cancelled())
    try:
        fut.exception()
    except asyncio.InvalidStateError as e:
        log("exception() pending:", e)
    fut.set_exception(ValueError("v"))
    log("failed", fut.done(), fut.cancelled())
    try:
        fut.result()
    except ValueError as e:
        log("result() raised", type(e).__name__, e)
    log("exception()", type(fut.exception()).__name__, fut.exception())
    log("cancel a done future", fut.cancel(), fut.cancelled())
    ok = loop.create_future()
    ok.set_result([1, 2])
    log("ok", ok.result(), ok.exception())
