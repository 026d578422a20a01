"""Eager task factory: a body that never suspends is done when create_task returns."""
import asyncio

EAGER = True


async def main(log):
    async def child():
        log("child runs")
        return 5

    t = asyncio.create_task(child())
    log("done", t.done(), "result", t.result())
    t.add_done_callback(lambda f: log("callback"))
    log("callback added")
    await asyncio.sleep(0)
    log("after one turn")
