"""Eager tasks awaiting a done future finish inside create_task; one awaiting a pending future waits for it."""
import asyncio

EAGER = True


async def main(log):
    loop = asyncio.get_running_loop()
    done_fut = loop.create_future()
    done_fut.set_result("ready")
    pending_fut = loop.create_future()

    async def waiter(name, fut):
        log(name, "starts")
        r = await fut
        log(name, "got", r)
        return r

    a = asyncio.create_task(waiter("a", done_fut))
    log("a done after create_task", a.done())
    b = asyncio.create_task(waiter("b", pending_fut))
    log("b done after create_task", b.done())
    pending_fut.set_result("later")
    log("set pending_fut")
    log("results", await a, await b)
