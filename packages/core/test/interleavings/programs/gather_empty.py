"""gather() of nothing returns [] without giving up the turn."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    tk = asyncio.create_task(ticker(2))
    log("empty", await asyncio.gather())
    log("still first")
    await tk
