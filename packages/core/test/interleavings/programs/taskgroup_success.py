"""A TaskGroup waits for every child after the body; children run concurrently."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work(name, delay):
        await asyncio.sleep(delay)
        log(name, "done at", round(loop.time() * 1000))
        return name

    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(work("a", 2))
        b = tg.create_task(work("b", 1))
        log("body ends")
    log("results", a.result(), b.result(), "at", round(loop.time() * 1000))
