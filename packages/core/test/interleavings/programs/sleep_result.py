"""sleep(delay, result) returns result; sleep with a negative delay is sleep(0)."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    t = asyncio.create_task(ticker(3))
    log("got", await asyncio.sleep(-1, "neg"))
    log("got", await asyncio.sleep(0, "zero"))
    log("got", await asyncio.sleep(2, "two"), round(loop.time() * 1000))
    await t
