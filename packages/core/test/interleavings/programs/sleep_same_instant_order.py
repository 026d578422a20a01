"""Sleeps due at one instant leave the timer heap in heapq order (main, b, a, c), not set order.

The woken tasks then take turns with a ticker."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def sleeper(name):
        await asyncio.sleep(1)
        log(name, "woke")
        await asyncio.sleep(0)
        log(name, "again")

    tasks = [asyncio.create_task(sleeper(n)) for n in ("a", "b", "c")]
    await asyncio.sleep(1)
    t = asyncio.create_task(ticker(3))
    log("main woke")
    await asyncio.gather(*tasks, t)
