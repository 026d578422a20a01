"""Turns: a TaskGroup child failure cancels the body; the group raises after a ticker's ticks."""
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

    tk = asyncio.create_task(ticker(8))
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(bad())
            try:
                await asyncio.sleep(10)
            finally:
                log("body cancelled")
    except* ValueError:
        log("group raised")
    await tk
