// CPU profile of every thread of the page (page, library worker, parse workers) during the import
// of a cables.csv (a benchmark tool, not a test): a Chromium trace with the V8 sampling profiler,
// then per thread its busy time, the functions busiest by self time and by inclusive time. Wasm
// function names need a build that keeps them (`data-wasm-opt="0" data-keep-debug` on the `rust`
// links of a copy of `index.html`).
//   DIST=dist-prof CSV=/tmp/cables.csv node tests/e2e/trace-workers.mjs
import { serve } from './serve.mjs';
import { launch, DIST, PREFIX } from './browser.mjs';
const site = await serve(DIST, PREFIX);
const { context } = await launch();
const page = await context.newPage();
await page.goto(site.url);
await page.waitForSelector('.empty-library');
const cdp = await context.newCDPSession(page);
const events = [];
cdp.on('Tracing.dataCollected', (d) => { for (const e of d.value) if (e.name === 'Profile' || e.name === 'ProfileChunk' || (e.ph === 'M' && e.name === 'thread_name')) events.push(e); });
const done = new Promise((r) => cdp.on('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'disabled-by-default-v8.cpu_profiler', transferMode: 'ReportEvents' });
const t0 = Date.now();
await page.locator('#open-files').setInputFiles([process.env.CSV]);
await page.waitForSelector('.import-summary', { timeout: 900000 });
console.log('import', Date.now() - t0, 'ms');
await cdp.send('Tracing.end');
await done;
const tname = new Map(events.filter((e) => e.ph === 'M').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
for (const prof of events.filter((e) => e.name === 'Profile')) {
  const nodes = new Map(); const counts = new Map(); let n = 0;
  let interval = 0;
  for (const e of events.filter((e) => e.name === 'ProfileChunk' && e.id === prof.id && e.pid === prof.pid)) {
    const d = e.args.data.cpuProfile || {};
    for (const x of d.nodes || []) nodes.set(x.id, x);
    (d.samples || []).forEach((s, i) => { counts.set(s, (counts.get(s) || 0) + 1); n++; interval += (e.args.data.timeDeltas || [])[i] || 0; });
  }
  const self = {}; const incl = {};
  let idle = 0;
  for (const [id, c] of counts) {
    const st = []; let x = nodes.get(id); while (x) { st.push(x.callFrame.functionName || `(anon ${(x.callFrame.url || "").replace(/^.*\//, '')})`); x = nodes.get(x.parent); }
    if (st[0] === '(idle)') idle += c;
    self[st[0]] = (self[st[0]] || 0) + c;
    for (const f of new Set(st)) incl[f] = (incl[f] || 0) + c;
  }
  const ms = interval / 1000;
  const per = ms / Math.max(n, 1);
  console.log(`\n== ${tname.get(`${prof.pid}:${prof.tid}`) || prof.tid} (${prof.pid}:${prof.tid}): ${n} samples over ${(ms / 1000).toFixed(1)} s, busy ${((n - idle) * per / 1000).toFixed(1)} s`);
  console.log('  self:'); for (const [f, c] of Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 18)) console.log(`    ${(c * per / 1000).toFixed(2)} s ${f.slice(0, 120)}`);
  console.log('  inclusive:'); for (const [f, c] of Object.entries(incl).sort((a, b) => b[1] - a[1]).filter(([f]) => !/^\(root\)|^\(program\)|^\(idle\)/.test(f)).slice(0, 30)) console.log(`    ${(c * per / 1000).toFixed(2)} s ${f.slice(0, 140)}`);
}
await context.close();
site.server.close();
