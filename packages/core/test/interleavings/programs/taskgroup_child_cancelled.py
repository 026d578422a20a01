"""A child cancelled by someone else is not an error: the group finishes normally."""
import asyncio


async def main(log):
    async def work():
        await asyncio.sleep(2)
        return "w"

    async with asyncio.TaskGroup() as tg:
        victim = tg.create_task(asyncio.sleep(5))
        w = tg.create_task(work())
        await asyncio.sleep(1)
        victim.cancel()
    log("group done, victim cancelled", victim.cancelled(), "w", w.result())
