"""isfuture / isinstance(Task) tell futures from tasks; get_loop() is the running loop; a Task refuses set_result."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    task = asyncio.create_task(asyncio.sleep(0))
    log("isfuture", asyncio.isfuture(fut), asyncio.isfuture(task), asyncio.isfuture(42))
    log("is Task", isinstance(fut, asyncio.Task), isinstance(task, asyncio.Task))
    log("get_loop", fut.get_loop() is loop, task.get_loop() is loop)
    try:
        task.set_result(1)
    except RuntimeError as e:
        log("task.set_result:", e)
    await task
    fut.set_result(None)
    log("future done", fut.done(), "result", fut.result())
