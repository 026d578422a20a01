"""loop.stop() inside main: run_until_complete raises RuntimeError; the shutdown cancels main at its await."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "queued before stop")
    try:
        loop.stop()
        log("stop() returned, running", loop.is_running())
        await asyncio.sleep(0)
        log("never logged")
    finally:
        log("main finally")
