"""A callback added to a task that is already done is scheduled with call_soon, not run at once."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    t = asyncio.create_task(asyncio.sleep(0))
    await t
    tk = asyncio.create_task(ticker(3))
    t.add_done_callback(lambda f: log("late cb"))
    log("added")
    await asyncio.sleep(0)
    log("main after one turn")
    await tk
