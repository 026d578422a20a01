"""loop.stop() from a timer callback while main sleeps: the iteration finishes, then RuntimeError."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    def stopper():
        log("stopper at", round(loop.time() * 1000))
        loop.stop()
        loop.call_soon(log, "queued after stop")

    loop.call_later(1, stopper)
    loop.call_later(1, log, "same-instant timer")

    try:
        await asyncio.sleep(2)
    finally:
        log("main finally at", round(loop.time() * 1000))
