"""Nested timeouts: the inner one expires first; the outer block goes on and does not expire."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(5) as outer:
        try:
            async with asyncio.timeout(1) as inner:
                await asyncio.sleep(3)
        except TimeoutError:
            log("inner TimeoutError at", round(loop.time() * 1000), inner.expired())
        await asyncio.sleep(1)
    log("outer expired", outer.expired(), "at", round(loop.time() * 1000))
