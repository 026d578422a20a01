"""Barrier.reset() breaks the current waiters and leaves the barrier usable again."""
import asyncio


async def main(log):
    b = asyncio.Barrier(2)

    async def party(name):
        try:
            i = await b.wait()
            log(name, "passes", i)
        except asyncio.BrokenBarrierError:
            log(name, "BrokenBarrierError")

    t = asyncio.create_task(party("a"))
    await asyncio.sleep(0)
    await b.reset()
    await t
    log("broken", b.broken)
    await asyncio.gather(party("b"), party("c"))
