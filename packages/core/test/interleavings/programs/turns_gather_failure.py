"""Turns: gather raises a child's error at the gather future's turn, with a ticker."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def bad():
        await asyncio.sleep(0)
        log("bad raises")
        raise ValueError("bad")

    async def slow():
        for i in range(3):
            await asyncio.sleep(0)
        log("slow returns")

    tk = asyncio.create_task(ticker(7))
    try:
        await asyncio.gather(bad(), slow())
    except ValueError:
        log("gather raised")
    await tk
