"""shutdown(): put raises QueueShutDown at once; get drains what is left, then raises."""
import asyncio


async def main(log):
    q = asyncio.Queue()
    q.put_nowait(1)
    q.put_nowait(2)

    async def blocked_getter():
        try:
            while True:
                log("getter got", await q.get())
        except asyncio.QueueShutDown:
            log("getter: QueueShutDown")

    q.shutdown()
    try:
        await q.put(3)
    except asyncio.QueueShutDown:
        log("put: QueueShutDown")
    await blocked_getter()
    empty = asyncio.Queue()
    t = asyncio.create_task(empty.get())
    await asyncio.sleep(0)
    empty.shutdown()
    try:
        await t
    except asyncio.QueueShutDown:
        log("waiting getter: QueueShutDown")
