"""Task(eager_start=True) without the factory: only that task starts inline; names still count."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    async def child(name):
        log(name, "starts in", asyncio.current_task().get_name())
        await asyncio.sleep(0)
        log(name, "resumes")

    lazy = asyncio.create_task(child("lazy"))
    eager = asyncio.Task(child("eager"), loop=loop, eager_start=True)
    log("created", lazy.get_name(), eager.get_name())
    await asyncio.gather(lazy, eager)
