"""D11: the body awaits a child that awaits a failing sibling: still one ValueError in the group."""
import asyncio


async def main(log):
    async def bad():
        await asyncio.sleep(0)
        raise ValueError("bad")

    async def waiter(t):
        await t

    try:
        async with asyncio.TaskGroup() as tg:
            b = tg.create_task(bad())
            w = tg.create_task(waiter(b))
            await w
            log("body never gets here")
    except* ValueError as eg:
        log("caught", len(eg.exceptions), [str(e) for e in eg.exceptions])
    log("waiter cancelled", w.cancelled())
