"""A put() blocked on a full queue raises QueueShutDown when the queue is shut down."""
import asyncio


async def main(log):
    q = asyncio.Queue(maxsize=1)
    q.put_nowait("a")

    async def putter():
        try:
            await q.put("b")
        except asyncio.QueueShutDown:
            log("putter: QueueShutDown")

    t = asyncio.create_task(putter())
    await asyncio.sleep(0)
    q.shutdown()
    await t
    log("left", q.get_nowait(), "qsize", q.qsize())
