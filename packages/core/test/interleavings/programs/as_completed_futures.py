"""as_completed over futures set by timers: results in completion order; a timeout leaves the rest pending."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fs = [loop.create_future() for _ in range(3)]
    loop.call_later(2, fs[0].set_result, "slow")
    loop.call_later(0.5, fs[1].set_result, "fast")
    loop.call_later(1, fs[2].set_exception, ValueError("mid"))
    for aw in asyncio.as_completed(fs):
        try:
            log("got", await aw, "at", round(loop.time() * 1000))
        except ValueError as e:
            log("raised", e, "at", round(loop.time() * 1000))
    g = loop.create_future()
    try:
        for aw in asyncio.as_completed([g], timeout=1):
            await aw
    except TimeoutError:
        log("timed out at", round(loop.time() * 1000), "g pending", not g.done())
