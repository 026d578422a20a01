/**
 * `repr()`-like description of a value for error messages, as the core's (its helper is
 * internal to that package, so it is not importable here).
 *
 * @internal
 */
export const describe = (value: unknown): string => {
  if (value === null) return "null"
  if (typeof value === "string") return JSON.stringify(value)
  if (typeof value === "function") return `<function ${value.name || "anonymous"}>`
  if (typeof value === "object") return `<${value.constructor?.name ?? "object"} object>`
  return String(value)
}
