"""cancel() of a sleeping task only asks: its finally runs at its next step, after cancel returns."""
import asyncio


async def main(log):
    async def child():
        try:
            log("child sleeping")
            await asyncio.sleep(10)
        finally:
            log("child cleanup")

    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    log("cancel", t.cancel())
    log("after cancel", t.done())
    await asyncio.sleep(0)
    log("after one turn", t.done(), t.cancelled())
