"""Cancelling the task running a TaskGroup cancels every child; the task ends cancelled."""
import asyncio


async def main(log):
    async def child(name):
        try:
            await asyncio.sleep(5)
        finally:
            log(name, "cleanup")

    async def runner():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("a"))
            tg.create_task(child("b"))
        log("never after group")

    t = asyncio.create_task(runner())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("runner cancelled", t.cancelled())
