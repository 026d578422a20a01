"""call_later / call_at timers fire in deadline order; TimerHandle.when() is the loop time."""
import asyncio


async def main(log):
    loop = asyncio.get_running_loop()

    def fire(name):
        log(name, "at", round(loop.time() * 1000))

    h1 = loop.call_later(1, fire, "later 1")
    h2 = loop.call_later(0.5, fire, "later 0.5")
    h3 = loop.call_at(loop.time() + 2, fire, "at 2")
    h4 = loop.call_later(1.5, fire, "cancelled")
    h4.cancel()
    log("when", round(h1.when() * 1000), round(h2.when() * 1000), round(h3.when() * 1000))
    await asyncio.sleep(3)
