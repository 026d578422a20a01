"""main cancelling itself ends asyncio.run with CancelledError after its cleanup."""
import asyncio


async def main(log):
    asyncio.current_task().cancel("bye")
    log("cancelled myself")
    try:
        await asyncio.sleep(1)
    finally:
        log("main cleanup")
