"""except* handles its part; the rest of the group is re-raised."""
import asyncio


async def main(log):
    async def fail(exc):
        await asyncio.sleep(0)
        raise exc

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(ValueError("v")))
            tg.create_task(fail(TypeError("t")))
    except* ValueError as eg:
        log("handled", [str(e) for e in eg.exceptions])
