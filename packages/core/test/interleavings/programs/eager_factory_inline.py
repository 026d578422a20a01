"""Eager task factory: create_task runs the body up to its first await before returning."""
import asyncio

EAGER = True


async def main(log):
    async def child(name):
        log(name, "starts")
        await asyncio.sleep(0)
        log(name, "resumes")

    log("before create")
    a = asyncio.create_task(child("a"))
    log("after create a, done", a.done())
    b = asyncio.create_task(child("b"))
    log("after create b")
    await asyncio.gather(a, b)
