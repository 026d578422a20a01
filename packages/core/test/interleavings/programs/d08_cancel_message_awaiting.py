"""D8: cancel() then cancel("second") of tasks awaiting a task or a gather at sleep(0): "second" wins."""
import asyncio


async def main(log):
    async def spin():
        for i in range(3):
            await asyncio.sleep(0)

    inner = asyncio.create_task(spin())

    async def awaits():
        await inner

    async def gathers():
        await asyncio.gather(spin())

    a = asyncio.create_task(awaits())
    g = asyncio.create_task(gathers())
    await asyncio.sleep(0)
    for name, t in (("awaiting task", a), ("awaiting gather", g)):
        t.cancel()
        t.cancel("second")
        try:
            await t
        except asyncio.CancelledError as e:
            log(name, "message", f"[{e}]")
