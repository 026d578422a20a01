"""Queue(maxsize=1): put blocks while full, get blocks while empty; each wakes the other in turn."""
import asyncio


async def main(log):
    q = asyncio.Queue(maxsize=1)

    async def producer():
        for i in range(3):
            log("put", i)
            await q.put(i)
            log("put done", i, "qsize", q.qsize())

    async def consumer():
        for _ in range(3):
            await asyncio.sleep(0)
            item = await q.get()
            log("got", item)

    await asyncio.gather(producer(), consumer())
    log("empty", q.empty(), "full", q.full())
