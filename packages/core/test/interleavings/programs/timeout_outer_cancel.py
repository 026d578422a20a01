"""A task cancelled from outside inside a timeout block sees CancelledError, not TimeoutError."""
import asyncio


async def main(log):
    async def work():
        try:
            async with asyncio.timeout(5) as cm:
                await asyncio.sleep(10)
        finally:
            log("left block, expired", cm.expired())

    t = asyncio.create_task(work())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("task cancelled", t.cancelled())
