"""shield() of a task already done returns its result without giving up the turn."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    t = asyncio.create_task(asyncio.sleep(0, "v"))
    await t
    tk = asyncio.create_task(ticker(2))
    log("shield", await asyncio.shield(t))
    log("still first")
    await tk
