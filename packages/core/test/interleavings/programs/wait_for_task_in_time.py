"""wait_for(task, 5) on a task that finishes in time returns its result; the task is not cancelled."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(asyncio.sleep(1, "r"))
    log("got", await asyncio.wait_for(t, 5), "at", round(loop.time() * 1000), t.cancelled())
