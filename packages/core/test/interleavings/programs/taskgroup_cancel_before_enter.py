"""tg.cancel() (3.15) before `async with tg`: the group is cancelled on entry, its body at the first await."""
import asyncio

from taskgroup315 import TaskGroup


async def main(log):
    tg = TaskGroup()
    tg.cancel()
    tg.cancel()
    log("before", tg)
    async with tg:
        log("entered", tg, asyncio.current_task().cancelling())
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log("body cancelled")
            raise
    log("after", tg, round(asyncio.get_running_loop().time() * 1000))
    tg.cancel()
    log("cancel after exit does nothing", asyncio.current_task().cancelling())
