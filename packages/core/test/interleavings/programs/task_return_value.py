"""Awaiting a task gives its return value; awaiting it again gives the same value at once."""
import asyncio


async def main(log):
    async def child():
        await asyncio.sleep(1)
        return 42

    t = asyncio.create_task(child())
    log("first", await t)
    log("second", await t)
    log("result", t.result())
    return "main-result"
