"""A future's done callback that raises is reported; the callbacks after it and the awaiter still run."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    # The handler's message is "Exception in callback <callback>". CPython 3.13 names the callback
    # by its qualified name and source line, without its arguments outside debug mode
    # ("Exception in callback main.<locals>.boom() at /path/program.py:17"); effect-asyncio by the
    # JavaScript function's name and its arguments ("boom(1)"). The file and the qualified name
    # cannot be reproduced in JavaScript, so both sides log the message's first three words and
    # the exception's class.
    def handler(loop, context):
        log("!", *context["message"].split()[:3], type(context["exception"]).__name__)

    loop.set_exception_handler(handler)
    fut = loop.create_future()

    def bad(f):
        log("bad callback sees", f.result())
        raise RuntimeError("callback failed")

    fut.add_done_callback(bad)
    fut.add_done_callback(lambda f: log("good callback"))

    async def waiter():
        log("waiter got", await fut)

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    fut.set_result("v")
    await w
    log("end")
