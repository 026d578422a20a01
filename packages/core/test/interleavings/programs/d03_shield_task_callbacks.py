"""D3: await shield(task) returns after that task's own done callbacks added before it."""
import asyncio


async def main(log):
    async def child():
        await asyncio.sleep(0)
        log("child returns")
        return "v"

    t = asyncio.create_task(child())
    t.add_done_callback(lambda f: log("t callback"))
    r = await asyncio.shield(t)
    log("shield returned", r)
