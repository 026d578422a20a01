"""D14: eager factory, after cancel()/uncancel() on main: an eagerly failing child stops the body."""
import asyncio

EAGER = True


async def main(log):
    async def fail():
        raise ValueError("eager")

    me = asyncio.current_task()
    me.cancel()
    me.uncancel()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail())
            log("body after create_task")
            await asyncio.sleep(0)
            log("body after sleep, never")
    except* ValueError as eg:
        log("caught", [str(e) for e in eg.exceptions])
