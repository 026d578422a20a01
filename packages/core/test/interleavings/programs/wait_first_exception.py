"""wait(FIRST_EXCEPTION) returns at the first failure; pending tasks are then cancelled by main."""
import asyncio


async def main(log):
    async def work(delay):
        await asyncio.sleep(delay)
        log("finished", delay)

    async def bad():
        await asyncio.sleep(1.5)
        raise ValueError("bad")

    tasks = [asyncio.create_task(work(1), name="w1"), asyncio.create_task(bad(), name="bad")]
    tasks.append(asyncio.create_task(work(3), name="w3"))
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    log("done", sorted(t.get_name() for t in done), "pending", sorted(t.get_name() for t in pending))
    for t in pending:
        t.cancel()
    done, pending = await asyncio.wait(pending)
    log("cancelled", [t.cancelled() for t in done])
    log("bad exception", tasks[1].exception())
