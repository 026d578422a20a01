"""tg.cancel() (3.15) from the body: the children are cancelled at once, the body at its next await; no CancelledError leaves the group."""
import asyncio

from taskgroup315 import TaskGroup


async def main(log):
    async def child(name, delay):
        try:
            await asyncio.sleep(delay)
            log(name, "done")
        except asyncio.CancelledError:
            log(name, "cancelled at", round(asyncio.get_running_loop().time() * 1000))
            raise

    async with TaskGroup() as tg:
        tg.create_task(child("a", 1))
        tg.create_task(child("b", 5))
        await asyncio.sleep(2)
        log("body cancels", tg)
        tg.cancel()
        log("body goes on", tg, asyncio.current_task().cancelling())
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("body cancelled")
            raise
        log("never")
    log("after the group", asyncio.current_task().cancelling())
    await asyncio.sleep(0)
    log("not cancelled again")
