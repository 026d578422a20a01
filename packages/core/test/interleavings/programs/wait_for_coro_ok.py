"""wait_for(coro) runs the coroutine in the caller's task: no extra turn when it finishes in time."""
import asyncio


async def main(log):
    async def ticker(n):
        for i in range(n):
            log("tick", i)
            await asyncio.sleep(0)

    async def work():
        log("work in", asyncio.current_task().get_name())
        await asyncio.sleep(0)
        return "value"

    tk = asyncio.create_task(ticker(4))
    log("got", await asyncio.wait_for(work(), 5))
    await tk
