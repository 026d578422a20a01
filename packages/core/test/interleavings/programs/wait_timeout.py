"""wait(timeout=) returns when the time is up; unfinished tasks are not cancelled."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def work(delay):
        await asyncio.sleep(delay)
        log("finished", delay, "at", round(loop.time() * 1000))

    tasks = [asyncio.create_task(work(d), name=f"w{d}") for d in (1, 3)]
    done, pending = await asyncio.wait(tasks, timeout=2)
    log("done", sorted(t.get_name() for t in done), "pending", sorted(t.get_name() for t in pending))
    log("at", round(loop.time() * 1000))
    await asyncio.wait(pending)
    log("end at", round(loop.time() * 1000))
