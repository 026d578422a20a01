"""More than 100 timers, most cancelled: the loop rebuilds its heap (heapify) and the rest fire in its order."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fired = []
    handles = [loop.call_later(1 + (i % 3), fired.append, i) for i in range(120)]
    for i, h in enumerate(handles):
        if i % 5 != 0:
            h.cancel()
    await asyncio.sleep(0)
    log("first wave")
    await asyncio.sleep(4)
    log("fired", fired)
