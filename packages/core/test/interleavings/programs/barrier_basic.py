"""Barrier(3): the third arrival releases everyone; indices are arrival order."""
import asyncio


async def main(log):
    b = asyncio.Barrier(3)

    async def party(name, delay):
        await asyncio.sleep(delay)
        log(name, "arrives, waiting", b.n_waiting)
        i = await b.wait()
        log(name, "passes with index", i)

    await asyncio.gather(party("a", 1), party("b", 3), party("c", 2))
    log("n_waiting", b.n_waiting, "broken", b.broken)
