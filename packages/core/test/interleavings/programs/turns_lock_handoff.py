"""Turns: a lock waiter woken by release() acquires one turn later, with a ticker."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    lock = asyncio.Lock()

    async def waiter():
        async with lock:
            log("waiter holds the lock")

    await lock.acquire()
    w = asyncio.create_task(waiter())
    tk = asyncio.create_task(ticker(5))
    await asyncio.sleep(0)
    lock.release()
    log("released")
    await asyncio.gather(w, tk)
