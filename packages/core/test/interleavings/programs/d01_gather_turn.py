"""D1: await gather(child()) resumes main only after the gather future's callback turn."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child():
        log("child runs")
        return 1

    tk = asyncio.create_task(ticker(6))
    r = await asyncio.gather(child())
    log("gather returned", r)
    await tk
