"""The body raising cancels the children; its error is the group's only sub-exception."""
import asyncio


async def main(log):
    async def child():
        try:
            await asyncio.sleep(5)
        finally:
            log("child cleanup")

    async with asyncio.TaskGroup() as tg:
        tg.create_task(child())
        await asyncio.sleep(0)
        raise ValueError("body")
