"""A submission (run_coroutine_threadsafe) whose task fails: the handle is done with its exception at the turn the task's done callback runs; a finished one cannot be cancelled."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def job():
        await asyncio.sleep(1)
        raise ValueError("job failed")

    fut = asyncio.run_coroutine_threadsafe(job(), loop)
    while not fut.done():
        await asyncio.sleep(0.5)
        log("at", round(loop.time() * 1000), fut.done())
    log("exception", repr(fut.exception()), "cancel", fut.cancel(), fut.cancelled())
