"""as_completed(timeout=): a wait not served in time raises TimeoutError; the task keeps running."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work(name, delay):
        await asyncio.sleep(delay)
        log(name, "finished at", round(loop.time() * 1000))
        return name

    slow = asyncio.create_task(work("slow", 3))
    try:
        for aw in asyncio.as_completed([work("fast", 1), slow], timeout=2):
            log("got", await aw)
    except TimeoutError:
        log("TimeoutError at", round(loop.time() * 1000), "slow done", slow.done())
    log("slow result", await slow)
