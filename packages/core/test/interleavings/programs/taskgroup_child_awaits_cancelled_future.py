"""A TaskGroup child awaiting a future that gets cancelled ends cancelled: not a failure, the group exits normally."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def child():
        try:
            await fut
        finally:
            log("child finally")

    async def other():
        await asyncio.sleep(1)
        log("other done")
        return "o"

    async with asyncio.TaskGroup() as tg:
        c = tg.create_task(child())
        o = tg.create_task(other())
        loop.call_later(0.5, fut.cancel, "no value")
    log("group exited, child cancelled", c.cancelled(), "other", o.result(), "at", round(loop.time() * 1000))
