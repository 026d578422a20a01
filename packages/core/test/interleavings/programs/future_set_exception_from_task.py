"""set_exception from another task: every awaiter raises the same error, in the order they awaited."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter(name):
        try:
            await fut
        except ValueError as e:
            log(name, "raised", e)

    async def failer():
        await asyncio.sleep(1)
        fut.set_exception(ValueError("broken"))
        log("failer set, done", fut.done())

    ws = [asyncio.create_task(waiter(n)) for n in ("a", "b")]
    f = asyncio.create_task(failer())
    await asyncio.gather(*ws, f)
    log("exception()", fut.exception(), "at", round(loop.time() * 1000))
