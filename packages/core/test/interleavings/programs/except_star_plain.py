"""except* on a plain (ungrouped) error wraps it in a group of one."""
import asyncio


async def main(log):
    async def fail():
        await asyncio.sleep(0)
        raise ValueError("plain")

    try:
        await fail()
    except* ValueError as eg:
        log("group of", len(eg.exceptions), str(eg.exceptions[0]))
