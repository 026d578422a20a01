"""cancel() of a submission (run_coroutine_threadsafe) before its task exists: the task is created and takes its first step, then the cancellation reaches it; cancelled later, the task is cancelled at the next turn; cancel() of a cancelled one is True."""
import asyncio
import concurrent.futures


async def main(log):
    loop = asyncio.get_running_loop()

    async def job(name):
        log(name, "starts")
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log(name, "cancelled")
            raise

    def others():
        return sorted(t.get_name() for t in asyncio.all_tasks() if t is not asyncio.current_task())

    early = asyncio.run_coroutine_threadsafe(job("early"), loop)
    log("cancel early", early.cancel(), early.cancelled(), early.done())
    late = asyncio.run_coroutine_threadsafe(job("late"), loop)
    for i in range(4):
        await asyncio.sleep(0)
        log("turn", i, others())
    log("cancel late", late.cancel(), late.cancelled(), late.cancel())
    for i in range(3):
        await asyncio.sleep(0)
        log("after", i, others())
    try:
        early.result()
    except concurrent.futures.CancelledError:
        log("early result: CancelledError")
