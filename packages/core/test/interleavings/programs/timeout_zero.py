"""timeout(0): the deadline is already due; the block is cancelled at its first await."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    tk = asyncio.create_task(ticker(4))
    try:
        async with asyncio.timeout(0):
            log("inside")
            await asyncio.sleep(0)
            log("never")
    except TimeoutError:
        log("TimeoutError")
    await tk
