"""A task that cancels itself runs on until its next await, where CancelledError is raised."""
import asyncio


async def main(log):
    async def child():
        me = asyncio.current_task()
        log("cancel self", me.cancel())
        log("still running, cancelling", me.cancelling())
        try:
            await asyncio.sleep(0)
        finally:
            log("finally")

    t = asyncio.create_task(child())
    try:
        await t
    except asyncio.CancelledError:
        log("child cancelled", t.cancelled())
