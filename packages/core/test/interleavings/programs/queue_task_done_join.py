"""join() waits until task_done() was called once per item put."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()

    async def worker():
        while True:
            item = await q.get()
            await asyncio.sleep(item)
            log("processed", item, "at", round(loop.time() * 1000))
            q.task_done()

    for i in (1, 2):
        q.put_nowait(i)
    w = asyncio.create_task(worker())
    await q.join()
    log("joined at", round(loop.time() * 1000))
    w.cancel()
