"""D8: two cancel() of a task suspended at sleep(0): the last message wins."""
import asyncio


async def main(log):
    async def child():
        log("child at sleep(0)")
        await asyncio.sleep(0)

    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    t.cancel("first")
    t.cancel("second")
    try:
        await t
    except asyncio.CancelledError as e:
        log("message", f"[{e}]")
