"""A cancelled future raises CancelledError with its message in the awaiting task."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter():
        try:
            await fut
        except asyncio.CancelledError as e:
            log("waiter: CancelledError", f"[{e}]")

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    log("cancel", fut.cancel("gone"), "again", fut.cancel())
    log("cancelled", fut.cancelled(), "done", fut.done())
    await w
    try:
        fut.exception()
    except asyncio.CancelledError as e:
        log("exception() raised CancelledError", f"[{e}]")
