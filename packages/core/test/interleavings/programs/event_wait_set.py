"""Event.set() wakes every waiter, in the order they started waiting."""
import asyncio


async def main(log):
    ev = asyncio.Event()

    async def waiter(name):
        log(name, "waits")
        await ev.wait()
        log(name, "woke")

    tasks = [asyncio.create_task(waiter(n)) for n in ("a", "b", "c")]
    await asyncio.sleep(0)
    log("set")
    ev.set()
    log("is_set", ev.is_set())
    await asyncio.gather(*tasks)
