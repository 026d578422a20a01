"""get_nowait on an empty queue raises QueueEmpty, put_nowait on a full one QueueFull."""
import asyncio


async def main(log):
    q = asyncio.Queue(maxsize=1)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        log("QueueEmpty")
    q.put_nowait("x")
    try:
        q.put_nowait("y")
    except asyncio.QueueFull:
        log("QueueFull")
    log("got", q.get_nowait())
