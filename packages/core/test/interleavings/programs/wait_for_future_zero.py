"""wait_for(future, 0): a done future gives its result at once; a pending one is cancelled, then TimeoutError."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    done.set_result("ready")
    log("done future", await asyncio.wait_for(done, 0))
    pending = loop.create_future()
    pending.add_done_callback(lambda f: log("callback: cancelled", f.cancelled()))
    try:
        await asyncio.wait_for(pending, 0)
    except TimeoutError:
        log("TimeoutError, cancelled", pending.cancelled())
    failed = loop.create_future()
    failed.set_exception(ValueError("v"))
    try:
        await asyncio.wait_for(failed, -1)
    except ValueError as e:
        log("failed future raised", e)
