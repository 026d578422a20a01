"""If the shielded task itself is cancelled, awaiting the shield raises CancelledError."""
import asyncio


async def main(log):
    inner = asyncio.create_task(asyncio.sleep(5))

    async def canceller():
        await asyncio.sleep(1)
        inner.cancel()

    c = asyncio.create_task(canceller())
    try:
        await asyncio.shield(inner)
    except asyncio.CancelledError:
        log("shield raised CancelledError, main cancelling", asyncio.current_task().cancelling())
    await c
