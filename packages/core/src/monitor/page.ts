/**
 * The live page: plain HTML and JavaScript served inline, no build step. It opens the server's
 * event stream (`/events`, server-sent events: a snapshot and its `pstree` text twice a second)
 * and draws the task table, the await tree and the timeline (one bar per task from its creation
 * to its end, coloured by outcome); each pending task has a cancel button (`POST /cancel`).
 * The token of the page's own address goes with every request.
 */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>effect-asyncio monitor</title>
<style>
  :root { --ok: #2e7d32; --failed: #c62828; --cancelled: #8d6e63; --pending: #1565c0; --cancelling: #ef6c00; }
  body { font: 13px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; background: #fafafa; }
  h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 14px; margin: 18px 0 6px; }
  #status { color: #666; margin-bottom: 8px; } #status.down { color: var(--failed); }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
  th { background: #f0f0f0; font-weight: 600; } td.mono, pre { font-family: ui-monospace, monospace; font-size: 12px; }
  .state { font-weight: 600; } .state.pending { color: var(--pending); } .state.cancelling { color: var(--cancelling); }
  button { font-size: 12px; padding: 1px 8px; cursor: pointer; }
  pre { background: #fff; border: 1px solid #e4e4e4; padding: 8px; margin: 0; overflow-x: auto; }
  #timeline { background: #fff; border: 1px solid #e4e4e4; padding: 6px 8px; }
  .row { display: flex; align-items: center; height: 18px; }
  .label { width: 180px; flex: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 12px; }
  .track { position: relative; flex: 1; height: 12px; background: #f3f3f3; }
  .bar { position: absolute; top: 0; height: 12px; border-radius: 2px; min-width: 2px; }
  .bar.ok { background: var(--ok); } .bar.failed { background: var(--failed); } .bar.cancelled { background: var(--cancelled); }
  .bar.pending { background: var(--pending); } .bar.cancelling { background: var(--cancelling); }
  .legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
  .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
</style>
</head>
<body>
<h1>effect-asyncio monitor</h1>
<div id="status">connecting…</div>
<h2>Tasks (<span id="count">0</span> pending)</h2>
<table>
  <thead><tr><th>loop</th><th>task id</th><th>task name</th><th>state</th><th>waits on</th><th>coroutine stack</th><th>awaited by</th><th>age</th><th></th></tr></thead>
  <tbody id="tasks"></tbody>
</table>
<div class="cols">
  <div><h2>Await tree</h2><pre id="tree"></pre></div>
  <div>
    <h2>Timeline</h2>
    <div class="legend">
      <span><i style="background:var(--pending)"></i>pending</span><span><i style="background:var(--cancelling)"></i>cancelling</span>
      <span><i style="background:var(--ok)"></i>ok</span><span><i style="background:var(--failed)"></i>failed</span>
      <span><i style="background:var(--cancelled)"></i>cancelled</span>
    </div>
    <div id="timeline"></div>
  </div>
</div>
<script>
const token = new URLSearchParams(location.search).get("token") || ""
const q = (path, extra) => path + "?token=" + encodeURIComponent(token) + (extra || "")
const hex = (id) => "0x" + id.toString(16)
const text = (tag, content, cls) => { const e = document.createElement(tag); e.textContent = content; if (cls) e.className = cls; return e }
const age = (s) => s === undefined ? "?" : s < 10 ? s.toFixed(2) + "s" : s < 60 ? s.toFixed(1) + "s" : Math.floor(s / 60) + "m" + String(Math.floor(s % 60)).padStart(2, "0") + "s"
const isPending = (t) => t.state === "pending" || t.state === "cancelling"
const due = (t, now) => { const m = / until t=([\\d.]+)/.exec(t.waitsOn || ""); return m === null || now === undefined ? t.waitsOn || "" : t.waitsOn + " (in " + age(Math.max(Number(m[1]) - now, 0)) + ")" }
function draw({ snapshot, tree }) {
  const status = document.getElementById("status")
  status.className = ""
  status.textContent = "process " + snapshot.pid + " · " + snapshot.title + " · " + snapshot.loops.length + " loop(s)"
  const now = new Map(snapshot.loops.map((l) => [l.loop, l.now]))
  const pending = snapshot.tasks.filter(isPending)
  const names = new Map(pending.map((t) => [t.id, t.name]))
  document.getElementById("count").textContent = String(pending.length)
  const body = document.getElementById("tasks")
  body.replaceChildren(...pending.map((t) => {
    const tr = document.createElement("tr")
    tr.dataset.task = hex(t.id)
    tr.append(text("td", String(t.loop)), text("td", hex(t.id), "mono"), text("td", t.name),
      text("td", t.state, "state " + t.state), text("td", due(t, now.get(t.loop))),
      text("td", t.callStack.map((f) => f.name).join(" -> "), "mono"),
      text("td", t.awaitedBy.map((id) => (names.get(id) || "?") + " (" + hex(id) + ")").join(", ")),
      text("td", age(t.started === undefined ? undefined : now.get(t.loop) - t.started)))
    const cell = document.createElement("td")
    const button = text("button", "cancel")
    button.onclick = () => { button.disabled = true; fetch(q("/cancel", "&task=" + t.id), { method: "POST" }) }
    cell.append(button)
    tr.append(cell)
    return tr
  }))
  document.getElementById("tree").textContent = tree
  const all = snapshot.tasks.filter((t) => t.started !== undefined).sort((a, b) => a.started - b.started).slice(-80)
  const end = Math.max(...snapshot.loops.map((l) => l.now), ...all.map((t) => t.ended || 0))
  const start = Math.min(end, ...all.map((t) => t.started))
  const span = Math.max(end - start, 1e-3)
  document.getElementById("timeline").replaceChildren(...all.map((t) => {
    const row = document.createElement("div"); row.className = "row"; row.dataset.task = hex(t.id); row.dataset.state = t.state
    row.append(text("div", t.name + " " + hex(t.id), "label"))
    const track = document.createElement("div"); track.className = "track"
    const bar = document.createElement("div"); bar.className = "bar " + t.state
    const stop = t.ended === undefined ? now.get(t.loop) : t.ended
    bar.style.left = ((t.started - start) / span * 100) + "%"
    bar.style.width = (Math.max(stop - t.started, 0) / span * 100) + "%"
    bar.title = t.name + ": " + t.state + (t.detail ? " (" + t.detail + ")" : "")
    track.append(bar); row.append(track)
    return row
  }))
}
const events = new EventSource(q("/events"))
events.onmessage = (event) => draw(JSON.parse(event.data))
events.onerror = () => { const s = document.getElementById("status"); s.className = "down"; s.textContent = "disconnected (the program ended?) — retrying" }
</script>
</body>
</html>
`
