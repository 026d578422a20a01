"""Turns: a getter woken by put_nowait() runs one turn later; main's get of a non-empty queue takes the item first."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    q = asyncio.Queue()

    async def getter():
        log("getter got", await q.get())

    g = asyncio.create_task(getter())
    tk = asyncio.create_task(ticker(5))
    await asyncio.sleep(0)
    q.put_nowait("x")
    log("put x")
    q.put_nowait("y")
    log("main got", await q.get())
    await asyncio.gather(g, tk)
