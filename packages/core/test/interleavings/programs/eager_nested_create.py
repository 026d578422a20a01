"""Eager factory: a task created by an eager body starts inside its parent's first step."""
import asyncio

EAGER = True


async def main(log):
    async def leaf():
        log("leaf starts")
        await asyncio.sleep(0)
        log("leaf ends")

    async def parent():
        log("parent starts")
        t = asyncio.create_task(leaf())
        log("parent created leaf")
        await t
        log("parent ends")

    p = asyncio.create_task(parent())
    log("main created parent")
    await p
