"""An awaiter that started waiting before a callback was added wakes before that callback runs."""
import asyncio


async def main(log):
    async def child():
        await asyncio.sleep(0)
        await asyncio.sleep(0)

    async def waiter(name, t):
        await t
        log(name, "woke")

    t = asyncio.create_task(child())
    w1 = asyncio.create_task(waiter("w1", t))
    await asyncio.sleep(0)
    t.add_done_callback(lambda f: log("cb"))
    w2 = asyncio.create_task(waiter("w2", t))
    await asyncio.sleep(0)
    t.add_done_callback(lambda f: log("cb late"))
    await asyncio.gather(w1, w2)
    log("gathered")
