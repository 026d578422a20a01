"""Cancelling the task that awaits a gather cancels every child; the task ends cancelled."""
import asyncio


async def main(log):
    async def child(name):
        try:
            await asyncio.sleep(10)
        finally:
            log(name, "cleanup")

    async def runner():
        return await asyncio.gather(child("a"), child("b"))

    t = asyncio.create_task(runner())
    await asyncio.sleep(1)
    log("cancel", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        log("runner cancelled", t.cancelled())
