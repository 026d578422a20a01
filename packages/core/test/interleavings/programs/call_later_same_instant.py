"""call_later timers due at one instant leave the heap in heapq order, then run before later steps."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    for name in ("a", "b", "c", "d"):
        loop.call_later(1, log, name)
    await asyncio.sleep(0.5)
    loop.call_later(0.5, log, "e")
    await asyncio.sleep(0.5)
    log("main woke")
    await asyncio.sleep(0)
    log("main after sleep(0)")
