"""The CPython 3.13 side of the differential fuzzer (`pnpm difftest`).

Turns a program of the fuzzer (the JSON AST of `ast.ts`) into coroutines and runs it with
`asyncio.Runner` on a virtual-time loop (the loop of `test/interleavings/harness.py`: asyncio's own
SelectorEventLoop whose clock jumps to the next timer only when nothing is ready), and returns its
log, one line per entry. `interp.ts` is the same interpreter on effect-asyncio; both write the same
lines with the same formatting rule (`fmt`), so the two logs compare line by line.

Usage:
    python3.13 interp.py program.json     prints the log of one program (a file holding a program,
                                           or an object with a "program" field)
    python3.13 interp.py --serve          reads one JSON request a line, {"id": n, "program": {...},
                                           "runs": [start, end]}, and answers each with one line,
                                           {"id": n, "logs": [...]}: the distinct logs of runs
                                           start..end-1, each with another heap layout (see
                                           `run_perturbed`)

The log ends with how main ended: `-> ok (t=<virtual seconds>)`, `-> <Exception>(...) (t=...)`,
or `-> deadlock` when the loop would block forever (nothing ready, no timer: the selector raises).
Reports of the loop's exception handler are logged as `! <message>`, except the three that depend
on the garbage collector ("Task exception was never retrieved", "Future exception was never
retrieved", "Task was destroyed but it is pending!"), which JavaScript cannot reproduce. A callback
that raised is logged as `! Exception in callback: <class>`: CPython's message goes on with the
callback's qualified name and source line (`main.<locals>.cb() at interp.py:312`), which effect-asyncio
cannot reproduce (it shows the JavaScript function's name and arguments).
"""
import asyncio
import json
import re
import selectors
import sys
import weakref


class Deadlock(Exception):
    pass


class VirtualSelector(selectors.DefaultSelector):
    def __init__(self, loop_ref):
        super().__init__()
        self._loop_ref = loop_ref

    def select(self, timeout=None):
        loop = self._loop_ref()
        if timeout is None:
            # nothing ready and no timer: a real loop would block forever
            raise Deadlock("deadlock: the loop would block forever")
        if timeout > 0:
            target = loop._vtime + timeout
            scheduled = loop._scheduled
            if scheduled and scheduled[0]._when <= target:
                target = scheduled[0]._when
            loop._vtime = max(loop._vtime, target)
        return super().select(0)


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._vtime = 0.0
        super().__init__(VirtualSelector(weakref.ref(self)))

    def time(self):
        return self._vtime


GC_MESSAGES = (
    "Task exception was never retrieved",
    "Future exception was never retrieved",
    "Task was destroyed but it is pending!",
)
CALLBACK_MESSAGE = "Exception in callback"


def quote(s):
    return "'" + s + "'"


def fmt(v):
    """The formatting rule shared with interp.ts (its `fmt`)."""
    if v is None:
        return "None"
    if v is True:
        return "True"
    if v is False:
        return "False"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return fmt_num(v)
    if isinstance(v, str):
        return quote(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    if isinstance(v, BaseExceptionGroup):
        inner = ", ".join(fmt(e) for e in v.exceptions)
        return f"{type(v).__name__}({quote(v.message)}, [{inner}])"
    if isinstance(v, BaseException):
        s = str(v)
        return f"{type(v).__name__}({quote(s)})" if s else f"{type(v).__name__}()"
    return repr(v)


def fmt_num(x):
    """A duration or a time: integers without a point, otherwise up to 3 decimals."""
    if float(x).is_integer():
        return str(int(x))
    return ("%.3f" % x).rstrip("0").rstrip(".")


CATCHABLE = {
    "ValueError": ValueError,
    "TimeoutError": TimeoutError,
    "CancelledError": asyncio.CancelledError,
}


class Run:
    """One run of one program."""

    def __init__(self, program):
        self.program = program
        self.bodies = program["bodies"]
        self.lines = []
        self.stopped = False
        self.base = 0  # Task-N numbers are counted per process in CPython: main is Task-(base+1)
        self.prims = {}
        self.notified = {}  # notifications of each condition so far (for cond_wait_for)
        self.started = {}  # body name -> the task that started running it
        self.t0 = 0.0

    def log(self, line):
        if not self.stopped:
            self.lines.append(line)

    def task_name(self, task):
        name = task.get_name()
        m = re.fullmatch(r"Task-(\d+)", name)
        return f"Task-{int(m.group(1)) - self.base}" if m else name

    # --- coroutines -------------------------------------------------------------------------

    async def main(self):
        loop = asyncio.get_running_loop()
        for prim in self.program["prims"]:
            kind, name = prim["kind"], prim["name"]
            if kind == "lock":
                self.prims[name] = asyncio.Lock()
            elif kind == "event":
                self.prims[name] = asyncio.Event()
            elif kind == "semaphore":
                self.prims[name] = asyncio.Semaphore(prim["value"])
            elif kind == "condition":
                self.prims[name] = asyncio.Condition()
            elif kind == "queue":
                cls = {"lifo": asyncio.LifoQueue, "priority": asyncio.PriorityQueue}.get(prim.get("order"), asyncio.Queue)
                self.prims[name] = cls(prim["maxsize"])
            elif kind == "barrier":
                self.prims[name] = asyncio.Barrier(prim["parties"])
        start = loop.time()
        self.t0 = start
        try:
            await self.ops(self.program["main"], Ctx("main", {}))
        finally:
            self.elapsed = loop.time() - start

    async def body(self, name, env):
        self.started[name] = asyncio.current_task()
        await self.ops(self.bodies[name]["ops"], Ctx(name, env))
        return self.bodies[name]["ret"]

    def child(self, child, ctx):
        if "body" in child:
            return self.body(child["body"], dict(ctx.env))
        return ctx.env[child["task"]]

    def target(self, name, ctx):
        return asyncio.current_task() if name == "self" else ctx.env[name]

    async def ops(self, ops, ctx):
        for op in ops:
            await self.op(op, ctx)

    async def bounded(self, ctx, what, make, timeout, errors=()):
        """`await make()`, under `asyncio.timeout(timeout)` when a timeout is given."""
        try:
            if timeout is None:
                r = await make()
            else:
                async with asyncio.timeout(timeout):
                    r = await make()
        except TimeoutError:
            self.log(f"{ctx.me}: {what} timed out")
            return False
        except errors as e:
            self.log(f"{ctx.me}: {what} raised {fmt(e)}")
            return False
        self.log(f"{ctx.me}: {what} -> {fmt(r)}")
        return True

    async def op(self, op, ctx):
        me = ctx.me
        kind = op["op"]
        log = self.log
        if kind == "log":
            log(f"{me}: {op['text']}")
        elif kind == "sleep":
            await asyncio.sleep(op["d"])
            log(f"{me}: slept {fmt_num(op['d'])}")
        elif kind == "spawn":
            name = op["body"]
            coro = self.body(name, dict(ctx.env))
            task_name = op.get("name")
            if "group" in op:
                task = ctx.groups[op["group"]].create_task(coro, name=task_name)
            elif "eager" in op:
                task = asyncio.Task(coro, loop=asyncio.get_running_loop(), name=task_name,
                                    eager_start=op["eager"])
            else:
                task = asyncio.create_task(coro, name=task_name)
            ctx.env[name] = task
            log(f"{me}: spawn {name}")
        elif kind == "await":
            r = await ctx.env[op["task"]]
            log(f"{me}: await {op['task']} -> {fmt(r)}")
        elif kind == "done":
            log(f"{me}: {op['task']}.done() = {fmt(ctx.env[op['task']].done())}")
        elif kind == "cancelled":
            log(f"{me}: {op['task']}.cancelled() = {fmt(ctx.env[op['task']].cancelled())}")
        elif kind in ("result", "exception"):
            task = ctx.env[op["task"]]
            try:
                r = task.result() if kind == "result" else task.exception()
                log(f"{me}: {op['task']}.{kind}() = {fmt(r)}")
            except BaseException as e:  # noqa: BLE001 - a synchronous call: nothing is swallowed
                log(f"{me}: {op['task']}.{kind}() raised {fmt(e)}")
        elif kind == "name":
            log(f"{me}: {op['task']}.get_name() = {self.task_name(ctx.env[op['task']])}")
        elif kind == "set_name":
            ctx.env[op["task"]].set_name(op["name"])
            log(f"{me}: {op['task']}.set_name({quote(op['name'])})")
        elif kind == "all_tasks":
            names = sorted(self.task_name(t) for t in asyncio.all_tasks())
            log(f"{me}: all_tasks() = {fmt(names)}")
        elif kind == "gather":
            aws = [self.child(c, ctx) for c in op["children"]]
            r = await asyncio.gather(*aws, return_exceptions=op["returnExceptions"])
            log(f"{me}: gather -> {fmt(r)}")
        elif kind == "wait":
            tasks = [ctx.env[t] for t in op["tasks"]]
            done, pending = await asyncio.wait(tasks, timeout=op.get("timeout"),
                                               return_when=getattr(asyncio, op["returnWhen"]))
            names = list(dict.fromkeys(op["tasks"]))
            d = ", ".join(n for n in names if ctx.env[n] in done)
            p = ", ".join(n for n in names if ctx.env[n] in pending)
            log(f"{me}: wait -> done=[{d}] pending=[{p}]")
        elif kind == "as_completed" and op.get("stream"):
            aws = [self.child(c, ctx) for c in op["children"]]
            # the label of a task or future passed in, or of the body whose task this is (a task
            # cancelled before it started has none: "?"); get_coro() is None for a task that
            # finished eagerly, so the body says which task runs it
            def label_of(t):
                for c in op["children"]:
                    if "task" in c and ctx.env[c["task"]] is t:
                        return c["task"]
                    if "body" in c and self.started.get(c["body"]) is t:
                        return c["body"]
                return "?"

            try:
                async for t in asyncio.as_completed(aws, timeout=op.get("timeout")):
                    label = label_of(t)
                    try:
                        r = t.result()
                        log(f"{me}: as_completed stream -> {label}: {fmt(r)}")
                    except BaseException as e:  # noqa: BLE001 - a synchronous call: nothing is swallowed
                        log(f"{me}: as_completed stream -> {label}: raised {fmt(e)}")
            except TimeoutError:
                log(f"{me}: as_completed stream timed out")
        elif kind == "as_completed":
            aws = [self.child(c, ctx) for c in op["children"]]
            for aw in asyncio.as_completed(aws, timeout=op.get("timeout")):
                try:
                    r = await aw
                    log(f"{me}: as_completed -> {fmt(r)}")
                except (ValueError, TimeoutError) as e:
                    log(f"{me}: as_completed raised {fmt(e)}")
        elif kind == "raise":
            log(f"{me}: raise ValueError({quote(op['msg'])})")
            raise ValueError(op["msg"])
        elif kind == "try":
            catch = tuple(CATCHABLE[c] for c in op["catch"])
            try:
                try:
                    await self.ops(op["body"], ctx)
                except catch as e:
                    log(f"{me}: caught {fmt(e)}")
                    await self.ops(op["handler"], ctx)
            finally:
                if "finally" in op:
                    log(f"{me}: finally")
                    await self.ops(op["finally"], ctx)
        elif kind == "try_star":
            try:
                await self.ops(op["body"], ctx)
            except* ValueError as eg:
                log(f"{me}: caught* {fmt(eg)}")
                await self.ops(op["handler"], ctx)
        elif kind == "cancel":
            task = self.target(op["task"], ctx)
            msg = op.get("msg")
            r = task.cancel(msg)
            log(f"{me}: {op['task']}.cancel({'' if msg is None else quote(msg)}) -> {fmt(r)}")
        elif kind == "cancelling":
            log(f"{me}: {op['task']}.cancelling() = {self.target(op['task'], ctx).cancelling()}")
        elif kind == "uncancel":
            log(f"{me}: {op['task']}.uncancel() = {self.target(op['task'], ctx).uncancel()}")
        elif kind == "wait_for":
            r = await asyncio.wait_for(self.child(op["child"], ctx), op["timeout"])
            log(f"{me}: wait_for -> {fmt(r)}")
        elif kind == "timeout":
            if op.get("at"):
                cm = asyncio.timeout_at(asyncio.get_running_loop().time() + op["d"])
            else:
                cm = asyncio.timeout(op["d"])
            async with cm:
                ctx.timeouts.append(cm)
                try:
                    await self.ops(op["body"], ctx)
                finally:
                    ctx.timeouts.pop()
            log(f"{me}: timeout block done")
        elif kind == "reschedule":
            d = op["d"]
            ctx.timeouts[-1].reschedule(None if d is None else asyncio.get_running_loop().time() + d)
            log(f"{me}: reschedule({'None' if d is None else f'now + {fmt_num(d)}'})")
        elif kind == "expired":
            log(f"{me}: expired() = {fmt(ctx.timeouts[-1].expired())}")
        elif kind == "shield":
            r = await asyncio.shield(self.child(op["child"], ctx))
            log(f"{me}: shield -> {fmt(r)}")
        elif kind == "taskgroup":
            label = op["label"]
            async with asyncio.TaskGroup() as tg:
                ctx.groups[label] = tg
                await self.ops(op["body"], ctx)
            log(f"{me}: {label} exited")
        elif kind == "on_done":
            name = op["task"]

            def callback(task):
                if task.cancelled():
                    outcome = "cancelled"
                else:
                    exc = task.exception()
                    outcome = "ok" if exc is None else fmt(exc)
                log(f"{me}: callback {name}: {outcome}")

            ctx.env[name].add_done_callback(callback)
            if "cb" in op:
                ctx.env[op["cb"]] = callback
                log(f"{me}: on_done {name} as {op['cb']}")
            else:
                log(f"{me}: on_done {name}")
        elif kind == "remove_done":
            n = ctx.env[op["task"]].remove_done_callback(ctx.env[op["cb"]])
            log(f"{me}: {op['task']}.remove_done_callback({op['cb']}) = {n}")
        elif kind == "with":
            name = op["prim"]
            async with self.prims[name]:
                log(f"{me}: {name} acquired")
                await self.ops(op["body"], ctx)
            log(f"{me}: {name} released")
        elif kind == "locked":
            prim = self.prims[op["prim"]]
            value = prim.is_set() if isinstance(prim, asyncio.Event) else prim.locked()
            log(f"{me}: {op['prim']}.{'is_set' if isinstance(prim, asyncio.Event) else 'locked'}() = {fmt(value)}")
        elif kind == "event_set":
            self.prims[op["prim"]].set()
            log(f"{me}: {op['prim']}.set()")
        elif kind == "event_clear":
            self.prims[op["prim"]].clear()
            log(f"{me}: {op['prim']}.clear()")
        elif kind == "event_wait":
            await self.bounded(ctx, f"{op['prim']}.wait()", self.prims[op["prim"]].wait, op.get("timeout"))
        elif kind == "cond_wait":
            cond = self.prims[op["prim"]]
            async with cond:
                await self.bounded(ctx, f"{op['prim']}.wait()", cond.wait, op.get("timeout"))
        elif kind == "cond_wait_for":
            name, n = op["prim"], op["n"]
            cond = self.prims[name]

            def predicate():
                r = self.notified.get(name, 0) >= n
                log(f"{me}: predicate -> {fmt(r)}")
                return r

            async with cond:
                await self.bounded(ctx, f"{name}.wait_for(notified >= {n})", lambda: cond.wait_for(predicate),
                                   op.get("timeout"))
        elif kind == "cond_notify":
            cond = self.prims[op["prim"]]
            async with cond:
                self.notified[op["prim"]] = self.notified.get(op["prim"], 0) + 1
                if op["n"] == "all":
                    cond.notify_all()
                    log(f"{me}: {op['prim']}.notify_all()")
                else:
                    cond.notify(op["n"])
                    log(f"{me}: {op['prim']}.notify({op['n']})")
        elif kind == "q_put":
            q = self.prims[op["prim"]]
            await self.bounded(ctx, f"{op['prim']}.put({op['item']})", lambda: q.put(op["item"]),
                               op.get("timeout"), (asyncio.QueueShutDown,))
        elif kind == "q_get":
            q = self.prims[op["prim"]]
            got = await self.bounded(ctx, f"{op['prim']}.get()", q.get, op.get("timeout"), (asyncio.QueueShutDown,))
            if got and op["taskDone"]:
                q.task_done()
                log(f"{me}: {op['prim']}.task_done()")
        elif kind == "q_put_nowait":
            q = self.prims[op["prim"]]
            try:
                q.put_nowait(op["item"])
                log(f"{me}: {op['prim']}.put_nowait({op['item']})")
            except (asyncio.QueueFull, asyncio.QueueShutDown) as e:
                log(f"{me}: {op['prim']}.put_nowait({op['item']}) raised {fmt(e)}")
        elif kind == "q_get_nowait":
            q = self.prims[op["prim"]]
            try:
                r = q.get_nowait()
            except (asyncio.QueueEmpty, asyncio.QueueShutDown) as e:
                log(f"{me}: {op['prim']}.get_nowait() raised {fmt(e)}")
            else:
                log(f"{me}: {op['prim']}.get_nowait() -> {fmt(r)}")
                if op["taskDone"]:
                    q.task_done()
                    log(f"{me}: {op['prim']}.task_done()")
        elif kind == "q_join":
            await self.bounded(ctx, f"{op['prim']}.join()", self.prims[op["prim"]].join, op.get("timeout"))
        elif kind == "barrier_wait":
            await self.bounded(ctx, f"{op['prim']}.wait()", self.prims[op["prim"]].wait, op.get("timeout"),
                               (asyncio.BrokenBarrierError,))
        elif kind == "barrier_abort":
            await self.prims[op["prim"]].abort()
            log(f"{me}: {op['prim']}.abort()")
        elif kind == "barrier_reset":
            await self.prims[op["prim"]].reset()
            log(f"{me}: {op['prim']}.reset()")
        elif kind == "q_shutdown":
            self.prims[op["prim"]].shutdown(op["immediate"])
            log(f"{me}: {op['prim']}.shutdown({fmt(op['immediate'])})")
        elif kind == "create_future":
            ctx.env[op["fut"]] = asyncio.get_running_loop().create_future()
            log(f"{me}: create_future {op['fut']}")
        elif kind == "fut_set":
            self.fut_set(op, ctx)
        elif kind == "call":
            text = op["text"]

            def callback():
                log(f"{me}: callback {text}")

            self.schedule(op, ctx, text, callback)
        elif kind == "handle_cancel":
            ctx.env[op["handle"]].cancel()
            log(f"{me}: {op['handle']}.cancel()")
        elif kind == "time":
            log(f"{me}: time = {round((asyncio.get_running_loop().time() - self.t0) * 1000)}")
        else:
            raise NotImplementedError(kind)

    def fut_set(self, op, ctx):
        """`set_result` / `set_exception` / `cancel` of a future, now or from a loop callback."""
        me, name, how, value = ctx.me, op["fut"], op["how"], op.get("value")
        fut = ctx.env[name]
        if how == "result":
            what = f"{name}.set_result({fmt(value)})"
        elif how == "exception":
            what = f"{name}.set_exception(ValueError({quote(value)}))"
        else:
            what = f"{name}.cancel({'' if value is None else quote(value)})"

        def act():
            if how == "result":
                fut.set_result(value)
            elif how == "exception":
                fut.set_exception(ValueError(value))
            else:
                return fut.cancel() if value is None else fut.cancel(value)

        if "via" not in op:
            try:
                r = act()
            except asyncio.InvalidStateError as e:
                self.log(f"{me}: {what} raised {fmt(e)}")
            else:
                self.log(f"{me}: {what}" + (f" -> {fmt(r)}" if how == "cancel" else ""))
            return

        def callback():
            if how == "cancel":
                self.log(f"{me}: callback {what} -> {fmt(act())}")
            else:
                self.log(f"{me}: callback {what}")
                act()  # InvalidStateError if the future is done: the loop reports it

        self.schedule(op, ctx, what, callback)

    def schedule(self, op, ctx, what, callback):
        """`call_soon(cb)`, `call_later(d, cb)` or `call_at(loop.time() + d, cb)`; binds the handle."""
        loop = asyncio.get_running_loop()
        via = op["via"]
        if via == "soon":
            handle = loop.call_soon(callback)
            how = "call_soon"
        elif via == "later":
            handle = loop.call_later(op["d"], callback)
            how = f"call_later({fmt_num(op['d'])})"
        else:
            handle = loop.call_at(loop.time() + op["d"], callback)
            how = f"call_at(now + {fmt_num(op['d'])})"
        if "handle" in op:
            ctx.env[op["handle"]] = handle
            self.log(f"{ctx.me}: {how} {what} -> {op['handle']}")
        else:
            self.log(f"{ctx.me}: {how} {what}")

    # --- the run ----------------------------------------------------------------------------

    def run(self):
        def handler(loop, context):
            message = context["message"]
            if message.startswith(CALLBACK_MESSAGE):
                self.log(f"! {CALLBACK_MESSAGE}: {type(context.get('exception')).__name__}")
            elif message not in GC_MESSAGES:
                self.log(f"! {message}")

        def factory():
            loop = VirtualLoop()
            loop.set_exception_handler(handler)
            if self.program["eager"]:
                loop.set_task_factory(asyncio.eager_task_factory)
            return loop

        self.elapsed = 0.0
        # main is the next task made: Task-(base+1), as Task-1 of a loop in effect-asyncio
        self.base = last_task_number()
        outcome = None
        deadlock = False
        try:
            with asyncio.Runner(loop_factory=factory) as runner:
                try:
                    runner.run(self.main())
                    outcome = "ok"
                except Deadlock:
                    # what the shutdown logs after a deadlock is not compared
                    deadlock = True
                    self.stopped = True
                except BaseException as exc:  # noqa: BLE001 - the outcome is what we record
                    outcome = fmt(exc)
                # leaving the block closes the runner: leftover tasks are cancelled, and log
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, Deadlock):
                deadlock = True
                self.stopped = True
            elif outcome is None:
                outcome = fmt(exc)
        if deadlock:
            self.lines.append("-> deadlock")
            return self.lines
        self.log(f"-> {outcome} (t={fmt_num(self.elapsed)})")
        return self.lines


class Ctx:
    """A coroutine instance: its label, its task variables, the task groups it is inside."""

    def __init__(self, me, env):
        self.me = me
        self.env = env
        self.groups = {}
        self.timeouts = []


PROBE_LOOP = None


async def _noop():
    pass


def last_task_number():
    """The number of the last `Task-N` CPython named (one counter per process)."""
    global PROBE_LOOP
    if PROBE_LOOP is None:
        PROBE_LOOP = asyncio.new_event_loop()
        PROBE_LOOP.set_exception_handler(lambda loop, context: None)
    coro = _noop()
    task = asyncio.Task(coro, loop=PROBE_LOOP)
    number = int(task.get_name()[len("Task-"):])
    # the probe never runs: drop its first step, close its coroutine, and let it go quietly
    PROBE_LOOP._ready.clear()
    coro.close()
    task._log_destroy_pending = False
    return number


def run_program(program):
    try:
        return Run(program).run()
    except BaseException as exc:  # noqa: BLE001 - a bug of the interpreter: reported, not fatal
        return [f"!! interpreter error: {fmt(exc)}"]


def task_size():
    async def probe():
        return asyncio.current_task()

    return sys.getsizeof(asyncio.run(probe()))


JUNK = None


def run_perturbed(program, runs):
    """The distinct logs of `program` over runs with different heap layouts.

    CPython iterates some sets of tasks in hash order, that is in address order: the tasks that
    `asyncio.run` cancels at shutdown (`all_tasks()`), the children a failing TaskGroup cancels,
    the awaitables of `as_completed`. Run `r` first allocates `r` objects of a Task's size, which
    moves every later Task to another address, so the runs together show the orders CPython may
    take; effect-asyncio agrees when its log is one of them.
    """
    global JUNK
    if JUNK is None:
        JUNK = max(0, task_size() - 33)
    logs = []
    for r in runs:
        junk = [bytes(JUNK) for _ in range(r)]
        log = run_program(program)
        del junk
        if log not in logs:
            logs.append(log)
    return logs


def main(argv):
    if len(argv) > 1 and argv[1] == "--serve":
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            start, end = request.get("runs", [0, 1])
            logs = run_perturbed(request["program"], range(start, end))
            sys.stdout.write(json.dumps({"id": request["id"], "logs": logs}) + "\n")
            sys.stdout.flush()
        return
    with open(argv[1]) as f:
        data = json.load(f)
    for line in run_program(data.get("program", data)):
        print(line)


if __name__ == "__main__":
    main(sys.argv)
