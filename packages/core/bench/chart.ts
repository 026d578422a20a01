/**
 * The SVG bar chart of the time ratios (ours / asyncio, ours / raw Effect, ours / Promise) on a
 * log scale, with the two targets drawn as lines: 1/3 against asyncio, 1.25 against Effect.
 */
import { type BenchResult, ratio } from "./report.js"
import type { ContenderId } from "./scenarios.js"

const SERIES: ReadonlyArray<{ readonly other: ContenderId; readonly label: string; readonly color: string }> =
  [
    { other: "asyncio", label: "ours / CPython asyncio", color: "#3572A5" },
    { other: "effect", label: "ours / raw Effect", color: "#c2410c" },
    { other: "promise", label: "ours / Promise", color: "#6b7280" }
  ]

const MIN = 0.05
const MAX = 20
const TICKS = [0.05, 0.1, 0.2, 0.33, 0.5, 1, 1.25, 2, 5, 10, 20]

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

export const renderSvg = (
  results: ReadonlyArray<BenchResult>,
  machine: {
    readonly cpu: string
    readonly cores: number
    readonly node: string
    readonly python: string | null
  }
): string => {
  const labelWidth = 170
  const plotWidth = 560
  const barHeight = 9
  const groupHeight = SERIES.length * barHeight + 10
  const top = 50
  const height = top + results.length * groupHeight + 60
  const width = labelWidth + plotWidth + 90
  const xOf = (value: number) =>
    labelWidth +
    ((Math.log(Math.min(MAX, Math.max(MIN, value))) - Math.log(MIN)) / (Math.log(MAX) - Math.log(MIN))) *
      plotWidth
  const parts: Array<string> = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${labelWidth}" y="16" font-size="13" font-weight="bold">effect-asyncio wall time ratios (lower is faster; log scale)</text>`,
    `<text x="${labelWidth}" y="32" fill="#555">${escape(`${machine.cpu}, ${machine.cores} cores; node ${machine.node}; ${machine.python ?? "no python"}`)}</text>`
  )
  const plotBottom = top + results.length * groupHeight
  for (const tick of TICKS) {
    const x = xOf(tick)
    parts.push(
      `<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${plotBottom}" stroke="#e5e7eb"/>`,
      `<text x="${x}" y="${plotBottom + 14}" text-anchor="middle" fill="#555">${tick}x</text>`
    )
  }
  const targets: ReadonlyArray<[number, string, string]> = [
    [1 / 3, "#3572A5", "asyncio target 0.33x"],
    [1.25, "#c2410c", "Effect target 1.25x"]
  ]
  targets.forEach(([value, color, label], i) => {
    const x = xOf(value)
    parts.push(
      `<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${plotBottom}" stroke="${color}" stroke-dasharray="4 3"/>`,
      `<text x="${x}" y="${plotBottom + 28 + i * 12}" text-anchor="middle" fill="${color}">${label}</text>`
    )
  })
  results.forEach((result, row) => {
    const y0 = top + row * groupHeight
    parts.push(
      `<text x="${labelWidth - 6}" y="${y0 + groupHeight / 2}" text-anchor="end" dominant-baseline="middle">${escape(result.id)}</text>`
    )
    SERIES.forEach((series, i) => {
      const y = y0 + i * barHeight + 2
      const value = ratio(result, series.other)
      if (value === undefined) {
        parts.push(
          `<text x="${labelWidth + 4}" y="${y + barHeight - 1}" fill="#999" font-size="9">n/a</text>`
        )
        return
      }
      const x1 = xOf(1)
      const x2 = xOf(value)
      parts.push(
        `<rect x="${Math.min(x1, x2)}" y="${y}" width="${Math.max(1, Math.abs(x2 - x1))}" height="${barHeight - 1}" fill="${series.color}"><title>${escape(`${result.id}: ${series.label} = ${value.toFixed(2)}x`)}</title></rect>`,
        `<text x="${Math.max(x1, x2) + 3}" y="${y + barHeight - 1}" font-size="9" fill="#333">${value.toFixed(2)}x</text>`
      )
    })
  })
  SERIES.forEach((series, i) => {
    const x = labelWidth + i * 180
    const y = height - 14
    parts.push(
      `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${series.color}"/>`,
      `<text x="${x + 14}" y="${y}">${series.label}</text>`
    )
  })
  parts.push("</svg>")
  return `${parts.join("\n")}\n`
}
