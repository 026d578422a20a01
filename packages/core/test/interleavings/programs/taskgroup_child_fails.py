"""A failing child cancels its siblings and the body; the group raises an ExceptionGroup."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def sibling():
        try:
            await asyncio.sleep(5)
        finally:
            log("sibling cleanup at", round(loop.time() * 1000))

    async def bad():
        await asyncio.sleep(1)
        raise ValueError("boom")

    async with asyncio.TaskGroup() as tg:
        tg.create_task(sibling())
        tg.create_task(bad())
        try:
            await asyncio.sleep(10)
        finally:
            log("body cleanup at", round(loop.time() * 1000))
