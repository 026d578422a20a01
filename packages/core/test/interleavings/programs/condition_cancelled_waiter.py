"""A notified waiter cancelled before it runs passes the notification on to the next waiter."""
import asyncio


async def main(log):
    cond = asyncio.Condition()

    async def waiter(name):
        async with cond:
            try:
                await cond.wait()
                log(name, "notified")
            finally:
                log(name, "holds the lock", cond.locked())

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    async with cond:
        cond.notify(1)
        a.cancel()
    try:
        await a
    except asyncio.CancelledError:
        log("a cancelled")
    await asyncio.wait_for(b, 1)
