"""A waiter woken by release() then cancelled before it runs passes the lock to the next waiter."""
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
    lock.release()
    a.cancel()
    try:
        await a
    except asyncio.CancelledError:
        log("a cancelled")
    await b
    log("locked", lock.locked())
