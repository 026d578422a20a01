"""Eager factory: a TaskGroup child that fails inside create_task stops the body at its next await."""
import asyncio

EAGER = True


async def main(log):
    async def fail():
        raise ValueError("eager")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail())
            log("body after create_task")
            await asyncio.sleep(0)
            log("body after sleep, never")
    except* ValueError as eg:
        log("caught", [str(e) for e in eg.exceptions])
