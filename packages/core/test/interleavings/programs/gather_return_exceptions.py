"""gather(return_exceptions=True) puts each child's exception in its place and waits for all."""
import asyncio


async def main(log):
    async def ok(name):
        await asyncio.sleep(0)
        log(name, "returns")
        return name

    async def bad():
        raise ValueError("bad")

    r = await asyncio.gather(ok("a"), bad(), ok("b"), return_exceptions=True)
    log("results", [type(x).__name__ if isinstance(x, BaseException) else x for x in r])
    log("error message", str(r[1]))
