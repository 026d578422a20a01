"""A failing child of an inner group fails the inner group, which is a failure of the outer group."""
import asyncio


async def main(log):
    async def bad():
        await asyncio.sleep(1)
        raise ValueError("deep")

    async def other():
        try:
            await asyncio.sleep(5)
        finally:
            log("outer child cleanup")

    async def inner_group():
        async with asyncio.TaskGroup() as inner:
            inner.create_task(bad())

    async with asyncio.TaskGroup() as outer:
        outer.create_task(other())
        outer.create_task(inner_group())
