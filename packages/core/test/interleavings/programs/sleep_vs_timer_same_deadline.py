"""A task's sleep(1) and call_later(1) callbacks due together: heapq order of their timers, then the wakeup."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def sleeper(name):
        await asyncio.sleep(1)
        log(name, "woke")

    loop.call_later(1, log, "timer 1")
    a = asyncio.create_task(sleeper("a"))
    await asyncio.sleep(0)
    loop.call_later(1, log, "timer 2")
    b = asyncio.create_task(sleeper("b"))
    await asyncio.sleep(0)
    loop.call_later(1, log, "timer 3")
    await asyncio.gather(a, b)
