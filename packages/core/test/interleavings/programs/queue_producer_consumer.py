"""Two consumers and a producer on a bounded queue interleave in CPython's order."""
import asyncio


async def main(log):
    q = asyncio.Queue(maxsize=2)

    async def producer():
        for i in range(5):
            await q.put(i)
            log("produced", i)
        for _ in range(2):
            await q.put(None)

    async def consumer(name):
        while True:
            item = await q.get()
            if item is None:
                log(name, "stops")
                return
            log(name, "consumed", item)
            await asyncio.sleep(0)

    await asyncio.gather(producer(), consumer("x"), consumer("y"))
