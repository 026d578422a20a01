/**
 * Unix signals, as asyncio's `unix_events.py` handles them: `add_signal_handler(sig, callback,
 * *args)` keeps one `Handle` per signal (`_signal_handlers`), and a delivered signal appends that
 * handle to the loop's ready queue (`_add_callback_signalsafe`), so the callback runs in a turn
 * of the loop, never inside the signal. Here a Node `process` listener per signal stands for the
 * C-level handler and the self-pipe.
 *
 * Signals are named as Node names them (`"SIGTERM"`) or numbered (`15`, read through Node's
 * `os.constants.signals`); a number Node has no name for cannot be listened to.
 */
import { Effect } from "effect"
import { RuntimeError, TypeError, ValueError } from "../exceptions.js"
import { HandleImpl, type LoopCore } from "./loop.js"
import { pyRepr } from "./outcome.js"
import { describe } from "./validate.js"

/** What the signal machinery needs of Node (absent elsewhere: then there are no signals). */
interface NodeProcess {
  on(event: string, listener: () => void): unknown
  removeListener(event: string, listener: () => void): unknown
  getBuiltinModule?(id: string): unknown
}

const nodeProcess = (): NodeProcess | undefined => {
  const candidate = (globalThis as { readonly process?: NodeProcess }).process
  return typeof candidate?.on === "function" ? candidate : undefined
}

/** Node's `os.constants.signals` (name to number), read once. */
let signalNumbers: Readonly<Record<string, number>> | undefined

const knownSignals = (): Readonly<Record<string, number>> => {
  if (signalNumbers !== undefined) return signalNumbers
  const os = nodeProcess()?.getBuiltinModule?.("node:os") as
    | { readonly constants?: { readonly signals?: Readonly<Record<string, number>> } }
    | undefined
  signalNumbers = os?.constants?.signals ?? {}
  return signalNumbers
}

/** The number of a signal named as Node names it (`SIGTERM` → 15 on Linux), if Node knows it. */
export const signalNumber = (name: string): number | undefined => knownSignals()[name]

/** A signal read from the caller's `sig`: Node's name, and the number CPython would show. */
export interface Signal {
  readonly name: string
  readonly number: number | undefined
}

/**
 * asyncio's `_check_signal(sig)`: `TypeError` for what is neither a number nor a name, and
 * `ValueError` for a signal that does not exist ("invalid signal number 0").
 */
export const checkSignal = (sig: unknown): Signal => {
  if (typeof sig === "number" && Number.isInteger(sig)) {
    for (const [name, number] of Object.entries(knownSignals())) {
      if (number === sig) return { name, number }
    }
    throw new ValueError({ message: `invalid signal number ${sig}` })
  }
  if (typeof sig === "string") {
    const number = signalNumber(sig)
    if (number === undefined) throw new ValueError({ message: `invalid signal name ${pyRepr(sig)}` })
    return { name: sig, number }
  }
  throw new TypeError({ message: `sig must be an int or a signal name, not ${pyRepr(sig)}` })
}

/** How messages show a signal: its number, as CPython's (`sig 9 cannot be caught`). */
const shown = (signal: Signal): string => String(signal.number ?? signal.name)

/** `Handle._run` from the ready queue, unless cancelled meanwhile. */
const runSignalHandle = (handle: HandleImpl): void => {
  if (!handle.cancelled()) handle.run()
}

/** `_read_from_self` for one signal: `_process_self_data` calls `_handle_signal(signum)`. */
const readFromSelf = (arrived: { readonly signals: SignalHandlers; readonly name: string }): void =>
  arrived.signals.handleSignal(arrived.name)

interface Installed {
  readonly handle: HandleImpl
  readonly listener: () => void
}

/** A loop's signal handlers (asyncio's `_signal_handlers`). */
export class SignalHandlers {
  private readonly handlers = new Map<string, Installed>()

  constructor(private readonly loop: LoopCore) {}

  /** How many signals have a handler (a loop waiting for one is not deadlocked). */
  get size(): number {
    return this.handlers.size
  }

  /** Whether `name` (Node's name) has a handler of this loop. */
  has(name: string): boolean {
    return this.handlers.has(name)
  }

  /** `loop.add_signal_handler(sig, callback, *args)` */
  add(sig: unknown, callback: unknown, args: ReadonlyArray<unknown>): void {
    // asyncio: `iscoroutine(callback) or _iscoroutinefunction(callback)`; an `async` function
    // is JavaScript's coroutine function (its Promise would be dropped, its body cut short)
    if (Effect.isEffect(callback) || isAsyncFunction(callback)) {
      throw new TypeError({ message: "coroutines cannot be used with addSignalHandler()" })
    }
    const signal = checkSignal(sig)
    this.loop.checkClosed()
    const process = nodeProcess()
    if (process === undefined)
      throw new RuntimeError({ message: "signals are not available here (no Node process)" })
    if (!isMainThread()) {
      // set_wakeup_fd's message: Node delivers signals to the main thread only
      throw new RuntimeError({ message: "set_wakeup_fd only works in main thread of the main interpreter" })
    }
    if (typeof callback !== "function") {
      throw new TypeError({
        message: `a callable object was expected by addSignalHandler(), got ${describe(callback)}`
      })
    }
    const handle = new HandleImpl(callback as (...args: ReadonlyArray<never>) => unknown, args, this.loop)
    const listener = () => this.signalled(signal.name)
    const previous = this.handlers.get(signal.name)
    try {
      process.on(signal.name, listener)
    } catch {
      // libuv's EINVAL: SIGKILL and SIGSTOP cannot be caught (asyncio's `signal.signal` error)
      throw new RuntimeError({ message: `sig ${shown(signal)} cannot be caught` })
    }
    // a second handler replaces the first, as `signal.signal` does
    if (previous !== undefined) process.removeListener(signal.name, previous.listener)
    else this.loop.externalWaits += 1 // a signal may come at any iteration
    this.handlers.set(signal.name, { handle, listener })
  }

  /** `loop.remove_signal_handler(sig)`: true if a handler was removed (Node's default is back). */
  remove(sig: unknown): boolean {
    const signal = checkSignal(sig)
    const installed = this.handlers.get(signal.name)
    if (installed === undefined) return false
    this.handlers.delete(signal.name)
    this.loop.externalWaits -= 1
    nodeProcess()?.removeListener(signal.name, installed.listener)
    return true
  }

  /** `loop.close()` removes every handler. */
  removeAll(): void {
    for (const name of [...this.handlers.keys()]) this.remove(name)
  }

  /**
   * The signal arrived: asyncio's C handler writes its number to the self-pipe, whose reader
   * (`_read_from_self`) is a callback of the next iteration; it calls `_handle_signal`, whose
   * handle runs one iteration later still. So here: a callback that handles the signal.
   */
  private signalled(name: string): void {
    if (!this.loop.isClosed()) this.loop.callSoonFn(readFromSelf, { signals: this, name })
  }

  /** asyncio's `_handle_signal(sig)`: the handle joins the ready queue; a cancelled one is removed. */
  handleSignal(name: string): void {
    const installed = this.handlers.get(name)
    if (installed === undefined) return // Assume it's some race condition.
    if (installed.handle.cancelled()) this.remove(name)
    else if (!this.loop.isClosed()) this.loop.callSoonFn(runSignalHandle, installed.handle)
  }
}

/** Node's `worker_threads.isMainThread` (true where there are no worker threads). */
const isMainThread = (): boolean => {
  const threads = nodeProcess()?.getBuiltinModule?.("node:worker_threads") as
    | { readonly isMainThread?: boolean }
    | undefined
  return threads?.isMainThread ?? true
}

/** An `async function` or `async function*` (what `Object.prototype.toString` calls them). */
const isAsyncFunction = (value: unknown): boolean => {
  if (typeof value !== "function") return false
  const kind = Object.prototype.toString.call(value)
  return kind === "[object AsyncFunction]" || kind === "[object AsyncGeneratorFunction]"
}
