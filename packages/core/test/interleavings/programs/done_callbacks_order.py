"""Done callbacks run in the order added, at later turns, interleaved with an awaiter's wakeup."""
import asyncio


async def main(log):
    async def child():
        await asyncio.sleep(0)
        log("child returns")
        return 7

    async def waiter(t):
        log("waiter got", await t)

    t = asyncio.create_task(child())
    t.add_done_callback(lambda f: log("cb1", f.done()))
    w = asyncio.create_task(waiter(t))
    await asyncio.sleep(0)
    t.add_done_callback(lambda f: log("cb2"))
    log("main awaits")
    await t
    log("main got it")
    await w
