"""An error raised by the awaited coroutine before the deadline passes through wait_for as it is."""
import asyncio


async def main(log):
    async def work():
        await asyncio.sleep(0.5)
        raise ValueError("inner")

    try:
        await asyncio.wait_for(work(), 1)
    except ValueError as e:
        log("ValueError", e)
    await asyncio.sleep(1)
    log("no late timeout")
