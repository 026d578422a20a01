"""Lock waiters acquire in FIFO order; each holder keeps the lock across its awaits."""
import asyncio


async def main(log):
    lock = asyncio.Lock()

    async def worker(name):
        async with lock:
            log(name, "acquired")
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            log(name, "releases")

    tasks = [asyncio.create_task(worker(n)) for n in ("a", "b", "c")]
    await asyncio.sleep(0)
    log("locked", lock.locked())
    await asyncio.gather(*tasks)
    log("locked", lock.locked())
