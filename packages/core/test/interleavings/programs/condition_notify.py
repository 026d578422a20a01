"""notify(1) wakes the first waiter only; notify_all() the rest; each re-acquires the lock in turn."""
import asyncio


async def main(log):
    cond = asyncio.Condition()

    async def waiter(name):
        async with cond:
            log(name, "waits")
            await cond.wait()
            log(name, "notified")

    tasks = [asyncio.create_task(waiter(n)) for n in ("a", "b", "c")]
    await asyncio.sleep(0)
    async with cond:
        cond.notify(1)
        log("notified one")
    await asyncio.sleep(0)
    async with cond:
        cond.notify_all()
        log("notified all")
    await asyncio.gather(*tasks)
