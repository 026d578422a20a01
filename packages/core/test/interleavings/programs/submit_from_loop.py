"""loop.submit (run_coroutine_threadsafe) from inside the loop: the task is created at the next turn, starts at the one after; the handle is done at the turn its done callback runs."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def job(name, delay):
        log(name, "starts", asyncio.current_task().get_name())
        await asyncio.sleep(delay)
        log(name, "ends")
        return name

    async def ticker():
        for i in range(5):
            log("tick", i)
            await asyncio.sleep(0)

    t = asyncio.create_task(ticker())
    fut = asyncio.run_coroutine_threadsafe(job("a", 0), loop)
    log("submitted", fut.done())
    while not fut.done():
        await asyncio.sleep(0)
        log("main turn", fut.done())
    await t
    log("result", fut.result())
