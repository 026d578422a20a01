"""One future awaited by three tasks: set_result wakes them in the order they started awaiting."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter(name):
        log(name, "awaits")
        r = await fut
        log(name, "got", r)
        return name

    ts = [asyncio.create_task(waiter(n)) for n in ("c", "a", "b")]
    await asyncio.sleep(0)
    fut.add_done_callback(lambda f: log("late callback"))
    loop.call_later(1, fut.set_result, 42)
    log("results", await asyncio.gather(*ts))
