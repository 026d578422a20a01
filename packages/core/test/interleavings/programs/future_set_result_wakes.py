"""A task awaiting loop.create_future() wakes one turn after set_result(), between a ticker's ticks."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter():
        log("waiter got", await fut)

    w = asyncio.create_task(waiter())
    tk = asyncio.create_task(ticker(5))
    await asyncio.sleep(0)
    fut.set_result(7)
    log("set_result, done", fut.done())
    await asyncio.gather(w, tk)
