"""A lock waiter cancelled while waiting leaves no trace: the next waiter gets the lock."""
import asyncio


async def main(log):
    lock = asyncio.Lock()

    async def waiter(name):
        async with lock:
            log(name, "acquired")

    await lock.acquire()
    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    a.cancel()
    lock.release()
    await asyncio.sleep(0)
    log("a cancelled", a.cancelled())
    await b
    log("locked", lock.locked())
