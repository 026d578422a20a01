"""D13: a Barrier(2) waiter cancelled but not yet resumed still counts: main passes, index 1."""
import asyncio


async def main(log):
    b = asyncio.Barrier(2)
    t = asyncio.create_task(b.wait())
    await asyncio.sleep(0)
    t.cancel()
    i = await asyncio.wait_for(b.wait(), 1)
    log("main passed, index", i, "n_waiting", b.n_waiting)
    try:
        await t
    except asyncio.CancelledError:
        log("t cancelled", t.cancelled(), "n_waiting", b.n_waiting)
