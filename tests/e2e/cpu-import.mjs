// Where a large import's CPU goes (a benchmark tool, not a test): writes a cables.csv of N cables
// replicated from the corpus (`cable replicate`, kept in the temporary folder as cpu-N.csv for the
// next run; CSV=FILE takes one already written), imports it
// into the built site in headless Chromium, and prints the CPU time of every Chromium process and
// thread over the import, read from /proc (the library worker and the parse workers are the
// DedicatedWorker threads, the first one the library worker; the browser process's thread pool does
// IndexedDB's and the files' work). PERF=S also records the browser process with `perf` for S
// seconds (/tmp/perf-browser.data); DU=1 prints what IndexedDB holds after the import.
//   N=100000 CABLE_BIN=target/ci/cable node tests/e2e/cpu-import.mjs   (DIST=dist-test by default)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { serve } from './serve.mjs';
import { launch, DIST, PREFIX } from './browser.mjs';
import { SHARED, REPO } from './fixtures.mjs';
const N = +(process.env.N || 30000);
const csv = process.env.CSV || path.join(os.tmpdir(), `cpu-${N}.csv`);
if (!fs.existsSync(csv)) execFileSync(path.resolve(REPO, process.env.CABLE_BIN || 'target/ci/cable'), ['replicate', path.join(SHARED, 'cables'), '--count', String(N), '--out', csv]);
const HZ = 100;
const threads = () => {
  const out = new Map();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd; try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmd.includes('chrom')) continue;
    const type = (cmd.match(/--type=([a-z-]+)/) || [, 'browser'])[1] + (cmd.includes('--extension-process') ? '-ext' : '');
    let tids = []; try { tids = fs.readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tids) {
      try {
        const st = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        out.set(`${pid}/${tid}`, { key: `${type} ${pid} ${name.replace(/\d+$/, '')}${name.startsWith("DedicatedWorker") ? " " + tid : ""}`, cpu: (+f[11] + +f[12]) / HZ });
      } catch {}
    }
  }
  return out;
};
const site = await serve(process.env.DIST || DIST, PREFIX);
const { context, userDataDir } = await launch();
const page = await context.newPage();
page.on('console', (m) => { if (m.text().includes('import stages')) console.log('worker:', m.text()); });
await page.goto(site.url);
await page.waitForSelector('.empty-library');
const before = threads();
const t0 = Date.now();
await page.locator('#open-files').setInputFiles([csv]);
if (process.env.PERF) {
  // perf on the browser process (the one without --type=) for PERF seconds.
  const pid = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).find((p) => { try { const c = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8'); return c.startsWith('/usr/lib/chromium/chromium') && !c.includes('--type='); } catch { return false; } });
  console.log('perf on browser pid', pid);
  spawn('perf', ['record', '-g', '-o', '/tmp/perf-browser.data', '-p', pid, '--', 'sleep', process.env.PERF], { stdio: 'ignore' });
}
await page.waitForSelector('.import-summary', { timeout: 3_600_000 });
const wall = (Date.now() - t0) / 1000;
const after = threads();
const by = new Map();
for (const [id, a] of after) { const d = a.cpu - (before.get(id)?.cpu || 0); if (d > 0) by.set(a.key, (by.get(a.key) || 0) + d); }
const total = [...by.values()].reduce((a, b) => a + b, 0);
console.log(`import ${wall.toFixed(1)} s wall, ${total.toFixed(1)} CPU-s (${(total / wall).toFixed(2)} cores)`);
for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${v.toFixed(1).padStart(7)} s  ${k}`);
console.log((await page.locator('.import-summary').innerText()).replace(/\n/g, ' '));
if (process.env.DU) {
  console.log(await page.evaluate(async () => {
    const db = await new Promise((res, rej) => { const r = indexedDB.open('cable-reader'); r.onsuccess = () => res(r.result); r.onerror = rej; });
    const out = [];
    for (const name of db.objectStoreNames) {
      const all = await new Promise((res) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => res(r.result); });
      let bytes = 0; let big = 0;
      const size = (v) => v == null ? 0 : typeof v === 'string' ? v.length : v.byteLength !== undefined ? v.byteLength : Array.isArray(v) ? v.reduce((a, x) => a + size(x), 0) : JSON.stringify(v).length;
      for (const v of all) { const n = size(v); bytes += n; if (n > 65536) big++; }
      out.push(`${name}: ${all.length} values, ${(bytes / 1e6).toFixed(1)} MB, ${big} over 64 KB; sample ${JSON.stringify(all[0]).slice(0, 300)}`);
    }
    return out.join('\n');
  })); await new Promise((r) => setTimeout(r, 3000)); console.log(execFileSync('bash', ['-c', `cd '${userDataDir}'/Default/IndexedDB && du -sh * */* | sort -h | tail -8; for d in */; do echo "$d files: $(find "$d" -type f | wc -l)"; done; ls -la *.leveldb | head -30`]).toString()); }
await context.close();
site.server.close();
