"""gather over futures: results in order; with return_exceptions a cancelled future gives CancelledError."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    f1, f2, f3 = loop.create_future(), loop.create_future(), loop.create_future()
    loop.call_soon(f2.set_result, "two")
    loop.call_later(1, f1.set_result, "one")
    loop.call_later(0.5, f3.cancel)
    r = await asyncio.gather(f1, f2, f3, return_exceptions=True)
    log("results", [type(x).__name__ if isinstance(x, BaseException) else x for x in r])
    log("at", round(loop.time() * 1000))
