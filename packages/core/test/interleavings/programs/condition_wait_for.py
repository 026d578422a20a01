"""wait_for(predicate) re-checks after each notification and returns once it holds."""
import asyncio


async def main(log):
    cond = asyncio.Condition()
    state = {"n": 0}

    async def consumer():
        async with cond:
            r = await cond.wait_for(lambda: state["n"] >= 3)
            log("predicate holds", r, state["n"])

    async def producer():
        for i in range(4):
            await asyncio.sleep(1)
            async with cond:
                state["n"] += 1
                log("n =", state["n"])
                cond.notify_all()

    await asyncio.gather(consumer(), producer())
