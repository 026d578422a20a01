"""Awaiting a cancelled task raises its CancelledError with the message once, then bare ones."""
import asyncio


async def main(log):
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    t.cancel("stop")
    for i in range(3):
        try:
            await t
        except asyncio.CancelledError as e:
            log("await", i, f"[{e}]")
    try:
        t.result()
    except asyncio.CancelledError as e:
        log("result()", f"[{e}]")
