"""tg.cancel() (3.15) from a child: its siblings and the waiting body are cancelled; a sibling's slow cleanup is awaited; the group returns."""
import asyncio

from taskgroup315 import TaskGroup


async def main(log):
    async def canceller(tg):
        await asyncio.sleep(1)
        log("canceller cancels")
        tg.cancel()
        log("canceller goes on")

    async def slow_cleanup():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("cleanup starts")
            await asyncio.sleep(0.5)
            log("cleanup ends")
            raise

    async with TaskGroup() as tg:
        c = tg.create_task(canceller(tg))
        s = tg.create_task(slow_cleanup())
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            log("body cancelled")
            raise
    log("after", c.done(), c.cancelled(), s.cancelled(), round(asyncio.get_running_loop().time() * 1000))
