"""wait_for(task, 1) cancels the task on expiry and waits for it before raising TimeoutError."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work():
        try:
            await asyncio.sleep(5)
        finally:
            log("cleanup starts at", round(loop.time() * 1000))
            await asyncio.sleep(0.5)
            log("cleanup ends at", round(loop.time() * 1000))

    t = asyncio.create_task(work())
    try:
        await asyncio.wait_for(t, 1)
    except TimeoutError:
        log("TimeoutError at", round(loop.time() * 1000), "cancelled", t.cancelled())
