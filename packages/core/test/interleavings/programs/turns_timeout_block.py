"""Turns: a timeout block ending in time resumes the task with no extra turn, with a ticker."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    tk = asyncio.create_task(ticker(5))
    async with asyncio.timeout(10):
        log("in block")
        await asyncio.sleep(0)
        log("block ends")
    log("after block")
    await tk
