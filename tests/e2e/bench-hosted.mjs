// Benchmark of a hosted corpus in headless Chromium (not a test): serves the built site with a
// published corpus (made by `cable publish`) under a sub-path and measures, from fresh profiles,
// what a visitor waits for and downloads. Usage: node bench-hosted.mjs CORPUS_DIR [DIST]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { serve } from './serve.mjs';
import { openReader } from './browser.mjs';

const corpus = path.resolve(process.argv[2] || '');
const dist = path.resolve(process.argv[3] || '../../dist-test');
if (!fs.existsSync(path.join(corpus, 'manifest.json'))) {
  console.error('usage: node bench-hosted.mjs CORPUS_DIR [DIST] (a folder written by cable publish)');
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
const sh = (c) => execSync(c, { encoding: 'utf8' }).trim();
const du = [sh(`du -sbL ${corpus} | cut -f1`), sh(`du -sbL ${corpus}/c | cut -f1`), sh(`find -L ${corpus} -type f | wc -l`)];
/** Percent-encoding as the reader writes it (all but unreserved characters). */
const enc = (s) => Array.from(new TextEncoder().encode(s)).map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0'))).join('');
const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-hosted-'));
fs.cpSync(dist, siteDir, { recursive: true });
fs.symlinkSync(corpus, path.join(siteDir, 'corpus'));
const site = await serve(siteDir, '/cable-reader/');

const fetches = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/corpus/')).map((e) => ({ path: e.name.split('/corpus/')[1], bytes: e.encodedBodySize })));
const sum = (list) => list.reduce((s, f) => s + f.bytes, 0);
const mb = (b) => (b / 1e6).toFixed(2) + ' MB';
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const out = [];
// 1. A short link, cold.
{
  const { context, page } = await openReader(site.url + '#/cable/09TRIPOLI748/par5');
  const t0 = Date.now();
  await page.waitForSelector('#par5.target', { timeout: 120000 });
  const f = await fetches(page);
  out.push(`short link to a hosted paragraph (cold): on screen in ${Date.now() - t0} ms after the app started; fetched ${f.length} corpus files, ${mb(sum(f))}`);
  await context.close();
}
// 2. First search, cold: the results page of a query opened directly.
for (const q of ['qadhafi', 'nuclear fuel', '"human rights"', 'tag:PREL origin:tripoli']) {
  const { context, page } = await openReader(site.url + '#/?in=hosted&q=' + encodeURIComponent(q));
  const t0 = Date.now();
  await page.waitForSelector('.result-count', { timeout: 300000 });
  const f = await fetches(page);
  const total = await page.locator('.result-count').innerText();
  out.push(`first search ${JSON.stringify(q)} (cold): ${total.split(' · ')[0]} in ${Date.now() - t0} ms; fetched ${f.length} files, ${mb(sum(f))} (columns ${mb(sum(f.filter((x) => x.path === 'columns.bin')))}, term chunks ${mb(sum(f.filter((x) => x.path.startsWith('terms/'))))}, rows ${mb(sum(f.filter((x) => x.path.startsWith('rows/'))))})`);
  await context.close();
}
// 3. Warm searches in one page: the time from typing to results, and bytes per search.
{
  const { context, page } = await openReader(site.url + '#/?in=hosted');
  await page.waitForSelector('.result-count', { timeout: 300000 });
  const queries = ['oil', 'election', 'minister', 'gas pipeline', 'secret', 'visit', 'human*', 'terror* -iraq', 'china trade', 'tag:PGOV', 'origin:paris', 'fuel', 'nato', 'wikileaks', 'bank', 'army', 'police', 'court', 'press', 'energy'];
  const times = [];
  let before = sum(await fetches(page));
  const per = [];
  for (const q of queries) {
    const t0 = Date.now();
    await page.evaluate((h) => { location.hash = h; }, '#/?in=hosted&q=' + enc(q));
    await page.waitForSelector(`[data-state="#/?in=hosted&q=${enc(q)}"]`, { timeout: 120000 });
    times.push(Date.now() - t0);
    const now = sum(await fetches(page));
    per.push(now - before);
    before = now;
  }
  out.push(`${queries.length} further searches in one page: p50 ${pct(times, 0.5)} ms, p95 ${pct(times, 0.95)} ms end to end; bytes per search p50 ${mb(pct(per, 0.5))}, max ${mb(Math.max(...per))}`);
  await context.close();
}
console.log(`hosted corpus ${corpus}: ${manifest.count} cables, ${manifest.chunks.length} term chunks; on disk ${mb(Number(du[0]))} (texts ${mb(Number(du[1]))}), ${du[2]} files`);
for (const l of out) console.log('  ' + l);
site.server.close();
fs.rmSync(siteDir, { recursive: true, force: true });
