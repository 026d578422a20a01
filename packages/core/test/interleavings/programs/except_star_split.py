"""except* clauses each take their part of an ExceptionGroup from a TaskGroup."""
import asyncio


async def main(log):
    async def fail(exc):
        await asyncio.sleep(0)
        raise exc

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail(ValueError("v1")))
            tg.create_task(fail(TypeError("t1")))
            tg.create_task(fail(ValueError("v2")))
    except* ValueError as eg:
        log("ValueError part", [str(e) for e in eg.exceptions])
    except* TypeError as eg:
        log("TypeError part", [str(e) for e in eg.exceptions])
