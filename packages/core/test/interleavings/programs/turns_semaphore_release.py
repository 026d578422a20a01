"""Turns: a semaphore waiter woken by release() enters one turn later, between a ticker's ticks."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    sem = asyncio.Semaphore(1)

    async def worker(name):
        async with sem:
            log(name, "in")
            await asyncio.sleep(0)
            log(name, "out")

    ws = [asyncio.create_task(worker(n)) for n in ("a", "b")]
    tk = asyncio.create_task(ticker(6))
    await asyncio.gather(*ws, tk)
