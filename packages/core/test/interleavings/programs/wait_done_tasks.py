"""wait() on tasks that are already done still takes turns: their callbacks are scheduled."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    t = asyncio.create_task(asyncio.sleep(0))
    await t
    tk = asyncio.create_task(ticker(5))
    done, pending = await asyncio.wait([t])
    log("wait returned", len(done), len(pending))
    await tk
