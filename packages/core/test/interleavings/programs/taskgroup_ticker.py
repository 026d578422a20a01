"""A TaskGroup's children and body take turns with a ticker; the group exits after the last child."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child(name, turns):
        for i in range(turns):
            await asyncio.sleep(0)
        log(name, "done")

    tk = asyncio.create_task(ticker(8))
    async with asyncio.TaskGroup() as tg:
        tg.create_task(child("a", 2))
        tg.create_task(child("b", 1))
        log("body done")
    log("group exited")
    await tk
