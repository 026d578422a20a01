"""loop.call_soon callbacks run in FIFO order, interleaved with task steps in the ready queue."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    loop = asyncio.get_running_loop()
    tk = asyncio.create_task(ticker(3))
    loop.call_soon(log, "soon 1")
    loop.call_soon(log, "soon 2")
    await asyncio.sleep(0)
    log("main")
    loop.call_soon(lambda: loop.call_soon(log, "nested soon"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await tk
