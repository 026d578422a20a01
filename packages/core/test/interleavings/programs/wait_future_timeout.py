"""wait([futures], timeout): the timeout cancels nothing; a future set later is still awaited normally."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    f1, f2 = loop.create_future(), loop.create_future()
    loop.call_later(0.5, f1.set_result, "a")
    loop.call_later(2, f2.set_result, "b")
    done, pending = await asyncio.wait([f1, f2], timeout=1)
    log("done", len(done), f1 in done, "pending", len(pending), f2 in pending, "at", round(loop.time() * 1000))
    log("f2 cancelled", f2.cancelled())
    done, pending = await asyncio.wait([f1, f2], return_when=asyncio.FIRST_EXCEPTION)
    log("done", len(done), "pending", len(pending), "at", round(loop.time() * 1000))
