"""Turns: await shield(task) resumes one turn after the task's done callbacks, with a ticker."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child():
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        log("child returns")
        return "v"

    tk = asyncio.create_task(ticker(7))
    t = asyncio.create_task(child())
    log("shield gave", await asyncio.shield(t))
    await tk
