"""Nested gathers: the inner gather's result list is one element of the outer one."""
import asyncio


async def main(log):
    async def work(name, delay):
        await asyncio.sleep(delay)
        log(name, "returns")
        return name

    a = asyncio.create_task(work("a", 2))
    b = asyncio.create_task(work("b", 1))
    c = asyncio.create_task(work("c", 3))
    r = await asyncio.gather(asyncio.gather(a, b), c)
    log("nested", r)
