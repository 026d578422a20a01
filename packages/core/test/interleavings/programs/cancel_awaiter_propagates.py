"""Cancelling a task that awaits another task cancels the awaited one too, with the message."""
import asyncio


async def main(log):
    async def inner():
        try:
            await asyncio.sleep(10)
        finally:
            log("inner cleanup")

    async def outer(t):
        try:
            await t
        finally:
            log("outer cleanup")

    t = asyncio.create_task(inner())
    o = asyncio.create_task(outer(t))
    await asyncio.sleep(0)
    o.cancel("m")
    log("after cancel")
    for name, x in (("outer", o), ("inner", t)):
        try:
            await x
        except asyncio.CancelledError as e:
            log(name, "cancelled", f"[{e}]", x.cancelled())
