"""notify() without holding the lock raises RuntimeError."""
import asyncio


async def main(log):
    cond = asyncio.Condition()
    try:
        cond.notify()
    except RuntimeError as e:
        log("RuntimeError:", e)
    try:
        await cond.wait()
    except RuntimeError as e:
        log("RuntimeError:", e)
