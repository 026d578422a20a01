"""Runs an interleavings program under CPython's asyncio on virtual time and prints its log.

The loop is asyncio's own SelectorEventLoop with one change: time is virtual. `time()` reads a
counter that moves only when the loop has nothing ready and would block in `select()`: it then
jumps to the earliest timer, as Effect's TestClock does on the TypeScript side. Nothing else of
asyncio is touched, so the order of callbacks, steps and timers is CPython's own.

Usage: python3.13 harness.py program.py   (prints the log, one line per entry)

A program defines `async def main(log)` and may set `EAGER = True` (eager task factory) or
`DEBUG = True`. The harness appends how main ended: `-> ok`, `-> ok: <result>` or
`-> <ExceptionClass>: <message>`; reports of the loop's exception handler are logged as
`! <message>`.
"""
import asyncio
import runpy
import selectors
import sys


class VirtualSelector(selectors.DefaultSelector):
    def __init__(self, loop_ref):
        super().__init__()
        self._loop_ref = loop_ref

    def select(self, timeout=None):
        loop = self._loop_ref()
        if timeout is None:
            # nothing ready and no timer: a real loop would block forever
            raise RuntimeError("deadlock: the loop would block forever")
        if timeout > 0:
            target = loop._vtime + timeout
            scheduled = loop._scheduled
            if scheduled and scheduled[0]._when <= target:
                target = scheduled[0]._when
            loop._vtime = max(loop._vtime, target)
        return super().select(0)


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        import weakref
        self._vtime = 0.0
        super().__init__(VirtualSelector(weakref.ref(self)))

    def time(self):
        return self._vtime


def describe(value):
    if isinstance(value, BaseExceptionGroup):
        inner = ", ".join(describe(e) for e in value.exceptions)
        return f"{type(value).__name__}: [{inner}]"
    if isinstance(value, BaseException):
        return f"{type(value).__name__}: {value}"
    return repr(value)


def run(path):
    module = runpy.run_path(path)
    main = module["main"]
    lines = []
    log = lambda *parts: lines.append(" ".join(str(p) for p in parts))

    def handler(loop, context):
        lines.append(f"! {context['message']}")

    def factory():
        loop = VirtualLoop()
        loop.set_exception_handler(handler)
        if module.get("EAGER", False):
            loop.set_task_factory(asyncio.eager_task_factory)
        loop.set_debug(module.get("DEBUG", False))
        return loop

    try:
        with asyncio.Runner(loop_factory=factory) as runner:
            result = runner.run(main(log))
        lines.append("-> ok" if result is None else f"-> ok: {describe(result)}")
    except BaseException as exc:  # noqa: BLE001 - the outcome is what we record
        lines.append(f"-> {describe(exc)}")
    return lines


if __name__ == "__main__":
    for line in run(sys.argv[1]):
        print(line)
