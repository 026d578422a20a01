"""ensure_future(future) returns the future itself; wrap_future is not needed for asyncio futures."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    log("same object", asyncio.ensure_future(fut) is fut, asyncio.isfuture(fut))
    loop.call_soon(fut.set_result, "x")
    log("got", await fut)
