"""wait(FIRST_COMPLETED) returns when one task is done; the others keep running."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work(delay):
        await asyncio.sleep(delay)
        log("finished", delay, "at", round(loop.time() * 1000))

    tasks = [asyncio.create_task(work(d), name=f"w{d}") for d in (2, 1, 3)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    log("done", sorted(t.get_name() for t in done), "pending", sorted(t.get_name() for t in pending))
    await asyncio.wait(pending)
    log("rest done at", round(loop.time() * 1000))
