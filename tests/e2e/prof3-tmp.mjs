import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { serve } from './serve.mjs'; import { launch } from './browser.mjs'; import { SHARED } from './fixtures.mjs';
const site = await serve('/work/main/dist-test', '/cable-reader/');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
const names = fs.readdirSync(path.join(SHARED, 'cables')).sort();
for (const n of names) fs.copyFileSync(path.join(SHARED, 'cables', n), path.join(dir, n));
const { context } = await launch();
const page = await context.newPage();
await page.goto(site.url);
await page.waitForSelector('.empty-library');
await page.locator('#open-files').setInputFiles(names.map((n) => path.join(dir, n)));
await page.waitForSelector('.import-summary', { timeout: 300000 });
await page.waitForTimeout(3000);
const Q = ['qadhafi', 'nuclear', '"human rights"', 'iran* -israel', 'tag:PREL', 'origin:tripoli oil', 'class:secret', 'embassy', 'oil', 'china trade'];
const times = [];
for (let r = 0; r < 6; r++) for (const q of Q) {
  const hash = '#/?q=' + encodeURIComponent(q);
  const ms = await page.evaluate((want) => new Promise((resolve) => {
    const t = performance.now();
    const obs = new MutationObserver(() => { const el = document.querySelector('section.results'); if (el && el.getAttribute('data-state') === want) { obs.disconnect(); resolve(performance.now() - t); } });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
    location.hash = want;
  }), hash.replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()));
  if (r > 0) times.push(ms);
}
times.sort((a, b) => a - b);
console.log('p50', times[Math.floor(times.length / 2)].toFixed(1), 'p95', times[Math.floor(times.length * 0.95)].toFixed(1));
await page.goto(site.url + '#/?q=' + encodeURIComponent('"human rights"'));
await page.waitForTimeout(1500);
await page.screenshot({ path: '/tmp/browse.png' });
await page.setViewportSize({ width: 700, height: 900 });
await page.waitForTimeout(500);
await page.screenshot({ path: '/tmp/browse-narrow.png' });
await context.close(); process.exit(0);
