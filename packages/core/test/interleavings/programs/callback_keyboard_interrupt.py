"""KeyboardInterrupt raised in a loop callback is not reported: it stops the loop and leaves asyncio.run."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    def interrupt():
        log("callback raises KeyboardInterrupt")
        raise KeyboardInterrupt()

    loop.call_later(1, interrupt)
    loop.call_later(1, log, "same-instant timer")
    try:
        await asyncio.sleep(2)
        log("never")
    finally:
        log("main finally at", round(loop.time() * 1000))
