"""create_task on a group shutting down raises RuntimeError; so does it on a finished group."""
import asyncio


async def main(log):
    async def bad():
        await asyncio.sleep(0)
        raise ValueError("bad")

    async def never():
        log("never runs")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(bad())
            try:
                await asyncio.sleep(1)
            finally:
                try:
                    tg.create_task(never())
                except RuntimeError as e:
                    log("RuntimeError:", e)
    except* ValueError:
        log("group failed")
    try:
        tg.create_task(never())
    except RuntimeError as e:
        log("RuntimeError:", e)
