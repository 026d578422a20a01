"""Semaphore(2): two holders at a time; the others wait and enter in FIFO order."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    sem = asyncio.Semaphore(2)

    async def worker(name):
        async with sem:
            log(name, "in at", round(loop.time() * 1000))
            await asyncio.sleep(1)

    tasks = [asyncio.create_task(worker(n)) for n in ("a", "b", "c", "d", "e")]
    await asyncio.sleep(0)
    log("locked", sem.locked())
    await asyncio.gather(*tasks)
    log("locked", sem.locked())
