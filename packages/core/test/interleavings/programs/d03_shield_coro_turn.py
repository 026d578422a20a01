"""D3: await shield(coro) returns after the inner task's callback and the outer future's turn."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child():
        log("child runs")
        return "v"

    tk = asyncio.create_task(ticker(6))
    r = await asyncio.shield(child())
    log("shield returned", r)
    await tk
