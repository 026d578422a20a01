"""shield(future) when the future itself is cancelled: the awaiter raises CancelledError, not the shield's task."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_later(1, fut.cancel, "inner gone")

    async def outer():
        try:
            return await asyncio.shield(fut)
        except asyncio.CancelledError as e:
            log("outer caught", f"[{e}]", "cancelling", asyncio.current_task().cancelling())
            return "recovered"

    log("outer returned", await asyncio.create_task(outer()))
