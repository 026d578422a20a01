"""cancel() then cancel("second") of a task awaiting a sleeping task: the message is lost ("")."""
import asyncio


async def main(log):
    inner = asyncio.create_task(asyncio.sleep(10))

    async def awaits():
        await inner

    a = asyncio.create_task(awaits())
    await asyncio.sleep(0)
    a.cancel()
    a.cancel("second")
    for name, t in (("a", a), ("inner", inner)):
        try:
            await t
        except asyncio.CancelledError as e:
            log(name, "message", f"[{e}]")
