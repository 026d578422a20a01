"""Timers due together: the first cancels a later one, already moved to the ready queue, which then never runs."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    handles = []

    def fire(i):
        log("timer", i, "at", round(loop.time() * 1000))
        if i == 0:
            handles[2].cancel()
            log("timer 0 cancelled timer 2")

    for i in range(4):
        handles.append(loop.call_later(1, fire, i))
    handles[3].cancel()
    await asyncio.sleep(2)
    log("cancelled", [h.cancelled() for h in handles])
