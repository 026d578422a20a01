"""A timer callback that call_soon's and call_later(0)'s: the soon one runs next iteration, the timer one after."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    def at_one():
        log("timer at", round(loop.time() * 1000))
        loop.call_later(0, log, "later(0) from timer")
        loop.call_soon(log, "soon from timer")

    async def sleeper():
        await asyncio.sleep(1)
        log("sleeper woke")
        await asyncio.sleep(0)
        log("sleeper after sleep(0)")

    loop.call_later(1, at_one)
    s = asyncio.create_task(sleeper())
    await s
    await asyncio.sleep(0)
    log("end")
