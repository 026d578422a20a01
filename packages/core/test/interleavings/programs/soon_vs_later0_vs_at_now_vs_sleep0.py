"""call_soon, call_later(0), call_at(now) and sleep(0) wakeups: FIFO for the ready queue, timers after it."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def sleeper():
        log("sleeper before sleep(0)")
        await asyncio.sleep(0)
        log("sleeper after sleep(0)")

    loop.call_later(0, log, "call_later(0)")
    loop.call_at(loop.time(), log, "call_at(now)")
    loop.call_soon(log, "call_soon 1")
    s = asyncio.create_task(sleeper())
    loop.call_soon(log, "call_soon 2")
    await asyncio.sleep(0)
    log("main after sleep(0)")
    await asyncio.sleep(0)
    log("main after second sleep(0)")
    await s
