"""D11: a TaskGroup child awaiting a failing sibling is cancelled: the group holds one ValueError."""
import asyncio


async def main(log):
    async def bad():
        await asyncio.sleep(0)
        raise ValueError("bad")

    async def waiter(t):
        await t
        log("waiter never gets here")

    try:
        async with asyncio.TaskGroup() as tg:
            b = tg.create_task(bad())
            w = tg.create_task(waiter(b))
    except* ValueError as eg:
        log("caught", len(eg.exceptions), [str(e) for e in eg.exceptions])
    log("waiter cancelled", w.cancelled())
