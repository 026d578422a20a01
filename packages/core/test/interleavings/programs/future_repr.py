"""repr() of a future without callbacks: pending, finished with a result or an exception, cancelled."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fs = [loop.create_future() for _ in range(4)]
    log(repr(fs[0]))
    fs[1].set_result([1, "x"])
    fs[2].set_exception(ValueError("bad"))
    fs[3].cancel("why")
    for f in fs[1:]:
        log(repr(f))
    fs[2].exception()
