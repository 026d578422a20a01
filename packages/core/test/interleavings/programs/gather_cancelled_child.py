"""A child cancelled by someone else makes gather raise CancelledError, or return it with return_exceptions."""
import asyncio


async def main(log):
    async def canceller(t):
        await asyncio.sleep(0.5)
        t.cancel()

    t1 = asyncio.create_task(asyncio.sleep(10))
    asyncio.create_task(canceller(t1))
    try:
        await asyncio.gather(t1, asyncio.sleep(1))
    except asyncio.CancelledError:
        log("gather raised CancelledError", t1.cancelled())
    t2 = asyncio.create_task(asyncio.sleep(10))
    asyncio.create_task(canceller(t2))
    r = await asyncio.gather(t2, asyncio.sleep(1, "slept"), return_exceptions=True)
    log("with return_exceptions", [type(x).__name__ if isinstance(x, BaseException) else x for x in r])
