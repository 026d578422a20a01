"""D9: a child main left pending is cancelled by asyncio.run before its second step."""
import asyncio


async def main(log):
    async def child():
        log("step 1")
        await asyncio.sleep(0)
        log("step 2")

    asyncio.create_task(child())
