"""A newcomer does not overtake a waiter that was woken by release() but has not run yet."""
import asyncio


async def main(log):
    lock = asyncio.Lock()

    async def waiter(name):
        await lock.acquire()
        log(name, "acquired")
        lock.release()

    await lock.acquire()
    w = asyncio.create_task(waiter("woken"))
    await asyncio.sleep(0)
    lock.release()
    log("released, locked", lock.locked())
    n = asyncio.create_task(waiter("newcomer"))
    await asyncio.gather(w, n)
