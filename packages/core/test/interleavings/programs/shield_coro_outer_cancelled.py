"""Cancelling the task awaiting shield(coro) cancels only that task; the inner task runs on."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def inner():
        await asyncio.sleep(2)
        log("inner finished at", round(loop.time() * 1000))
        return "r"

    async def outer():
        return await asyncio.shield(inner())

    o = asyncio.create_task(outer())
    await asyncio.sleep(1)
    o.cancel()
    try:
        await o
    except asyncio.CancelledError:
        log("outer cancelled at", round(loop.time() * 1000))
    await asyncio.sleep(2)
    log("end at", round(loop.time() * 1000))
