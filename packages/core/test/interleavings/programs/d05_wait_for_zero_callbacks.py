"""D5: wait_for(task, 0) on a pending task raises TimeoutError after the task's done callbacks."""
import asyncio


async def main(log):
    t = asyncio.create_task(asyncio.sleep(1))
    t.add_done_callback(lambda f: log("t done callback, cancelled", f.cancelled()))
    try:
        await asyncio.wait_for(t, 0)
    except TimeoutError:
        log("TimeoutError")
    log("t cancelled", t.cancelled())
