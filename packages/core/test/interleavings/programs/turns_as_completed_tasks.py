"""Turns: as_completed over tasks hands each one out after its done callback, with a ticker."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child(name, turns):
        for i in range(turns):
            await asyncio.sleep(0)
        log(name, "returns")
        return name

    tk = asyncio.create_task(ticker(9))
    ts = [asyncio.create_task(child("a", 2)), asyncio.create_task(child("b", 1))]
    for aw in asyncio.as_completed(ts):
        log("got", await aw)
    await tk
