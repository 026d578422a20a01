"""A cancelled task hands its CancelledError (with the message) out once: a done callback's exception() takes it."""
import asyncio


async def main(log):
    t = asyncio.create_task(asyncio.sleep(10))

    def cb(task):
        try:
            task.exception()
        except asyncio.CancelledError as e:
            log("callback exception()", f"[{e}]")

    t.add_done_callback(cb)
    await asyncio.sleep(0)
    t.cancel("m")
    try:
        await t
    except asyncio.CancelledError as e:
        log("await", f"[{e}]")
    try:
        t.result()
    except asyncio.CancelledError as e:
        log("result()", f"[{e}]")
