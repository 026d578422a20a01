"""The message of InvalidStateError from set_result / set_exception on a done future (C _asyncio's)."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.set_result(1)
    try:
        fut.set_result(2)
    except asyncio.InvalidStateError as e:
        log("set_result:", f"[{e}]")
    cancelled = loop.create_future()
    cancelled.cancel()
    try:
        cancelled.set_exception(ValueError("late"))
    except asyncio.InvalidStateError as e:
        log("set_exception:", f"[{e}]")
