"""gh-155418 (3.15): an eager child that cancels its group before its first await (before it joined the group) is cancelled; the group does not hang."""
import asyncio

from taskgroup315 import TaskGroup

EAGER = True


async def main(log):
    async def child(tg):
        log("child cancels")
        tg.cancel()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log("child cancelled")
            raise

    async with TaskGroup() as tg:
        t = tg.create_task(child(tg))
        log("created", t.done())
    log("group exited", t.cancelled(), round(asyncio.get_running_loop().time() * 1000))
