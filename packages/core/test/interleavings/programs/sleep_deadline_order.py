"""sleep(n) tasks wake in deadline order, whatever their creation order; time jumps between them."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def sleeper(name, delay):
        await asyncio.sleep(delay)
        log(name, "woke at", round(loop.time() * 1000))

    tasks = [
        asyncio.create_task(sleeper("c", 3)),
        asyncio.create_task(sleeper("a", 1)),
        asyncio.create_task(sleeper("b", 2)),
        asyncio.create_task(sleeper("a2", 1)),
    ]
    for t in tasks:
        await t
    log("end at", round(loop.time() * 1000))
