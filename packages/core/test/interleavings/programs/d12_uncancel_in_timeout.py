"""D12: current_task().cancel() then uncancel() inside a timeout block withdraws the request."""
import asyncio


async def main(log):
    async with asyncio.timeout(10):
        me = asyncio.current_task()
        me.cancel()
        log("uncancel", me.uncancel())
        await asyncio.sleep(0)
        log("block goes on")
    log("after block")
