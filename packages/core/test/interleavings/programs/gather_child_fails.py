"""A failing child makes gather raise at once; the other children are not cancelled."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def slow():
        await asyncio.sleep(1)
        log("slow finished at", round(loop.time() * 1000))

    async def bad():
        await asyncio.sleep(0.5)
        raise ValueError("bad")

    try:
        await asyncio.gather(slow(), bad())
    except ValueError as e:
        log("gather raised", e, "at", round(loop.time() * 1000))
    await asyncio.sleep(1)
    log("end at", round(loop.time() * 1000))
