"""set_result from a call_soon callback: the awaiting task wakes one turn later, between a ticker's ticks."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def waiter():
        log("waiter got", await fut)

    w = asyncio.create_task(waiter())
    tk = asyncio.create_task(ticker(4))
    await asyncio.sleep(0)

    def setter(value):
        log("setter runs")
        fut.set_result(value)

    loop.call_soon(setter, 5)
    log("setter queued")
    await asyncio.gather(w, tk)
