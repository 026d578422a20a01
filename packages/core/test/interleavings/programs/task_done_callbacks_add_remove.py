"""add_done_callback / remove_done_callback on a task: removed ones never run, the rest run in order after the awaiter."""
import asyncio


async def main(log):
    async def child():
        await asyncio.sleep(1)
        return "c"

    def cb1(t):
        log("cb1", t.result())

    def cb2(t):
        log("cb2")

    t = asyncio.create_task(child())
    t.add_done_callback(cb1)
    t.add_done_callback(cb2)
    t.add_done_callback(cb1)

    async def awaiter():
        log("awaiter got", await t)

    a = asyncio.create_task(awaiter())
    await asyncio.sleep(0)
    log("removed cb1", t.remove_done_callback(cb1), "removed again", t.remove_done_callback(cb1))
    t.add_done_callback(cb1)
    await a
    await asyncio.sleep(0)
    log("end")
