"""Timers with equal deadlines, pushed in several rounds among others: they fire in heapq order, not FIFO."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    for i, d in enumerate([2, 1, 2, 3, 1, 2, 1, 3, 2]):
        loop.call_at(t0 + d, log, f"#{i} d={d}")
    await asyncio.sleep(0.5)
    for i, d in enumerate([1.5, 0.5, 2.5, 1.5]):
        loop.call_later(d, log, f"late #{i} d={d}")
    await asyncio.sleep(3)
