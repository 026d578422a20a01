"""shield(task): the caller is cancelled, the task is not, and its result stays available."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    inner = asyncio.create_task(asyncio.sleep(2, "kept"))

    async def outer():
        return await asyncio.shield(inner)

    o = asyncio.create_task(outer())
    await asyncio.sleep(1)
    o.cancel()
    try:
        await o
    except asyncio.CancelledError:
        log("outer cancelled, inner cancelled", inner.cancelled())
    log("inner result", await inner, "at", round(loop.time() * 1000))
