"""D6: a task cancelled while awaiting another task is done before a co-awaiter that catches."""
import asyncio


async def main(log):
    inner = asyncio.create_task(asyncio.sleep(5))

    async def a_body():
        await inner

    async def b_body():
        try:
            await inner
        except asyncio.CancelledError:
            log("b: inner was cancelled")

    a = asyncio.create_task(a_body())
    b = asyncio.create_task(b_body())
    a.add_done_callback(lambda f: log("a done"))
    b.add_done_callback(lambda f: log("b done"))
    await asyncio.sleep(0)
    a.cancel()
    for i in range(4):
        await asyncio.sleep(0)
        log("main turn", i)
