"""A call_later callback that raises is reported at its deadline; other timers due with it still run."""
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
        log("!", *context["message"].split()[:3], type(context["exception"]).__name__, round(loop.time() * 1000))

    loop.set_exception_handler(handler)

    def fail():
        raise TypeError("t")

    loop.call_later(1, log, "before")
    loop.call_later(1, fail)
    loop.call_later(1, log, "after")
    await asyncio.sleep(2)
    log("end")
