// Where an import's time goes, thread by thread: imports the corpus files (or the first N), or with
// CSV=FILE that cables.csv, into the built site in headless Chromium under a Chromium trace that
// samples every thread's CPU (the page, the library worker, the parse workers), then prints per
// thread the time sampled busy, the functions that took most of it by self time and by inclusive
// time, and how busy each thread was every half second.
//   node tests/e2e/trace-import.mjs [N]      (DIST=dist-test by default; names in Wasm frames
//   need a build whose Wasm keeps its name section, e.g. `data-wasm-opt="0" data-keep-debug`)
//   CSV=/tmp/cables.csv node tests/e2e/trace-import.mjs
// The raw trace is written to artifacts/import-trace.json (open it in chrome://tracing or Perfetto).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';
import { launch, ARTIFACTS, DIST } from './browser.mjs';
import { SHARED, HAS_SHARED } from './fixtures.mjs';

const CSV = process.env.CSV;
if (!CSV && !HAS_SHARED) {
  console.log('trace-import: ../shared/corpus is absent; nothing to import.');
  process.exit(0);
}
const site = await serve(DIST, '/cable-reader/');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-import-'));
const names = CSV ? [] : fs.readdirSync(path.join(SHARED, 'cables')).sort().slice(0, +(process.argv[2] || Infinity));
for (const n of names) fs.copyFileSync(path.join(SHARED, 'cables', n), path.join(dir, n));
const { context } = await launch();
const page = await context.newPage();
await page.goto(site.url);
await page.waitForSelector('.empty-library');
const cdp = await context.newCDPSession(page);
await cdp.send('Tracing.start', { categories: 'toplevel,v8.execute,disabled-by-default-v8.cpu_profiler', transferMode: 'ReturnAsStream' });
const t0 = Date.now();
await page.locator('#open-files').setInputFiles(CSV ? [CSV] : names.map((n) => path.join(dir, n)));
await page.waitForSelector('.import-summary', { timeout: 3_600_000 });
if (CSV) {
  console.log(`${CSV} imported after ${Date.now() - t0} ms (traced: slower than untraced)`);
} else {
  await page.waitForFunction((n) => (document.querySelector('.result-count')?.innerText || '').replace(/,/g, '').includes(String(n)), names.length, { timeout: 60000 }).catch(() => {});
  console.log(`${names.length} files searchable after ${Date.now() - t0} ms (traced: slower than untraced)`);
}
const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.end');
const { stream } = await complete;
let data = '';
for (;;) {
  const c = await cdp.send('IO.read', { handle: stream });
  data += c.data;
  if (c.eof) break;
}
await context.close();
site.server.close();
fs.rmSync(dir, { recursive: true, force: true });
fs.writeFileSync(path.join(ARTIFACTS, 'import-trace.json'), data);

// The sampled profiles: one per thread ('Profile' starts it, 'ProfileChunk's carry nodes and samples).
const events = JSON.parse(data).traceEvents;
const threadName = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [e.pid + ':' + e.tid, e.args.name]));
const profiles = new Map();
for (const e of events) {
  if (e.name === 'Profile') {
    profiles.set(e.id, { thread: `${threadName.get(e.pid + ':' + e.tid) || 'thread'} ${e.tid}`, t: e.args.data.startTime, nodes: new Map(), self: new Map(), inclusive: new Map(), buckets: new Map(), total: 0 });
  } else if (e.name === 'ProfileChunk' && profiles.has(e.id)) {
    const p = profiles.get(e.id);
    const cpu = e.args.data.cpuProfile || {};
    for (const n of cpu.nodes || []) p.nodes.set(n.id, { name: n.callFrame.functionName || '(anonymous)', parent: n.parent });
    const deltas = e.args.data.timeDeltas || [];
    (cpu.samples || []).forEach((s, i) => {
      const dt = deltas[i] || 0;
      p.t += dt;
      const name = p.nodes.get(s)?.name;
      if (name === '(idle)') return;
      p.total += dt;
      p.self.set(name, (p.self.get(name) || 0) + dt);
      // Each function on the sampled stack once (a recursive one counts once).
      const stack = new Set();
      for (let n = p.nodes.get(s); n; n = p.nodes.get(n.parent)) stack.add(n.name);
      for (const f of stack) p.inclusive.set(f, (p.inclusive.get(f) || 0) + dt);
      const b = Math.floor(p.t / 500000);
      p.buckets.set(b, (p.buckets.get(b) || 0) + dt);
    });
  }
}
const busy = [...profiles.values()].filter((p) => p.total > 100000).sort((a, b) => b.total - a.total);
const ms = (us) => (us / 1000).toFixed(0);
for (const p of busy) {
  console.log(`\n${p.thread}: ${ms(p.total)} ms busy`);
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([name, t]) => console.log(`  ${ms(t).padStart(6)} ms  ${name.replace(/::h[0-9a-f]{16}$/, '').slice(0, 110)}`));
  top(p.self, 12);
  console.log('  inclusive:');
  top([...p.inclusive].filter(([name]) => !/^\((root|program)\)$/.test(name)), 20);
}
const first = Math.min(...busy.flatMap((p) => [...p.buckets.keys()]));
const last = Math.max(...busy.flatMap((p) => [...p.buckets.keys()]));
console.log('\nbusy per half second: ' + busy.map((p, i) => `[${i}] ${p.thread}`).join(', '));
for (let b = first; b <= last; b++) console.log(`${((b - first) / 2).toFixed(1).padStart(6)} s ` + busy.map((p) => `${Math.round((p.buckets.get(b) || 0) / 5000)}%`.padStart(6)).join(''));
