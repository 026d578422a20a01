"""wait() on an event that is already set returns without giving up the turn."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    ev = asyncio.Event()
    ev.set()
    tk = asyncio.create_task(ticker(2))
    log("wait", await ev.wait())
    log("still first")
    await tk
