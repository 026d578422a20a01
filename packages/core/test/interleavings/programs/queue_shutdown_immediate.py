"""shutdown(immediate=True) drops the items, wakes join(), and getters raise QueueShutDown."""
import asyncio


async def main(log):
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)

    async def joiner():
        await q.join()
        log("join returned, qsize", q.qsize())

    j = asyncio.create_task(joiner())
    await asyncio.sleep(0)
    q.shutdown(immediate=True)
    log("shut down, qsize", q.qsize())
    try:
        await q.get()
    except asyncio.QueueShutDown:
        log("get: QueueShutDown")
    await j
