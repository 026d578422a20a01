"""Task-N names are counted per loop from main (Task-1); a named task takes no number."""
import asyncio


async def main(log):
    async def child():
        log("running", asyncio.current_task().get_name())

    log("main is", asyncio.current_task().get_name())
    a = asyncio.create_task(child())
    b = asyncio.create_task(child(), name="worker")
    c = asyncio.create_task(child())
    log(a.get_name(), b.get_name(), c.get_name())
    c.set_name("renamed")
    await asyncio.gather(a, b, c)
    log("after", c.get_name())
