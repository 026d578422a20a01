"""CPython side of bench/locks.ts: PYENV_VERSION=3.13.0 python3.13 packages/core/bench/locks.py"""
import asyncio
import time

TASKS = 100_000
ITEMS = 1_000_000


async def semaphore():
    sem = asyncio.Semaphore(100)
    done = 0

    async def task():
        nonlocal done
        async with sem:
            await asyncio.sleep(0)
            done += 1

    tasks = [asyncio.create_task(task()) for _ in range(TASKS)]
    for t in tasks:
        await t
    assert done == TASKS


async def queue():
    q = asyncio.Queue(maxsize=1000)
    total = 0

    async def consumer():
        nonlocal total
        try:
            while True:
                total += await q.get()
        except asyncio.QueueShutDown:
            pass

    consumers = [asyncio.create_task(consumer()) for _ in range(4)]
    for i in range(ITEMS):
        await q.put(i)
    q.shutdown()
    for c in consumers:
        await c
    assert total == ITEMS * (ITEMS - 1) // 2


for round in range(3):
    print(f"-- round {round + 1}")
    for name, fn in [("Semaphore(100), 100k tasks: CPython 3.13", semaphore),
                     ("Queue(1000), 1M items 1->4: CPython 3.13", queue)]:
        start = time.perf_counter()
        asyncio.run(fn())
        print(f"{name:44} {time.perf_counter() - start:.3f} s")
