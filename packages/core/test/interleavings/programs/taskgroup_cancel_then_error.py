"""A child failing while the group is cancelled by tg.cancel() (3.15): the group still raises its ExceptionGroup."""
import asyncio

from taskgroup315 import TaskGroup


async def main(log):
    async def failing():
        try:
            await asyncio.sleep(10)
        finally:
            log("failing cleans up")
            raise ValueError("in cleanup")

    async with TaskGroup() as tg:
        tg.create_task(failing())
        await asyncio.sleep(1)
        tg.cancel()
        log("cancelled")
