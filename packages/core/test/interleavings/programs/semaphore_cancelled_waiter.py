"""A semaphore waiter cancelled after release() woke it passes the permit on."""
import asyncio


async def main(log):
    sem = asyncio.Semaphore(0)

    async def waiter(name):
        async with sem:
            log(name, "in")

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    sem.release()
    a.cancel()
    try:
        await a
    except asyncio.CancelledError:
        log("a cancelled")
    await b
    log("locked", sem.locked())
