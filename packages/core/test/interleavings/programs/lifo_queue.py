"""LifoQueue pops the last item put first, even for a getter that was already waiting."""
import asyncio


async def main(log):
    q = asyncio.LifoQueue()

    async def getter():
        log("waiting getter got", await q.get())

    t = asyncio.create_task(getter())
    await asyncio.sleep(0)
    for i in range(4):
        q.put_nowait(i)
    await t
    while not q.empty():
        log("got", q.get_nowait())
