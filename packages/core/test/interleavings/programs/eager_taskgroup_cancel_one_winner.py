"""With eager tasks: tg.cancel() (3.15) from the first racer to finish: the other racers are cancelled, the group exits without CancelledError (test_taskgroup_cancel_one_winner)."""
import asyncio

EAGER = True

from taskgroup315 import TaskGroup


async def main(log):
    event = asyncio.Event()

    async def race(*fns):
        outcome = None

        async def run(fn):
            nonlocal outcome
            outcome = await fn()
            tg.cancel()

        async with TaskGroup() as tg:
            for fn in fns:
                tg.create_task(run(fn))
        return outcome

    def racer(n):
        async def fn():
            log(n, "started")
            try:
                await event.wait()
            except asyncio.CancelledError:
                log(n, "cancelled")
                raise
            log(n, "finished")
            return n
        return fn

    async def trigger_event():
        log("trigger event")
        event.set()

    async with TaskGroup() as tg:
        task = tg.create_task(race(racer(1), racer(2)))
        tg.create_task(trigger_event())
    log("result", task.result(), asyncio.current_task().cancelling())
