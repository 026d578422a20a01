"""sleep(0) yields one turn: two tickers created in order alternate, main interleaves with them."""
import asyncio


async def main(log):
    async def ticker(name, n):
        for i in range(n):
            log(name, "tick", i)
            await asyncio.sleep(0)
        log(name, "end")

    a = asyncio.create_task(ticker("a", 3))
    b = asyncio.create_task(ticker("b", 2))
    log("main created")
    await asyncio.sleep(0)
    log("main after sleep(0)")
    await a
    log("a awaited", a.done(), b.done())
    await b
    loop = asyncio.get_running_loop()
    log("time", round(loop.time() * 1000))
