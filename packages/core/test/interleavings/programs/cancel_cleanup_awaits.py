"""A cancelled task's cleanup may await; awaiters wait until that cleanup is over."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def child():
        try:
            await asyncio.sleep(10)
        finally:
            log("cleanup start", round(loop.time() * 1000), asyncio.current_task().cancelling())
            await asyncio.sleep(1)
            log("cleanup end", round(loop.time() * 1000))

    t = asyncio.create_task(child())
    await asyncio.sleep(0.5)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("awaited at", round(loop.time() * 1000))
