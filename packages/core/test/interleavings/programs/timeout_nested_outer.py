"""Nested timeouts: the outer one expires first; TimeoutError comes out of the outer block only."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1) as outer:
            try:
                async with asyncio.timeout(5) as inner:
                    await asyncio.sleep(3)
            finally:
                log("inner left, expired", inner.expired())
    except TimeoutError:
        log("outer TimeoutError at", round(loop.time() * 1000), outer.expired())
