"""as_completed yields results in completion order."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work(name, delay):
        await asyncio.sleep(delay)
        return name

    for aw in asyncio.as_completed([work("a", 3), work("b", 1), work("c", 2)]):
        log("got", await aw, "at", round(loop.time() * 1000))
