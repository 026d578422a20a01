"""shield(future): cancelling the caller leaves the future pending and settable."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def outer():
        return await asyncio.shield(fut)

    o = asyncio.create_task(outer())
    await asyncio.sleep(0)
    o.cancel()
    try:
        await o
    except asyncio.CancelledError:
        log("outer cancelled, future done", fut.done())
    fut.set_result("still")
    log("future", await fut)
