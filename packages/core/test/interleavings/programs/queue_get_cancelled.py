"""A get() cancelled while waiting loses no item: the next getter receives it."""
import asyncio


async def main(log):
    q = asyncio.Queue()

    async def getter(name):
        log(name, "got", await q.get())

    a = asyncio.create_task(getter("a"))
    b = asyncio.create_task(getter("b"))
    await asyncio.sleep(0)
    q.put_nowait("item")
    a.cancel()
    try:
        await a
    except asyncio.CancelledError:
        log("a cancelled")
    await b
    log("qsize", q.qsize())
