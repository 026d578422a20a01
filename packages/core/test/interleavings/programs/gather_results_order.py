"""gather returns results in argument order, whatever order the children finish in."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work(name, delay):
        await asyncio.sleep(delay)
        log(name, "done at", round(loop.time() * 1000))
        return name

    r = await asyncio.gather(work("a", 2), work("b", 1), work("c", 0))
    log("results", r, "at", round(loop.time() * 1000))
