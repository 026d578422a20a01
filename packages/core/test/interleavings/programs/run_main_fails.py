"""main raising ends asyncio.run with that error, after the leftover task was cancelled."""
import asyncio


async def main(log):
    async def child():
        try:
            await asyncio.sleep(10)
        finally:
            log("child cleanup")

    asyncio.create_task(child())
    await asyncio.sleep(0)
    raise ValueError("main failed")
