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
import { dropSavedIndex, launch, DIST, PREFIX } from './browser.mjs';
import { SHARED, HAS_SHARED, REPO } from './fixtures.mjs';
import { measureSearches } from './search-latency.mjs';

const N = +(process.argv[2] || 50000);
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

// Memory of Chromium's renderer processes (this page and its workers, and the harness's blank
// first tab and a spare renderer, ~180 MB resident but ~13 MB private together), in MB: resident
// (shared library pages counted in each process) and private (what Chrome's task manager calls
// the memory footprint: pages no other process shares).
const rendererMemory = () => {
  let rss = 0;
  let priv = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const r = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (k) => +(r.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [0, 0])[1];
      rss += kb('Rss') / 1024;
      priv += (kb('Private_Clean') + kb('Private_Dirty')) / 1024;
    } catch {}
  }
  return { rss, priv };
};
const rendererMb = () => rendererMemory().rss;
let peak = 0;
let privPeak = 0;
const notePeak = () => { const m = rendererMemory(); peak = Math.max(peak, m.rss); privPeak = Math.max(privPeak, m.priv); };
const poll = setInterval(notePeak, 500);

const t0 = Date.now();
await page.locator('#open-files').setInputFiles([csv]);
// Served cross-origin isolated: memory by page and worker every few seconds of the import.
if (process.env.CROSS_ORIGIN_ISOLATED === '1') {
  while (!(await page.$('.import-summary'))) {
    const m = await page.evaluate(async () => {
      const r = await performance.measureUserAgentSpecificMemory();
      return r.breakdown.filter((b) => b.bytes > 1 << 20).map((b) => `${b.attribution.map((a) => (a.scope || '') + ':' + (a.url || '').replace(/^.*\//, '').replace(/\?.*$/, '')).join(',') || 'shared'} ${b.types.join('+')} ${Math.round(b.bytes / 1048576)}`).join('; ');
    }).catch((e) => String(e));
    const mem = rendererMemory();
    console.log(`import ${((Date.now() - t0) / 1000).toFixed(0)} s: rss ${Math.round(mem.rss)} private ${Math.round(mem.priv)}; ${m}`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}
await page.waitForSelector('.import-summary', { timeout: 3_600_000 });
const importMs = Date.now() - t0;
// Peak of the import alone (the reloads below start new workers while the old ones are freed).
// (the index is saved after the summary: a few seconds for a large library)
await new Promise((r) => setTimeout(r, 8000));
notePeak();
const importPeak = peak;
const importPrivatePeak = privPeak;
const summary = (await page.locator('.import-summary').innerText()).replace(/\n/g, ' ');
const afterImport = rendererMb();
const afterImportPrivate = rendererMemory().priv;

const searches = await measureSearches(page, 4);
const boxed = await measureSearches(page, 4, 'box');
searches.searchBoxE2E = boxed.searchE2E;
searches.searchBoxPainted = boxed.searchPainted;
searches.searchBoxWorker = boxed.searchWorker;
const pressed = await measureSearches(page, 4, 'press');
searches.linkClickE2E = pressed.searchE2E;
searches.linkClickComplete = pressed.searchComplete;
const afterSearches = rendererMb();
// Memory by page and worker, as Chromium accounts it (JS heaps and Wasm memories), when the site
// is served cross-origin isolated (CROSS_ORIGIN_ISOLATED=1).
const breakdown = await page.evaluate(async () => {
  if (!self.crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
  const m = await performance.measureUserAgentSpecificMemory();
  const out = { totalMb: Math.round(m.bytes / 1048576) };
  for (const b of m.breakdown) {
    if (!b.bytes) continue;
    const where = b.attribution.map((a) => (a.scope || '') + ':' + (a.url || '').replace(/^.*\//, '').replace(/\?.*$/, '')).join(',') || 'shared';
    const key = where + ' ' + b.types.join('+');
    out[key] = (out[key] || 0) + Math.round(b.bytes / 1048576);
  }
  return out;
});
// Snippets of a search's rows (made from the stored cables once the library is past the text the
// worker keeps): rows shown, and rows with a highlighted word.
await page.evaluate(() => { location.hash = '#/?q=%22human%20rights%22'; });
await page.waitForFunction(() => (document.querySelector('section.results')?.getAttribute('data-state') || '').includes('human'));
// (the rows' snippets past the first screen may still be on their way from storage)
await page.waitForFunction(() => !document.querySelector('section.results').hasAttribute('data-snippets-pending'), null, { timeout: 30000 });
const snippets = await page.evaluate(() => {
  const rows = [...document.querySelectorAll('table.cable-list tbody tr:not([hidden])')];
  return { rows: rows.length, withMarks: rows.filter((r) => r.querySelector('.snippet mark:not(:empty)')).length };
});
if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });

await page.goto(site.url + '#/');
peak = 0;
privPeak = 0;
const t1 = Date.now();
await page.reload();
await page.waitForSelector('section.facet:not([hidden])', { timeout: 600_000 });
const reloadMs = Date.now() - t1;
await new Promise((r) => setTimeout(r, 3000));
notePeak();
const reloadPeak = peak;
const reloadPrivatePeak = privPeak;
peak = 0;
privPeak = 0;
// The same library without its saved index (as after an update that changes the index format):
// rebuilt from the stored cables.
await dropSavedIndex(page);
const t2 = Date.now();
await page.reload();
// Served cross-origin isolated: memory by page and worker every few seconds of the rebuild.
const rebuildSamples = [];
if (process.env.CROSS_ORIGIN_ISOLATED === '1') {
  while (!(await page.$('section.facet:not([hidden])'))) {
    const m = await page.evaluate(async () => {
      const r = await performance.measureUserAgentSpecificMemory();
      return r.breakdown.filter((b) => b.bytes > 1 << 20).map((b) => `${b.attribution.map((a) => a.scope).join(',') || 'shared'} ${Math.round(b.bytes / 1048576)}`).join('; ');
    }).catch((e) => String(e));
    rebuildSamples.push(`${((Date.now() - t2) / 1000).toFixed(0)} s: rss ${Math.round(rendererMb())}; ${m}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  console.log(rebuildSamples.join('\n'));
}
await page.waitForSelector('section.facet:not([hidden])', { timeout: 3_600_000 });
const rebuildMs = Date.now() - t2;
await new Promise((r) => setTimeout(r, 3000));
clearInterval(poll);
notePeak();

console.log(JSON.stringify({
  cables: N, mb: +mb.toFixed(0), importMs, summary,
  rendererImportPeakMb: Math.round(importPeak), rendererReloadPeakMb: Math.round(reloadPeak), rendererRebuildPeakMb: Math.round(peak), rendererAfterImportMb: Math.round(afterImport), rendererAfterSearchesMb: Math.round(afterSearches), memoryBreakdownMb: breakdown,
  privateImportPeakMb: Math.round(importPrivatePeak), privateAfterImportMb: Math.round(afterImportPrivate), privateReloadPeakMb: Math.round(reloadPrivatePeak), privateRebuildPeakMb: Math.round(privPeak),
  ...searches, humanRightsSnippets: snippets,
  reloadToFacetsMs: reloadMs, rebuildToFacetsMs: rebuildMs,
}, null, 2));
await context.close();
await browser?.close?.();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
