"""Equal deadlines set at different times leave the heap in heapq order (a, b, main, c).

asyncio's TimerHandle compares by deadline only, so ties are not ordered by insertion."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def sleeper(name, delay):
        await asyncio.sleep(delay)
        log(name, "woke", round(loop.time() * 1000))
        await asyncio.sleep(0)
        log(name, "after sleep(0)")

    a = asyncio.create_task(sleeper("a", 0.5))
    await asyncio.sleep(0.25)
    b = asyncio.create_task(sleeper("b", 0.25))
    c = asyncio.create_task(sleeper("c", 0.25))
    await asyncio.sleep(0.25)
    log("main woke", round(loop.time() * 1000))
    await asyncio.gather(a, b, c)
