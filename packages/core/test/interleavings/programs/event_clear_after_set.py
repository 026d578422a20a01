"""clear() right after set() does not stop waiters that set() already woke."""
import asyncio


async def main(log):
    ev = asyncio.Event()

    async def waiter(name):
        await ev.wait()
        log(name, "woke, is_set", ev.is_set())

    tasks = [asyncio.create_task(waiter(n)) for n in ("a", "b")]
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    await asyncio.gather(*tasks)
    late = asyncio.create_task(waiter("late"))
    await asyncio.sleep(0)
    log("late done", late.done())
    ev.set()
    await late
