"""D15: wait() resumes its caller at the turn its waiter future schedules, not one turn later.

A ticker and a second awaiter of the same task show where wait's caller wakes."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child():
        await asyncio.sleep(0)
        log("child returns")

    async def waiter(t):
        await t
        log("w woke")
        await asyncio.sleep(0)
        log("w one turn later")

    tk = asyncio.create_task(ticker(6))
    t = asyncio.create_task(child())
    w = asyncio.create_task(waiter(t))
    done, pending = await asyncio.wait([t])
    log("wait returned", len(done), len(pending))
    await w
    await tk
