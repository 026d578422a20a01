"""A timer that falls due while a ticker keeps the queue busy wakes its task between ticks."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def sleeper():
        await asyncio.sleep(0)
        log("sleeper woke")

    t = asyncio.create_task(ticker(4))
    s = asyncio.create_task(sleeper())
    await asyncio.sleep(0.001)
    log("main woke")
    await t
    await s
