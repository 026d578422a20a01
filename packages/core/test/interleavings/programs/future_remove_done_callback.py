"""Future.remove_done_callback removes every registration and returns the count."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def cb(f):
        log("cb")

    def other(f):
        log("other")

    fut.add_done_callback(cb)
    fut.add_done_callback(other)
    fut.add_done_callback(cb)
    log("removed", fut.remove_done_callback(cb))
    fut.set_result(None)
    await asyncio.sleep(0)
    log("end")
