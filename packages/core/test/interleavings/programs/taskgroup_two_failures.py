"""Two children failing at the same instant: both errors in the group, in the order they happened."""
import asyncio


async def main(log):
    async def bad(msg):
        await asyncio.sleep(1)
        raise ValueError(msg)

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(bad("first"))
            tg.create_task(bad("second"))
    except* ValueError as eg:
        log("caught", [str(e) for e in eg.exceptions])
