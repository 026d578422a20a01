"""Timers more than a day ahead (the loop waits at most a day at a time) fire at their deadline."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    day = 24 * 3600
    loop.call_later(1.5 * day, lambda: log("1.5 days at", round(loop.time() / 3600), "h"))
    loop.call_later(0.25 * day, lambda: log("6 hours at", round(loop.time() / 3600), "h"))
    h = loop.call_later(2 * day, log, "cancelled")
    await asyncio.sleep(1.75 * day)
    h.cancel()
    log("main at", round(loop.time() / 3600), "h")
    await asyncio.sleep(1.5 * day)
    log("end at", round(loop.time() / 3600), "h")
