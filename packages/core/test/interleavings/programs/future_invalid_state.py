"""result() of a pending future and set_result() of a done one raise InvalidStateError."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    try:
        fut.result()
    except asyncio.InvalidStateError as e:
        log("result():", e)
    fut.set_result(1)
    try:
        fut.set_result(2)
    except asyncio.InvalidStateError as e:
        log("set_result():", type(e).__name__)
    log("result", fut.result())
