"""Barrier.abort() breaks the barrier: waiters and later arrivals get BrokenBarrierError."""
import asyncio


async def main(log):
    b = asyncio.Barrier(3)

    async def party(name):
        try:
            await b.wait()
        except asyncio.BrokenBarrierError:
            log(name, "BrokenBarrierError")

    tasks = [asyncio.create_task(party(n)) for n in ("a", "b")]
    await asyncio.sleep(0)
    await b.abort()
    log("broken", b.broken)
    await asyncio.gather(*tasks)
    await party("late")
