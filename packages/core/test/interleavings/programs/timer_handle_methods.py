"""TimerHandle: when() is the deadline, cancel() is idempotent, a cancelled timer never fires."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0.25)
    t1 = loop.call_later(1.5, log, "t1 fires")
    t2 = loop.call_at(3, log, "t2 fires")
    log("when", round(t1.when() * 1000), round(t2.when() * 1000))
    log("cancelled", t1.cancelled(), t2.cancelled())
    t2.cancel()
    t2.cancel()
    log("after cancel", t1.cancelled(), t2.cancelled(), round(t2.when() * 1000))
    await asyncio.sleep(3)
    log("end at", round(loop.time() * 1000))
