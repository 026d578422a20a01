"""D12: current_task().cancel() then uncancel() inside wait_for(coro) withdraws the request."""
import asyncio


async def main(log):
    async def body():
        me = asyncio.current_task()
        me.cancel()
        log("uncancel", me.uncancel())
        await asyncio.sleep(0)
        log("coro goes on")
        return "r"

    log("wait_for returned", await asyncio.wait_for(body(), 10))
