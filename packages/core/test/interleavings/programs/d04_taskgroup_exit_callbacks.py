"""D4: leaving a TaskGroup resumes the body after the last child's own done callbacks."""
import asyncio


async def main(log):
    async def child():
        await asyncio.sleep(0)
        log("child returns")

    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(child())
        t.add_done_callback(lambda f: log("cb"))
    log("after")
