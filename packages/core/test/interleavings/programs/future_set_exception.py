"""set_exception() makes awaiting the future raise; exception() returns the error."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_later(1, fut.set_exception, ValueError("bad"))
    try:
        await fut
    except ValueError as e:
        log("await raised", e, "at", round(loop.time() * 1000))
    log("exception()", type(fut.exception()).__name__)
