"""gather of the same task (or coroutine) twice runs it once and gives its result twice."""
import asyncio


async def main(log):
    async def work(name):
        log(name, "runs")
        await asyncio.sleep(0)
        return name

    t = asyncio.create_task(work("task"))
    log("same task", await asyncio.gather(t, t))
    c = work("coro")
    log("same coro", await asyncio.gather(c, c))
