"""gather of futures: the first set_exception reaches the caller; the other futures stay pending and settable."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    f1, f2, f3 = loop.create_future(), loop.create_future(), loop.create_future()
    loop.call_later(0.5, f1.set_result, 1)
    loop.call_later(1, f2.set_exception, ValueError("f2 failed"))
    try:
        await asyncio.gather(f1, f2, f3)
    except ValueError as e:
        log("gather raised", e, "at", round(loop.time() * 1000))
    log("f1", f1.done(), "f3", f3.done(), f3.cancelled())
    f3.set_result(3)
    log("f3 result", await f3)
