"""create_task is lazy: the body starts at the next turn, after main's code up to its next await."""
import asyncio


async def main(log):
    async def child(name):
        log(name, "start")
        await asyncio.sleep(0)
        log(name, "end")

    a = asyncio.create_task(child("a"))
    log("created a", a.done())
    b = asyncio.create_task(child("b"))
    log("created b")
    await asyncio.sleep(0)
    log("main resumed")
    await asyncio.sleep(0)
    log("main again", a.done(), b.done())
    await a
    await b
