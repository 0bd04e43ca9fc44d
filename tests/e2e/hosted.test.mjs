// A corpus hosted with the site (made by `cable publish`), end to end: the site and its corpus
// served from 127.0.0.1 under a sub-path, as GitHub Pages serves a project site; every browser a
// fresh profile with no library. Short links open hosted cables, and the hosted corpus is browsed
// and searched, fetching only what each view needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve } from './serve.mjs';
import { openReader, shot, closeSite, DIST, PREFIX } from './browser.mjs';
import { REPO, SHARED, HAS_SHARED } from './fixtures.mjs';

const CABLE = process.env.CABLE_BIN || path.join(REPO, 'target/ci/cable');
let site;
let siteDir;
let published;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `no built site at ${DIST}: run trunk build first`);
  assert.ok(fs.existsSync(CABLE), `no cable CLI at ${CABLE}: run cargo build --profile ci -p cable-cli`);
  siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cable-reader-hosted-'));
  fs.cpSync(DIST, siteDir, { recursive: true });
  // The whole corpus when ../shared is here; else the shipped sample (the test still runs).
  const inputs = HAS_SHARED ? [path.join(SHARED, 'cables')] : [path.join(REPO, 'public/samples/09TRIPOLI748-page.txt')];
  const report = execFileSync(CABLE, ['publish', ...inputs, '--out', path.join(siteDir, 'corpus')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  published = JSON.parse(fs.readFileSync(path.join(siteDir, 'corpus/manifest.json'), 'utf8'));
  site = await serve(siteDir, PREFIX);
  void report;
});
after(async () => {
  await closeSite(site?.server);
  if (siteDir) fs.rmSync(siteDir, { recursive: true, force: true });
});

/** Corpus files this page fetched: [path, bytes]. */
const corpusFetches = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/corpus/')).map((e) => [e.name.split('/corpus/')[1], e.encodedBodySize]));

test('a short link opens a hosted cable at its paragraph for someone with no library', async () => {
  const { context, page, problems } = await openReader(site.url + '#/cable/09TRIPOLI748/par5');
  await page.waitForSelector('#par5.target');
  assert.match(await page.locator('.shared-banner').innerText(), /From the corpus hosted with this site/);
  assert.match(await page.locator('article.cable h1').innerText(), /HUMAN RIGHTS DIALOGUE REBOUNDS/);
  assert.deepEqual(await page.locator('table.meta td').allInnerTexts().then((t) => t.slice(0, 1)), ['09TRIPOLI748']);
  const fetched = (await corpusFetches(page)).map(([p]) => p);
  assert.ok(fetched.includes('c/09/09TRIPOLI748.txt'), fetched.join(' '));
  assert.ok(!fetched.includes('columns.bin') && !fetched.some((p) => p.startsWith('terms/')), 'opening a cable fetches no index: ' + fetched.join(' '));
  await shot(page, 'hosted-01-short-link');
  // A cable the corpus does not hold: the plain "not in your library" page.
  await page.goto(site.url + '#/cable/99NOWHERE1/par2');
  await page.waitForSelector('section.missing h1');
  assert.match(await page.locator('section.missing h1').innerText(), /99NOWHERE1 is not in your library/);
  // Keeping the hosted cable puts it in this browser's library.
  await page.goto(site.url + '#/cable/09TRIPOLI748');
  await page.getByRole('button', { name: 'Keep in my library' }).click();
  await page.waitForSelector('.shared-banner', { state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('browse and search the hosted corpus; each view fetches only what it needs', async () => {
  const { context, page, problems } = await openReader(site.url);
  const tab = page.getByRole('link', { name: /Hosted with this site/ });
  await tab.waitFor();
  assert.equal(await tab.innerText(), `Hosted with this site (${published.count.toLocaleString('en-US')})`);
  await tab.click();
  await page.waitForURL(/#\/\?in=hosted$/);
  await page.waitForSelector('.result-count');
  assert.match(await page.locator('.result-count').innerText(), new RegExp(`^${published.count.toLocaleString('en-US')} cables hosted with this site`));
  // The first answer is drawn in a few steps a frame apart (top rows first): wait for the page of rows.
  const pageRows = Math.min(50, published.count);
  await page.waitForFunction((n) => document.querySelectorAll('table.cable-list tbody tr:not([hidden])').length >= n, pageRows, { timeout: 5000 }).catch(() => {});
  const firstRows = await page.locator('table.cable-list tbody tr:not([hidden])').count();
  assert.equal(firstRows, pageRows);
  let fetched = await corpusFetches(page);
  assert.ok(!fetched.some(([p]) => p.startsWith('terms/')), 'browsing fetches no term chunk');
  assert.ok(fetched.filter(([p]) => p.startsWith('rows/')).length <= 3, 'the first page of the newest cables reads few row shards: ' + fetched.map(([p]) => p).join(' '));
  await shot(page, 'hosted-02-browse');

  const word = HAS_SHARED ? 'qadhafi' : 'kusa';
  await page.getByLabel('Search cables').fill(word);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`in=hosted&q=${word}`));
  await page.waitForSelector(`[data-state*="q=${word}"]`);
  const summary = await page.locator('.result-count').innerText();
  const total = Number(summary.match(/^([\d,]+) of/)[1].replace(/,/g, ''));
  assert.ok(total >= 1, summary);
  fetched = await corpusFetches(page);
  const chunks = fetched.filter(([p]) => p.startsWith('terms/'));
  assert.equal(chunks.length, 1, 'one word, one term chunk: ' + chunks.map(([p]) => p).join(' '));
  assert.ok(fetched.length < published.chunks.length / 2 || !HAS_SHARED, `fetched ${fetched.length} files of a corpus of ${published.chunks.length} chunks`);
  const bytes = fetched.reduce((s, [, b]) => s + b, 0);
  console.log(`hosted corpus of ${published.count}: browse + first search fetched ${fetched.length} files, ${bytes} bytes`);
  await shot(page, 'hosted-03-search');

  // A facet choice narrows the hosted results and stays in the URL.
  const origin = page.getByRole('region', { name: 'Origin', exact: true }).locator('a').first();
  const originName = (await origin.locator('.value').innerText()).trim();
  await origin.click();
  await page.waitForURL(/origin=/);
  assert.match(page.url(), /in=hosted/);
  await page.waitForSelector(`[data-state*="origin="]`);
  const narrowed = await page.locator('.result-count').innerText();
  assert.ok(Number(narrowed.match(/^([\d,]+) of/)[1].replace(/,/g, '')) <= total, narrowed);
  const origins = await page.locator('table.cable-list tbody tr:not([hidden]) td:nth-child(6)').allTextContents();
  assert.ok(origins.length > 0 && origins.every((o) => o === originName), `${originName}: ${origins.slice(0, 5)}`);

  // A result opens the hosted cable, with the searched word marked.
  await page.locator('table.cable-list tbody tr:not([hidden]) a').first().click();
  await page.waitForSelector('article.cable');
  assert.match(await page.locator('.shared-banner').innerText(), /hosted with this site/);
  assert.ok(await page.locator('article.cable mark').count() > 0, 'the searched word is marked');
  await shot(page, 'hosted-04-cable');
  assert.deepEqual(problems, []);
  await context.close();
});
