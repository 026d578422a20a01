"""D2: as_completed hands out each result after the turns its done-queue needs, not earlier."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child(name):
        await asyncio.sleep(0)
        log(name, "returns")
        return name

    tk = asyncio.create_task(ticker(8))
    tasks = [asyncio.create_task(child("a")), asyncio.create_task(child("b"))]
    for aw in asyncio.as_completed(tasks):
        log("got", await aw)
    await tk
