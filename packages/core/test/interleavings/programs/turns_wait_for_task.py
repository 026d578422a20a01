"""Turns: wait_for(task, 5) resumes its caller when the task is done, with a ticker."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child():
        await asyncio.sleep(0)
        log("child returns")
        return "v"

    tk = asyncio.create_task(ticker(6))
    t = asyncio.create_task(child())
    log("wait_for gave", await asyncio.wait_for(t, 5))
    await tk
