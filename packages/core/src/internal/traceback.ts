/**
 * An uncaught exception printed as Python prints one (`traceback.print_exception`): the
 * causes first, then `Traceback (most recent call last):`, the user's frames (those of Effect,
 * of this library and of Node's internals left out), each with its source line when it can be
 * read, and `Class: message` (a group draws its boxes, as `String(eg)` does).
 *
 * @internal
 */
import { isInstance, safeString } from "./validate.js"

/** The directory of this library's own modules (`src/` or `dist/`): its frames are left out. */
const ownDir = (() => {
  try {
    const url = new URL("..", import.meta.url)
    return url.protocol === "file:" ? decodeURIComponent(url.pathname) : undefined
  } catch {
    return undefined
  }
})()

interface Frame {
  readonly file: string
  readonly line: number
  readonly fn: string
}

/** `    at fn (file:line:col)` / `    at file:line:col` */
const FRAME = /^\s+at (?:(.*?) \((.*):(\d+):\d+\)|(.*):(\d+):\d+)$/

const parseFrames = (stack: string): Array<Frame> => {
  const frames: Array<Frame> = []
  for (const text of stack.split("\n")) {
    const match = FRAME.exec(text)
    if (match === null) continue
    const fn = match[1] ?? "<module>"
    let file = (match[2] ?? match[4] ?? "") as string
    const line = Number(match[3] ?? match[5])
    if (file.startsWith("file://")) file = decodeURIComponent(new URL(file).pathname)
    frames.push({ file, line, fn: fn.replace(/^async /, "") || "<module>" })
  }
  return frames
}

/** A frame of the user's code: not Node's, not Effect's, not this library's. */
const isUserFrame = (frame: Frame): boolean =>
  !frame.file.startsWith("node:") &&
  frame.file !== "<anonymous>" &&
  !frame.file.includes("/node_modules/effect/") &&
  !/\/node_modules\/\.pnpm\/effect@/.test(frame.file) &&
  !/\/node_modules\/(?:\.pnpm\/)?@effect\//.test(frame.file) &&
  // the TypeScript loader's frames (tsx), not the program's
  !/\/node_modules\/(?:\.pnpm\/tsx@[^/]*\/node_modules\/)?tsx\//.test(frame.file) &&
  (ownDir === undefined || !frame.file.startsWith(ownDir))

const sources = new Map<string, Array<string> | undefined>()

/** The source line Python prints under a frame, if the file can be read (Node only). */
const sourceLine = (frame: Frame): string | undefined => {
  if (!sources.has(frame.file)) {
    let lines: Array<string> | undefined
    try {
      const fs = (
        globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
      ).process?.getBuiltinModule?.("node:fs") as
        | { readFileSync: (path: string, encoding: "utf8") => string }
        | undefined
      lines = fs?.readFileSync(frame.file, "utf8").split("\n")
    } catch {
      lines = undefined
    }
    sources.set(frame.file, lines)
  }
  const text = sources.get(frame.file)?.[frame.line - 1]?.trim()
  // a minified line says nothing
  return text === undefined || text === "" || text.length > 160 ? undefined : text
}

/** `Class: message` (or the boxes of a group), as the last line of Python's report. */
const headline = (error: unknown): string => {
  if (isInstance(error, Error)) {
    const text = safeString(error)
    // `Error.prototype.toString` of an error with an empty message is its name alone
    return text
  }
  if (typeof error === "object" && error !== null && typeof (error as { _tag?: unknown })._tag === "string") {
    const { _tag, message } = error as { _tag: string; message?: unknown }
    return message === undefined ? _tag : `${_tag}: ${safeString(message)}`
  }
  return `Uncaught ${typeof error === "string" ? JSON.stringify(error) : safeString(error)}`
}

const formatOne = (error: unknown): string => {
  const lines: Array<string> = []
  const stack = isInstance(error, Error) && typeof error.stack === "string" ? error.stack : undefined
  const frames = stack === undefined ? [] : parseFrames(stack).filter(isUserFrame)
  if (frames.length > 0) {
    lines.push("Traceback (most recent call last):")
    // JavaScript lists the innermost frame first, Python last
    for (const frame of frames.reverse()) {
      lines.push(`  File "${frame.file}", line ${frame.line}, in ${frame.fn}`)
      const source = sourceLine(frame)
      if (source !== undefined) lines.push(`    ${source}`)
    }
  }
  lines.push(headline(error))
  return lines.join("\n")
}

/**
 * `traceback.format_exception(error)` as one string: the chain of `cause`s first (Python's
 * "The above exception was the direct cause of the following exception:"), then the error.
 */
export const formatTraceback = (error: unknown): string => {
  const chain: Array<unknown> = []
  const seen = new Set<unknown>()
  let current: unknown = error
  try {
    while (current !== undefined && current !== null && !seen.has(current) && chain.length < 32) {
      seen.add(current)
      chain.unshift(current)
      current = isInstance(current, Error) ? current.cause : undefined
    }
    return chain
      .map(formatOne)
      .join("\n\nThe above exception was the direct cause of the following exception:\n\n")
  } catch {
    return safeString(error)
  }
}
