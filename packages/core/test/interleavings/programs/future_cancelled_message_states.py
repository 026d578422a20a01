"""A cancelled future: cancel(msg) once; await, result() and exception() each raise CancelledError(msg)."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    log("cancel", fut.cancel("why"), "cancel again", fut.cancel("other"))
    for i in range(2):
        try:
            await fut
        except asyncio.CancelledError as e:
            log("await", i, f"[{e}]")
    for name in ("result", "exception"):
        try:
            getattr(fut, name)()
        except asyncio.CancelledError as e:
            log(name, f"[{e}]")
    bare = loop.create_future()
    bare.cancel()
    try:
        await bare
    except asyncio.CancelledError as e:
        log("bare", f"[{e}]")
    try:
        fut.set_result(1)
    except asyncio.InvalidStateError as e:
        log("set_result on a cancelled future:", type(e).__name__)
