"""A call_soon callback that raises is reported and the loop goes on with the next callbacks."""
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

    def boom(n):
        log("boom", n)
        raise ValueError(f"boom {n}")

    loop.call_soon(boom, 1)
    loop.call_soon(log, "after boom")
    loop.call_soon(boom, 2)
    await asyncio.sleep(0)
    log("main still runs")
