"""wait() accepts futures; FIRST_COMPLETED returns at the first set_result."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    f1, f2 = loop.create_future(), loop.create_future()
    loop.call_later(1, f1.set_result, 1)
    loop.call_later(2, f2.set_result, 2)
    done, pending = await asyncio.wait([f1, f2], return_when=asyncio.FIRST_COMPLETED)
    log("done", [f.result() for f in done], "pending", len(pending), "at", round(loop.time() * 1000))
    await f2
