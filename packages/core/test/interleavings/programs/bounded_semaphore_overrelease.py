"""BoundedSemaphore raises ValueError when released more times than acquired."""
import asyncio


async def main(log):
    sem = asyncio.BoundedSemaphore(1)
    async with sem:
        log("inside, locked", sem.locked())
    try:
        sem.release()
    except ValueError as e:
        log("ValueError:", e)
