"""D12: current_task().cancel() then uncancel() inside a TaskGroup body withdraws the request."""
import asyncio


async def main(log):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(asyncio.sleep(0))
        me = asyncio.current_task()
        me.cancel()
        log("uncancel", me.uncancel())
        await asyncio.sleep(0)
        log("body goes on")
    log("after group")
