"""reschedule() to a time already past expires the block at the next turn."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    tk = asyncio.create_task(ticker(4))
    try:
        async with asyncio.timeout(10) as cm:
            cm.reschedule(asyncio.get_running_loop().time() - 1)
            log("rescheduled")
            await asyncio.sleep(1)
    except TimeoutError:
        log("TimeoutError")
    await tk
