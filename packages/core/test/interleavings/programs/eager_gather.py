"""Eager factory: gather's children run up to their first await inside the gather call."""
import asyncio

EAGER = True


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def child(name):
        log(name, "starts")
        await asyncio.sleep(0)
        log(name, "returns")
        return name

    tk = asyncio.create_task(ticker(5))
    log("gathering")
    log("gathered", await asyncio.gather(child("a"), child("b")))
    await tk
