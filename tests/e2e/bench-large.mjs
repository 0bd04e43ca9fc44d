// Benchmark of a large library in headless Chromium (not a test): writes a cables.csv of N
// cables replicated from the corpus with new ids (`cable replicate`), imports it through
// "Open files", and reports the import time, the peak memory of the page's renderer process (page
// and workers), search latency over the bench query mix and the reload time.
// Usage: CABLE_BIN=target/ci/cable node bench-large.mjs N   (needs ../shared and dist-test)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync, execFileSync } from 'node:child_process';
import { serve } from './serve.mjs';
import { launch, DIST, PREFIX } from './browser.mjs';
import { SHARED, HAS_SHARED, REPO } from './fixtures.mjs';

const N = +(process.argv[2] || 50000);
const QUERIES = [
  'qadhafi', 'nuclear', '"human rights"', 'iran* -israel', 'tag:PREL', 'origin:tripoli oil', 'class:secret',
  '"prime minister" election', 'TRIPOLI 677', 'subject:visit', 'corruption bank', 'enrich*', 'ref:09STATE',
  'terror* attack', 'signer:clinton', 'china trade', '"foreign minister"', 'embassy', 'pakistan taliban', 'oil',
];
if (!HAS_SHARED) { console.log('skipping: ../shared is not beside the repository'); process.exit(0); }
const bin = path.resolve(REPO, process.env.CABLE_BIN || 'target/ci/cable');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-large-'));
const csv = path.join(dir, 'cables.csv');
execFileSync(bin, ['replicate', path.join(SHARED, 'cables'), '--count', String(N), '--out', csv]);
const mb = fs.statSync(csv).size / 1e6;
console.log(`cables.csv: ${N} cables, ${mb.toFixed(0)} MB`);

const site = await serve(DIST, PREFIX);
const { context, browser } = await launch();
const page = await context.newPage();
page.on('pageerror', (e) => console.log('pageerror', e.message));
page.on('console', (m) => { if (m.text().includes('import stages')) console.log('worker:', m.text()); });
await page.goto(site.url);
await page.waitForSelector('.empty-library');

// Resident memory of Chromium's renderer processes (this page and its workers), in MB.
const rendererMb = () => {
  try {
    const lines = execSync("ps -eo rss=,args= | grep -- '--type=renderer' | grep -v grep", { encoding: 'utf8' }).trim().split('\n');
    return lines.reduce((s, l) => s + parseInt(l.trim().split(/\s+/)[0], 10) / 1024, 0);
  } catch { return 0; }
};
let peak = 0;
const poll = setInterval(() => { peak = Math.max(peak, rendererMb()); }, 500);

const t0 = Date.now();
await page.locator('#open-files').setInputFiles([csv]);
await page.waitForSelector('.import-summary', { timeout: 3_600_000 });
const importMs = Date.now() - t0;
const summary = (await page.locator('.import-summary').innerText()).replace(/\n/g, ' ');
const afterImport = rendererMb();

const e2e = [];
const worker = [];
for (let round = 0; round < 4; round++) {
  for (const q of QUERIES) {
    const hash = '#/?q=' + encodeURIComponent(q).replace(/'/g, '%27').replace(/[!()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    const r = await page.evaluate((want) => new Promise((resolve) => {
      const t = performance.now();
      const check = () => {
        const el = document.querySelector('section.results');
        if (el && el.getAttribute('data-state') === want) {
          obs.disconnect();
          resolve({ ms: performance.now() - t, took: parseFloat((document.querySelector('.took')?.innerText || '').replace(/[^\d.]/g, '')) });
        }
      };
      const obs = new MutationObserver(check);
      obs.observe(document.body, { subtree: true, childList: true, attributes: true });
      location.hash = want;
      setTimeout(check, 0);
    }), hash);
    if (round > 0) { e2e.push(r.ms); worker.push(r.took); }
  }
}
const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.round((s.length - 1) * q))]; };

await page.goto(site.url + '#/');
const t1 = Date.now();
await page.reload();
await page.waitForSelector('section.facet', { timeout: 600_000 });
const reloadMs = Date.now() - t1;
clearInterval(poll);
peak = Math.max(peak, rendererMb());

console.log(JSON.stringify({
  cables: N, mb: +mb.toFixed(0), importMs, summary,
  rendererPeakMb: Math.round(peak), rendererAfterImportMb: Math.round(afterImport),
  searchE2E: { p50: pct(e2e, 0.5), p95: pct(e2e, 0.95) }, searchWorker: { p50: pct(worker, 0.5), p95: pct(worker, 0.95) },
  reloadToFacetsMs: reloadMs,
}, null, 2));
await context.close();
await browser?.close?.();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
