"""A done callback that adds a callback to its done future, and one that calls call_soon: both queue at the end."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def first(f):
        log("first")
        f.add_done_callback(lambda f: log("added by first"))
        loop.call_soon(log, "call_soon from first")

    fut.add_done_callback(first)
    fut.add_done_callback(lambda f: log("second"))

    async def waiter():
        await fut
        log("waiter woke")

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    fut.add_done_callback(lambda f: log("third"))
    fut.set_result(None)
    await w
    await asyncio.sleep(0)
    log("end")
