"""Cancelling the task that awaits gather(futures) cancels every pending future; a done one is kept."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    f1, f2, f3 = loop.create_future(), loop.create_future(), loop.create_future()
    for i, f in enumerate((f1, f2, f3)):
        f.add_done_callback(lambda f, i=i: log("f", i, "done, cancelled", f.cancelled()))

    async def outer():
        return await asyncio.gather(f1, f2, f3)

    o = asyncio.create_task(outer())
    await asyncio.sleep(0)
    f1.set_result("one")
    await asyncio.sleep(0)
    o.cancel("stop outer")
    log("after cancel", f1.cancelled(), f2.cancelled(), f3.cancelled())
    try:
        await o
    except asyncio.CancelledError as e:
        log("outer cancelled", f"[{e}]")
