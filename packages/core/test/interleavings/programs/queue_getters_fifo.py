"""Blocked getters are served in the order they started waiting."""
import asyncio


async def main(log):
    q = asyncio.Queue()

    async def getter(name):
        log(name, "got", await q.get())

    tasks = [asyncio.create_task(getter(n)) for n in ("a", "b", "c")]
    await asyncio.sleep(0)
    for i in range(3):
        q.put_nowait(i)
    log("put 3 items")
    await asyncio.gather(*tasks)
