"""remove_done_callback removes every registration of the function and returns how many."""
import asyncio


async def main(log):
    def cb_a(t):
        log("cb_a")

    def cb_b(t):
        log("cb_b")

    t = asyncio.create_task(asyncio.sleep(0))
    t.add_done_callback(cb_a)
    t.add_done_callback(cb_b)
    t.add_done_callback(cb_a)
    log("removed", t.remove_done_callback(cb_a))
    log("removed again", t.remove_done_callback(cb_a))
    await t
    log("awaited")
    await asyncio.sleep(0)
    log("end")
