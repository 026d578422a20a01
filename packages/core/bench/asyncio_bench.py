"""CPython asyncio side of the benchmark suite: one scenario, one measured run per process.

Usage: python3 asyncio_bench.py <scenario> <n> <time|mem> <warmup_n>

Prints one JSON line: {"wallMs", "rssBeforeKb", "maxRssKb", "heapPerPending"} (the same protocol as
child.ts). In "time" mode the probe does nothing; in "mem" mode tracemalloc traces the measured run
and the probe, called while the scenario's tasks are all pending, records the bytes still held
after a full collection.
"""

import asyncio
import concurrent.futures
import gc
import json
import resource
import sys
import time
import tracemalloc

HOUR = 3600.0


class Probe:
    def __init__(self, mem: bool) -> None:
        self.mem = mem
        self.base = 0
        self.sample = None

    def start(self) -> None:
        if self.mem:
            gc.collect()
            tracemalloc.start()
            self.base = tracemalloc.get_traced_memory()[0]

    def pending(self) -> None:
        if self.mem and self.sample is None:
            gc.collect()
            self.sample = tracemalloc.get_traced_memory()[0] - self.base


async def tasks(n: int, probe: Probe) -> None:
    ts = [asyncio.create_task(asyncio.sleep(0)) for _ in range(n)]
    probe.pending()
    for t in ts:
        await t


async def gather(n: int, probe: Probe) -> None:
    async def child() -> None:
        await asyncio.sleep(0)
        probe.pending()  # the first child to resume: gather has created every task

    await asyncio.gather(*[child() for _ in range(n)])


async def taskgroup(n: int, probe: Probe) -> None:
    async with asyncio.TaskGroup() as tg:
        for _ in range(n):
            tg.create_task(asyncio.sleep(0))
        probe.pending()


async def semaphore(n: int, probe: Probe) -> None:
    sem = asyncio.Semaphore(100)

    async def child() -> None:
        async with sem:
            await asyncio.sleep(0)

    ts = [asyncio.create_task(child()) for _ in range(n)]
    probe.pending()
    for t in ts:
        await t


async def queue(n: int, probe: Probe) -> None:
    q: asyncio.Queue[int] = asyncio.Queue(maxsize=1000)

    async def producer() -> None:
        for i in range(n):
            await q.put(i)
        for _ in range(4):
            await q.put(-1)

    async def consumer() -> int:
        count = 0
        while True:
            item = await q.get()
            if item < 0:
                return count
            count += 1

    consumers = [asyncio.create_task(consumer()) for _ in range(4)]
    await producer()
    total = 0
    for c in consumers:
        total += await c
    assert total == n, total


async def cancel(n: int, probe: Probe) -> None:
    ts = [asyncio.create_task(asyncio.sleep(HOUR)) for _ in range(n)]
    await asyncio.sleep(0)  # every task starts and blocks on its sleep
    probe.pending()
    for t in ts:
        t.cancel()
    for t in ts:
        try:
            await t
        except asyncio.CancelledError:
            pass


async def wait_for(n: int, probe: Probe) -> None:
    ts = [asyncio.create_task(asyncio.wait_for(asyncio.sleep(0), 10)) for _ in range(n)]
    probe.pending()
    for t in ts:
        await t


async def value(i: int) -> int:
    return i


async def no_suspend(n: int, probe: Probe) -> None:
    ts = [asyncio.create_task(value(i)) for i in range(n)]
    probe.pending()
    for t in ts:
        await t


# The CPU-bound row (bench/cpu.ts): n computations of fib(FIB) on the loop, through to_thread with
# a default executor of 2 threads (the GIL runs one at a time), through ProcessPoolExecutor(2).
# Each starts its workers before the clock starts, as the JavaScript programs do.
FIB = 30


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


async def cpu_loop(n: int, probe: Probe) -> None:
    async def compute() -> None:
        fib(FIB)

    await asyncio.gather(*[compute() for _ in range(n)])


async def cpu_threads_2(n: int, probe: Probe) -> None:
    await asyncio.gather(*[asyncio.to_thread(fib, FIB) for _ in range(n)])


async def cpu_processes_2(n: int, probe: Probe) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.gather(*[loop.run_in_executor(CPU_POOL[0], fib, FIB) for _ in range(n)])


CPU_POOL: list = []


async def cpu_setup(scenario: str) -> None:
    """Starts the workers (and warms fib) before the clock starts."""
    loop = asyncio.get_running_loop()
    if scenario == "cpu-threads-2":
        loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=2))
        await asyncio.gather(*[asyncio.to_thread(fib, 20) for _ in range(2)])
    elif scenario == "cpu-processes-2":
        CPU_POOL.append(concurrent.futures.ProcessPoolExecutor(max_workers=2))
        await asyncio.gather(*[loop.run_in_executor(CPU_POOL[0], fib, 20) for _ in range(2)])
    else:
        fib(20)


SCENARIOS = {
    "tasks": tasks,
    "gather": gather,
    "taskgroup": taskgroup,
    "semaphore": semaphore,
    "queue": queue,
    "cancel": cancel,
    "waitFor": wait_for,
    "eager": no_suspend,
    "lazy": no_suspend,
    "cpu-loop": cpu_loop,
    "cpu-threads-2": cpu_threads_2,
    "cpu-processes-2": cpu_processes_2,
}


def main() -> None:
    scenario, n, mode, warmup_n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    body = SCENARIOS[scenario]
    if scenario == "eager" and not hasattr(asyncio, "eager_task_factory"):
        print(json.dumps({"unsupported": f"eager tasks need Python 3.12+, this is {sys.version.split()[0]}"}))
        return

    async def run(size: int, probe: Probe) -> float:
        if scenario.startswith("cpu-"):
            await cpu_setup(scenario)
        if scenario == "eager":
            # Python 3.12+: the loop's eager task factory, as effect-asyncio's eagerTaskFactory
            asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
        probe.start()
        start = time.perf_counter()
        await body(size, probe)
        return (time.perf_counter() - start) * 1000

    if not scenario.startswith("cpu-"):  # the CPU-bound programs warm up inside their run
        asyncio.run(run(warmup_n, Probe(False)))
    gc.collect()
    rss_before = rss_now_kb()
    probe = Probe(mode == "mem")
    wall_ms = asyncio.run(run(n, probe))
    for pool in CPU_POOL:
        pool.shutdown()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    heap = None if probe.sample is None else probe.sample / n
    print(json.dumps({"wallMs": wall_ms, "rssBeforeKb": rss_before, "maxRssKb": max_rss, "heapPerPending": heap}))


def rss_now_kb() -> int:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() // 1024


if __name__ == "__main__":
    main()
