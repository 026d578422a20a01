"""result() and exception() raise InvalidStateError while pending; after a failure they give the error."""
import asyncio


async def main(log):
    async def child():
        await asyncio.sleep(0)
        raise ValueError("boom")

    t = asyncio.create_task(child())
    try:
        t.result()
    except asyncio.InvalidStateError as e:
        log("result:", type(e).__name__, e)
    try:
        t.exception()
    except asyncio.InvalidStateError as e:
        log("exception:", type(e).__name__, e)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("done", t.done(), "cancelled", t.cancelled())
    exc = t.exception()
    log("exception()", type(exc).__name__, exc)
    try:
        t.result()
    except ValueError as e:
        log("result() raised", e)
