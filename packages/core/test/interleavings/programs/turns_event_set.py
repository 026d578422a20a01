"""Turns: waiters woken by Event.set() run one turn later, in order, between a ticker's ticks."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    ev = asyncio.Event()

    async def waiter(name):
        await ev.wait()
        log(name, "woke")

    ws = [asyncio.create_task(waiter(n)) for n in ("a", "b")]
    tk = asyncio.create_task(ticker(5))
    await asyncio.sleep(0)
    log("set")
    ev.set()
    await asyncio.gather(*ws, tk)
