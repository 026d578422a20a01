/**
 * The live page in a real browser: Debian's Chromium (`scripts/chromium.sh` installs it; CI runs
 * that script), driven by playwright-core with that executable (nothing downloads a browser).
 * A real program (test/fixtures/monitored.ts, `churn`: tasks keep coming and going) serves the
 * page with `run(main, { monitor: { http: 0 } })`; the page must show its tasks, its timeline
 * must grow, and its cancel button must cancel the task in the program. Without the token: 403.
 * Then `effect-asyncio monitor PID --web` serves the same page from the CLI, through the socket.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { type Browser, chromium } from "playwright-core"
import { type Fixture, programPid, spawnCli, startFixture } from "./utils/process.js"

const executable = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
// CI installs Chromium (scripts/chromium.sh) and must run this; elsewhere it runs where Chromium is
const available = fs.existsSync(executable) || process.env.CI !== undefined

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "effect-asyncio-page-test-"))
const env = { TMPDIR: tmp }
const started: Array<Fixture> = []
let browser: Browser | undefined

afterAll(async () => {
  await browser?.close()
  for (const fixture of started) fixture.kill()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const launch = async (): Promise<Browser> => {
  // root (CI, this machine) cannot use Chromium's sandbox
  browser ??= await chromium.launch({ executablePath: executable, args: ["--no-sandbox"] })
  return browser
}

const URL_LINE =
  /effect-asyncio monitor(?: of process \d+)?: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32})$/

describe.skipIf(!available)("the live page in Chromium", () => {
  it("shows the tasks of a running program, its timeline grows, cancel cancels the task; no token: 403", async () => {
    const program = startFixture("monitored.ts", ["churn", "http"], env)
    started.push(program)
    await program.waitFor("ready")
    const url = URL_LINE.exec(await program.waitFor(URL_LINE))?.[1] ?? ""
    const base = url.slice(0, url.indexOf("?"))

    // no token, a wrong token, on every route: 403
    for (const route of ["", "events", "snapshot"]) {
      assert.strictEqual((await fetch(`${base}${route}`)).status, 403)
      assert.strictEqual((await fetch(`${base}${route}?token=${"0".repeat(32)}`)).status, 403)
    }
    assert.strictEqual((await fetch(`${base}cancel?task=2`, { method: "POST" })).status, 403)

    const page = await (await launch()).newPage()
    await page.goto(url)
    await page.waitForSelector("#tasks tr[data-task]")
    const names = await page.locator("#tasks tr td:nth-child(3)").allTextContents()
    for (const name of ["Task-1", "stopper", "spawner", "worker-1", "worker-2", "fetcher"])
      assert.include(names, name)
    assert.include(await page.locator("#tree").textContent(), "└── (T) Task-1")
    assert.strictEqual(
      await page.locator('#tasks tr:has(td:text-is("worker-1")) td:nth-child(5)').textContent(),
      "Event.wait()"
    )

    // the timeline grows as tasks come and go, each bar coloured by its outcome
    const before = await page.locator("#timeline .row").count()
    // a string: it runs in the page (this file has no DOM types)
    await page.waitForFunction(
      `document.querySelectorAll("#timeline .row").length >= ${before + 3}`,
      undefined,
      {
        timeout: 10_000
      }
    )
    await page.waitForSelector("#timeline .bar.ok")
    await page.waitForSelector("#timeline .bar.failed")
    await page.waitForSelector("#timeline .bar.cancelled")

    // the cancel button of 'stopper': the program sees its task cancelled, and goes on to its end
    await page.locator('#tasks tr:has(td:text-is("stopper")) button').click()
    await program.waitFor("stopper cancelled")
    await program.waitFor("resolved done")
    assert.strictEqual(await program.exited, 0)
    await page.close()
  }, 90_000)

  it("effect-asyncio monitor PID --web: the page served by the CLI, through the program's socket", async () => {
    const program = startFixture("monitored.ts", ["demo"], env)
    started.push(program)
    const pid = await programPid(program)
    await program.waitFor("ready")
    const cli = spawnCli(["monitor", String(pid), "--web"], env)
    started.push(cli)
    const url = URL_LINE.exec(await cli.waitFor(URL_LINE))?.[1] ?? ""
    assert.strictEqual((await fetch(url.slice(0, url.indexOf("?")))).status, 403)
    const page = await (await launch()).newPage()
    await page.goto(url)
    await page.waitForSelector('#tasks tr:has(td:text-is("fetcher"))')
    await page.locator('#tasks tr:has(td:text-is("stopper")) button').click()
    await program.waitFor("stopper cancelled")
    await program.waitFor("resolved done")
    await page.close()
    // the program is gone: the CLI stops by itself
    assert.strictEqual(await cli.exited, 1)
    assert.include(cli.stderr(), `effect-asyncio: the monitor of process ${pid} closed the connection`)
  }, 90_000)
})
