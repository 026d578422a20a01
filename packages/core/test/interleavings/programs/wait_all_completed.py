"""wait(ALL_COMPLETED) returns once every task is done; done holds all of them."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work(delay):
        await asyncio.sleep(delay)
        log("finished", delay)

    tasks = [asyncio.create_task(work(d), name=f"w{d}") for d in (2, 1, 3)]
    done, pending = await asyncio.wait(tasks)
    log("done", sorted(t.get_name() for t in done), "pending", len(pending), "at", round(loop.time() * 1000))
