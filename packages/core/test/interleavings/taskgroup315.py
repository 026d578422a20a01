"""CPython main's `TaskGroup.cancel()` (gh-108951, 3.15) on CPython 3.13's TaskGroup.

CPython 3.13 has no `TaskGroup.cancel()`; the `taskgroup_cancel_*` programs import this class so
that CPython 3.13's own task machinery records their logs. What it adds is what main adds: the
`cancel()` method and its cancel-on-entry flag, the gh-155418 check in `create_task` (a child
that cancelled the group before joining it is cancelled), and `__aexit__`'s final `return True`
(a body cut short by `cancel()` is suppressed). The gh-155433 fix (an outside cancellation after
`cancel()` propagates) lives inside main's `_aexit` and is not modelled here: its case is a test
of its own in test/taskgroups.cancel.test.ts.
"""
import asyncio


class TaskGroup(asyncio.TaskGroup):
    def __init__(self):
        super().__init__()
        self._cancel_on_enter = False

    async def __aenter__(self):
        group = await super().__aenter__()
        if self._cancel_on_enter:
            self.cancel()
        return group

    async def __aexit__(self, et, exc, tb):
        # raises whatever deserves raising; what is left is suppressed, as in main
        await super().__aexit__(et, exc, tb)
        return True

    def create_task(self, coro, **kwargs):
        task = super().create_task(coro, **kwargs)
        if self._aborting and not task.done():
            task.cancel()
        return task

    def cancel(self):
        if not self._entered:
            self._cancel_on_enter = True
            return
        if self._exiting and not self._tasks:
            return
        if not self._aborting:
            self._abort()
            if self._parent_task is not None and not self._parent_cancel_requested:
                self._parent_cancel_requested = True
                self._parent_task.cancel()
