"""timeout(1) around awaiting a future that a timer cancels at the same instant: TimeoutError, whichever timer is first."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    first = loop.create_future()
    loop.call_later(1, first.cancel, "timer first")
    try:
        async with asyncio.timeout(1) as cm:
            await first
    except TimeoutError:
        log("timer first: TimeoutError, expired", cm.expired())
    except asyncio.CancelledError as e:
        log("timer first: CancelledError", f"[{e}]")
    log("main cancelling", asyncio.current_task().cancelling())
    second = loop.create_future()
    try:
        async with asyncio.timeout(1) as cm:
            loop.call_later(1, second.cancel, "timer second")
            await second
    except TimeoutError:
        log("timeout first: TimeoutError, expired", cm.expired(), "future cancelled", second.cancelled())
    except asyncio.CancelledError as e:
        log("timeout first: CancelledError", f"[{e}]")
    log("main cancelling", asyncio.current_task().cancelling(), "at", round(loop.time() * 1000))
