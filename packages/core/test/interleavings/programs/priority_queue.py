"""PriorityQueue pops the smallest item first; (priority, data) tuples compare element by element."""
import asyncio


async def main(log):
    q = asyncio.PriorityQueue()
    for item in [(3, "c"), (1, "a"), (2, "b"), (1, "aa")]:
        q.put_nowait(item)
    while not q.empty():
        p, d = await q.get()
        log("got", p, d)
