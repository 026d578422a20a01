"""Cancelling one of several tasks awaiting a future cancels the future: the others end cancelled too."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter(name):
        log(name, "awaits")
        await fut
        log(name, "never")

    ts = {n: asyncio.create_task(waiter(n)) for n in ("a", "b", "c")}
    for n, t in ts.items():
        t.add_done_callback(lambda t, n=n: log(n, "done callback, cancelled", t.cancelled()))
    await asyncio.sleep(0)
    ts["b"].cancel("only b")
    log("future cancelled", fut.cancelled())
    for n, t in ts.items():
        try:
            await t
        except asyncio.CancelledError as e:
            log(n, "CancelledError", f"[{e}]", t.cancelled())
