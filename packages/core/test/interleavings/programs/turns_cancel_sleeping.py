"""Turns: a task cancelled in its sleep is done two turns later; an awaiter wakes one after that."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child():
        try:
            await asyncio.sleep(10)
        finally:
            log("child cleanup")

    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    tk = asyncio.create_task(ticker(6))
    t.cancel()
    t.add_done_callback(lambda f: log("done callback"))
    log("cancel requested")
    try:
        await t
    except asyncio.CancelledError:
        log("main saw CancelledError")
    await tk
