"""async for over as_completed (3.13) yields the very tasks passed in, in completion order."""
import asyncio


async def main(log):
    async def work(delay):
        await asyncio.sleep(delay)
        return delay

    tasks = [asyncio.create_task(work(d), name=f"w{d}") for d in (2, 3, 1)]
    async for t in asyncio.as_completed(tasks):
        log("next", t.get_name(), t in tasks, t.result())
