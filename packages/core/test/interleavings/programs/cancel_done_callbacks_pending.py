"""A task whose body returned is done at once: cancel() returns False before its callbacks ran."""
import asyncio


async def main(log):
    async def child():
        return 1

    t = asyncio.create_task(child())
    t.add_done_callback(lambda f: log("cb, cancelled", f.cancelled()))
    await asyncio.sleep(0)
    log("done", t.done())
    log("cancel", t.cancel())
    await asyncio.sleep(0)
    log("result", t.result())
