"""A chain of futures set from done callbacks: each link takes one turn, interleaved with a ticker."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    f1, f2, f3 = loop.create_future(), loop.create_future(), loop.create_future()
    f1.add_done_callback(lambda f: (log("f1 done -> set f2"), f2.set_result(f.result() + 1)))
    f2.add_done_callback(lambda f: (log("f2 done -> set f3"), f3.set_result(f.result() + 1)))

    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def waiter():
        log("waiter got", await f3)

    w = asyncio.create_task(waiter())
    tk = asyncio.create_task(ticker(6))
    await asyncio.sleep(0)
    f1.set_result(1)
    log("f1 set")
    await asyncio.gather(w, tk)
