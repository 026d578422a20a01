"""wait_for(future, 1) and a timer setting the future at the same instant: the earlier timer decides."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    # The message of a callback that raised names the callback by its qualified name and source
    # line in CPython ("Exception in callback Future.set_result()"), by the JavaScript function's
    # name and its arguments in effect-asyncio: both sides log the first three words and the class.
    def handler(loop, context):
        log("!", *context["message"].split()[:3], type(context["exception"]).__name__)

    loop.set_exception_handler(handler)
    # the setter's timer first: the future gets its result, then the timeout cancels the waiting
    # task anyway (the future is done, so the request waits for the task's next step)
    early = loop.create_future()
    loop.call_later(1, early.set_result, "set first")
    try:
        log("early", await asyncio.wait_for(early, 1))
    except TimeoutError:
        log("early timed out, cancelled", early.cancelled(), "result", early.result())
    # the timeout's timer first: the future is cancelled, then the setter raises InvalidStateError
    late = loop.create_future()
    t = asyncio.create_task(asyncio.wait_for(late, 1))
    await asyncio.sleep(0)
    loop.call_later(1, late.set_result, "set second")
    try:
        log("late", await t)
    except TimeoutError:
        log("late timed out, cancelled", late.cancelled())
    await asyncio.sleep(0)
    log("at", round(loop.time() * 1000))
