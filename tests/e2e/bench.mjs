// Browser benchmarks of the library (BENCHMARKS.md), in headless Chromium on 127.0.0.1:
//   import of the corpus files until searchable (and the longest main-thread task meanwhile),
//   reload until the facets are on screen, search latency over a fixed query mix,
//   and the same import and queries with MiniSearch (npm) in the same browser, side by side;
//   and the same cables as one cables.csv (made with the CLI, when built) imported until searchable.
// Run: node bench.mjs [N files]   (needs ../shared and a built site in ../../dist-test)
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';
import { launch, ARTIFACTS } from './browser.mjs';
import { SHARED, HAS_SHARED, REPO } from './fixtures.mjs';
import { execFileSync } from 'node:child_process';
import { QUERIES, measureSearches, pct } from './search-latency.mjs';

const N = +(process.argv[2] || 6717);
if (!HAS_SHARED) { console.log('skipping: ../shared is not beside the repository'); process.exit(0); }

const here = path.dirname(new URL(import.meta.url).pathname);
const DIST = process.env.DIST || path.resolve(here, '../../dist-test');
const site = await serve(DIST, '/cable-reader/');
// A second origin for the yardstick page and MiniSearch.
const TYPES = { '.html': 'text/html', '.js': 'text/javascript' };
const yard = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  let file = null;
  if (url.pathname.startsWith('/minisearch/')) file = path.join(here, 'node_modules/minisearch/dist', url.pathname.slice(12));
  else if (url.pathname === '/') file = path.join(here, 'bench/minisearch.html');
  if (!file || !fs.existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(fs.readFileSync(file));
});
await new Promise((r) => yard.listen(0, '127.0.0.1', r));
const yardUrl = `http://127.0.0.1:${yard.address().port}/`;

// The corpus files, in one folder (a file input takes one directory).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cables-'));
const names = fs.readdirSync(path.join(SHARED, 'cables')).sort().slice(0, N);
let bytes = 0;
for (const n of names) {
  fs.copyFileSync(path.join(SHARED, 'cables', n), path.join(dir, n));
  bytes += fs.statSync(path.join(dir, n)).size;
}
const files = names.map((n) => path.join(dir, n));

/** Init script: the page's main-thread tasks over 50 ms, in `window.__longTasks`. */
const noteLongTasks = () => {
  window.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
};

/** Opens files (`inputs`) with "Open files" and waits until the library says it holds `n`
 * cables: milliseconds from the files given. */
async function importUntilSearchable(page, inputs, n) {
  const t0 = Date.now();
  await page.locator('#open-files').setInputFiles(inputs);
  await page.waitForSelector('.import-summary', { timeout: 300000 });
  await page.waitForFunction((n) => (document.querySelector('.result-count')?.innerText || '').replace(/,/g, '').includes(String(n) + ' cables'), n, { timeout: 60000 }).catch(() => {});
  return Date.now() - t0;
}

const { context } = await launch();
const page = await context.newPage();
await page.addInitScript(noteLongTasks);
await page.addInitScript(() => {
  // When the facets are first in the document, and the frame drawn with them (page clock).
  new MutationObserver((_, obs) => {
    if (document.querySelector('section.facet:not([hidden])')) {
      obs.disconnect();
      window.__facetsInDom = performance.now();
      requestAnimationFrame(() => setTimeout(() => { window.__facetsPainted = performance.now(); }, 0));
    }
  }).observe(document, { subtree: true, childList: true });
});
page.on('pageerror', (e) => console.log('pageerror', e.message));
page.on('console', (m) => { if (m.text().includes('import stages')) console.log('worker:', m.text()); });
await page.goto(site.url);
await page.waitForSelector('.empty-library');
await page.evaluate(() => { window.__longTasks = []; });

// 1. Import until searchable.
const importMs = await importUntilSearchable(page, files, names.length);
const summary = (await page.locator('.import-summary').innerText()).replace(/\n/g, ' ');
const longTasks = await page.evaluate(() => window.__longTasks);

// 2. Search latency (search-latency.mjs): the address changed as a link does, the query
// submitted from the search box as a person does, and a link to it clicked as a person does
// (pressed, then released: the search starts on the press).
const searches = await measureSearches(page, 6);
const boxed = await measureSearches(page, 6, 'box');
searches.searchBoxE2E = boxed.searchE2E;
searches.searchBoxPainted = boxed.searchPainted;
searches.searchBoxWorker = boxed.searchWorker;
const pressed = await measureSearches(page, 6, 'press');
searches.linkClickE2E = pressed.searchE2E;
searches.linkClickPainted = pressed.searchPainted;

// 3. Reload: facets on screen.
await page.goto(site.url + '#/');
let t0 = Date.now();
await page.reload();
await page.waitForSelector('section.facet:not([hidden])', { timeout: 60000 });
// Facets on screen: the frame drawn with them, on the page's clock from the start of the
// navigation. (Until session 5 this was the page's clock when Playwright had seen them, which adds
// Playwright's own polling and round trips: ~300 ms more here.)
const reloadSeen = await page.evaluate(() => performance.now());
await page.waitForFunction(() => window.__facetsPainted);
const { reloadMs, reloadInDom } = await page.evaluate(() => ({ reloadMs: window.__facetsPainted, reloadInDom: window.__facetsInDom }));
const reloadWall = Date.now() - t0;

// 4. MiniSearch, same files, same browser.
const yardPage = await context.newPage();
await yardPage.addInitScript(noteLongTasks);
await yardPage.goto(yardUrl);
await yardPage.evaluate(() => { window.__longTasks = []; });
t0 = Date.now();
await yardPage.locator('#files').setInputFiles(files);
await yardPage.waitForFunction(() => window.msBench?.done, null, { timeout: 300000 });
const msImportMs = Date.now() - t0;
const msLong = await yardPage.evaluate(() => window.__longTasks);
const msTimes = [];
for (let round = 0; round < 6; round++) {
  for (const q of QUERIES) {
    const r = await yardPage.evaluate((q) => window.msBench.search(q), q);
    if (round > 0) msTimes.push(r.ms);
  }
}

// 5. The same cables as one cables.csv (`cable replicate --count N`: the corpus's texts under
// their own ids), imported into a fresh profile: no file list and no per-file reads. Skipped
// when the CLI is not built.
let csvImport = null;
const bin = path.resolve(REPO, process.env.CABLE_BIN || 'target/ci/cable');
if (fs.existsSync(bin)) {
  const csv = path.join(dir, 'corpus.csv');
  execFileSync(bin, ['replicate', path.join(SHARED, 'cables'), '--count', String(names.length), '--out', csv]);
  const fresh = await launch();
  const csvPage = await fresh.context.newPage();
  await csvPage.addInitScript(noteLongTasks);
  await csvPage.goto(site.url);
  await csvPage.waitForSelector('.empty-library');
  await csvPage.evaluate(() => { window.__longTasks = []; });
  const ms = await importUntilSearchable(csvPage, [csv], names.length);
  const tasks = await csvPage.evaluate(() => window.__longTasks);
  csvImport = { importMs: ms, mb: +(fs.statSync(csv).size / 1e6).toFixed(1), longTasksMs: tasks.map(Math.round) };
  await fresh.context.close();
}

const result = {
  cables: names.length, mb: +(bytes / 1e6).toFixed(1), summary,
  ours: { importMs, longestTaskMs: Math.max(0, ...longTasks), longTasks: longTasks.length, longTasksMs: [...longTasks].sort((a, b) => b - a).slice(0, 12).map(Math.round), reloadToFacetsMs: Math.round(reloadMs), reloadFacetsInDomMs: Math.round(reloadInDom), reloadSeenByPlaywrightMs: Math.round(reloadSeen), reloadWallMs: reloadWall,
    ...searches },
  csvImport,
  minisearch: { importMs: msImportMs, longestTaskMs: Math.max(0, ...msLong), search: { p50: pct(msTimes, 0.5), p95: pct(msTimes, 0.95) } },
};
// searchP95: MiniSearch's call against our whole round trip to the DOM; searchP95Engine: engine
// against engine (MiniSearch's call; our worker's search, facets and snippets included).
result.ratios = { import: +(msImportMs / importMs).toFixed(2), searchP95: +(result.minisearch.search.p95 / result.ours.searchE2E.p95).toFixed(2),
  searchP95Engine: +(result.minisearch.search.p95 / result.ours.searchWorker.p95).toFixed(2) };
console.log(JSON.stringify(result, null, 2));
fs.writeFileSync(path.join(ARTIFACTS, 'bench.json'), JSON.stringify(result, null, 2));
await context.close();
site.server.close();
yard.close();
