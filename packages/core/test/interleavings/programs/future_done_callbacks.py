"""Future done callbacks and awaiters are called with call_soon, in the order they were added."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter(name):
        await fut
        log(name, "woke")

    fut.add_done_callback(lambda f: log("cb1", f.result()))
    a = asyncio.create_task(waiter("a"))
    await asyncio.sleep(0)
    fut.add_done_callback(lambda f: log("cb2"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    fut.set_result("r")
    log("set")
    await asyncio.gather(a, b)
    fut.add_done_callback(lambda f: log("cb3 on a done future"))
    log("added cb3")
    await asyncio.sleep(0)
