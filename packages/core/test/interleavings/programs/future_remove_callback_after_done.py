"""Once a future is done its callbacks are scheduled: remove_done_callback then finds none and they still run."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def cb(f):
        log("cb runs, result", f.result())

    fut.add_done_callback(cb)
    fut.set_result(1)
    log("removed after done", fut.remove_done_callback(cb))
    fut.add_done_callback(cb)
    log("removed the one added to a done future", fut.remove_done_callback(cb))
    await asyncio.sleep(0)
    log("end")
