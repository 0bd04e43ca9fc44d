// End-to-end tests of the built reader, served on 127.0.0.1 under a sub-path (as on GitHub Pages),
// in Debian's headless Chromium with a fresh profile per test. Screenshots go to artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openReader, shot, useSite } from './browser.mjs';
import { SEED, XSS_CABLE, SHARED, HAS_SHARED } from './fixtures.mjs';

const site = useSite();

/** Opens a page of the site in a fresh browser; collects page errors and dialogs. */
function open(hash = '') {
  return openReader(site.url + hash);
}

async function paste(page, text) {
  await page.getByLabel('Paste a cable').fill(text);
  await page.getByRole('button', { name: 'Read cable' }).click();
}

test('the workers are loaded with the build id (a cached worker of another build is never used)', async () => {
  const { context, page, problems } = await open();
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.reload();
  await page.waitForSelector('.empty-library');
  const worker = urls.filter((u) => /worker/.test(u)).map((u) => u.slice(site.url.length));
  const id = worker[0]?.match(/\?v=([0-9a-f]{16})$/)?.[1];
  assert.ok(id, worker.join(' '));
  // The library worker and its parse workers (one per core, started once the library is read;
  // those of the page before the reload may still be loading) all load the files of one build.
  assert.deepEqual([...new Set(worker)].sort(), [`worker-start.js?v=${id}`, `worker.js?v=${id}`, `worker_bg.wasm?v=${id}`].sort(), worker.join(' '));
  assert.deepEqual(problems, []);
  await context.close();
});

test('paste the seed page, read it, link paragraph 5, reload and land on it', async () => {
  const { context, page, problems } = await open();
  await shot(page, '01-home-empty');
  await paste(page, SEED);
  await page.waitForSelector('p.para');
  assert.equal(await page.locator('p.para').count(), 19, '19 numbered paragraphs');
  assert.match(page.url(), /\/cable-reader\/#\/cable\/09TRIPOLI748$/);
  const h1 = await page.locator('article.cable h1').innerText();
  assert.match(h1, /09TRIPOLI748/);
  assert.match(h1, /HUMAN RIGHTS DIALOGUE REBOUNDS AFTER DIFFICULT START/);
  const ths = await page.locator('table.meta th').allInnerTexts();
  assert.deepEqual(ths, ['Reference ID', 'Created', 'Released', 'Classification', 'Origin']);
  const tds = await page.locator('table.meta td').allInnerTexts();
  assert.deepEqual(tds, ['09TRIPOLI748', '2009-09-17 10:10', '2011-01-31 21:09', 'CONFIDENTIAL', 'Embassy Tripoli']);
  assert.match(await page.locator('pre.routing').innerText(), /FM AMEMBASSY TRIPOLI/);
  const ids = await page.locator('p.para').evaluateAll((ps) => ps.map((p) => p.id));
  assert.deepEqual(ids, Array.from({ length: 19 }, (_, i) => `par${i + 1}`));
  await shot(page, '02-seed-cable');

  const pilcrow = page.locator('#par5 a.pilcrow');
  assert.equal(await pilcrow.getAttribute('href'), '#/cable/09TRIPOLI748/par5');
  await pilcrow.click();
  await page.waitForURL(/#\/cable\/09TRIPOLI748\/par5$/);
  await page.waitForSelector('#par5.target');
  await page.waitForSelector('#par5 .copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, site.url + '#/cable/09TRIPOLI748/par5', 'the absolute link, sub-path included, is copied');

  await page.reload();
  await page.waitForSelector('#par5.target');
  await page.waitForTimeout(400);
  const inView = await page.locator('#par5').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  });
  assert.ok(inView, 'paragraph 5 is scrolled into view after reload');
  assert.equal(await page.locator('p.para.target').count(), 1);
  await shot(page, '03-reload-par5');

  await page.goBack();
  await page.waitForURL(/#\/cable\/09TRIPOLI748$/);
  assert.equal(await page.locator('p.para.target').count(), 0, 'back leaves the paragraph');
  await page.goForward();
  await page.waitForSelector('#par5.target');

  await page.goto(site.url);
  await page.waitForSelector('table.cable-list');
  assert.match(await page.locator('table.cable-list').innerText(), /09TRIPOLI748/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('back and forward return to where a page was read, also in a browser without the Navigation API', async () => {
  // The reader keys each history entry's scroll offset by the Navigation API's entry key, and
  // where a browser lacks that API, by a key it writes into the entry's history state.
  for (const hide of [false, true]) {
    const initScript = hide ? () => Object.defineProperty(window, 'navigation', { value: undefined }) : undefined;
    const { context, page, problems } = await openReader(site.url, { initScript });
    assert.equal(await page.evaluate(() => window.navigation === undefined), hide);
    await page.setViewportSize({ width: 900, height: 500 });
    await paste(page, SEED);
    await page.waitForSelector('#par12');
    await page.waitForFunction(() => window.scrollY === 0);
    await page.locator('#par12').evaluate((el) => el.scrollIntoView());
    await page.waitForTimeout(200);
    const cableY = await page.evaluate(() => Math.round(window.scrollY));
    assert.ok(cableY > 300, `cable scrolled: ${cableY}`);
    await page.locator('a.brand').click();
    await page.waitForSelector('section.results');
    await page.goBack();
    await page.waitForSelector('article.cable');
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) <= 2, cableY, { timeout: 5000 }).catch(() => {});
    assert.equal(await page.evaluate(() => Math.round(window.scrollY)), cableY, `back: the cable where it was (Navigation API hidden: ${hide})`);
    await page.goForward();
    await page.waitForSelector('section.results');
    await page.waitForFunction(() => window.scrollY === 0, null, { timeout: 5000 }).catch(() => {});
    assert.equal(await page.evaluate(() => Math.round(window.scrollY)), 0, 'forward: the home page at its top');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('cable text is never run: subject and body with <img onerror> and <script>', async () => {
  const { context, page, problems } = await open();
  await paste(page, XSS_CABLE);
  await page.waitForSelector('p.para');
  const subject = await page.locator('article.cable h1 .subject').innerText();
  assert.equal(subject, '<img src=x onerror=alert(1)> AND <script>window.__pwned=1</script>');
  assert.match(await page.locator('#par1').innerText(), /<img src=x onerror="window.__pwned=2">/);
  assert.equal(await page.locator('article.cable img, article.cable script, article.cable b').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.reload();
  await page.waitForSelector('p.para');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(problems, [], 'no dialog, no page error');
  await shot(page, '04-xss-as-text');
  await context.close();
});

test('bad input: empty paste, text without a cable, a binary file; nothing stored, the app keeps working', async () => {
  const { context, page, problems } = await open();
  await paste(page, '   ');
  await page.waitForSelector('.notice.error');
  assert.match(await page.locator('.notice.error').innerText(), /empty/i);
  await paste(page, 'Dear colleague, the minutes of Tuesday\'s meeting are attached. Regards.');
  await page.waitForFunction(() => /No cable found/.test(document.querySelector('.notice.error')?.innerText || ''));
  assert.match(await page.locator('.notice.error').innerText(), /Expected a cable/);
  await shot(page, '05-bad-paste');
  await page.locator('#open-files').setInputFiles({ name: 'photo.txt', mimeType: 'text/plain', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]) });
  await page.waitForFunction(() => /binary/.test(document.querySelector('.notice.error')?.innerText || ''));
  await page.reload();
  await page.waitForSelector('.empty-library');
  await page.getByRole('button', { name: 'Try a sample cable' }).click();
  await page.waitForSelector('p.para');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link to a cable not in the library says so, and lands on the paragraph once it is pasted', async () => {
  const { context, page, problems } = await open('#/cable/09TRIPOLI748/par12');
  await page.waitForSelector('section.missing');
  assert.match(await page.locator('section.missing').innerText(), /09TRIPOLI748 is not in your library/);
  assert.match(await page.locator('section.missing').innerText(), /paragraph 12/);
  await shot(page, '06-missing-cable');
  await paste(page, SEED);
  await page.waitForSelector('#par12.target');
  assert.match(page.url(), /#\/cable\/09TRIPOLI748\/par12$/);
  await page.waitForTimeout(400);
  assert.ok(await page.locator('#par12').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  }));
  await shot(page, '07-arrived-par12');
  assert.deepEqual(problems, []);
  await context.close();
});

test('open files: one over the size limit is refused by name and size; the others are read, and a cable is found by its citation', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cable-reader-big-'));
  const raw = SEED.slice(SEED.indexOf('VZCZC'));
  // 40 files (more than a group of files the page reads at once), one of them 65 MB: over the
  // 64 MB a text or page file may have.
  const names = [];
  for (let i = 0; i < 39; i++) {
    const name = `cable-${i}.txt`;
    fs.writeFileSync(path.join(dir, name), raw.replaceAll('TRIPOLI 000748', `TRIPOLI 000${900 + i}`));
    names.push(name);
  }
  fs.writeFileSync(path.join(dir, 'huge.txt'), Buffer.alloc(65 * 1024 * 1024, 'x'));
  names.splice(30, 0, 'huge.txt');
  const { context, page, problems } = await open();
  await page.locator('#open-files').setInputFiles(names.map((n) => path.join(dir, n)));
  await page.waitForSelector('.import-summary', { timeout: 60000 });
  const summary = await page.locator('.import-summary').innerText();
  assert.match(summary, /39\s*new/);
  assert.match(summary, /1\s*failed/);
  await page.locator('.import-summary summary').click();
  assert.match(await page.locator('.import-summary').innerText(), /huge\.txt is 68 MB; the reader takes text and page files up to 64 MB/);
  // `TRIPOLI 938`, as cables cite each other, finds the cable whose header says TRIPOLI 000938.
  await page.goto(site.url + '#/?q=' + encodeURIComponent('TRIPOLI 938'));
  await page.waitForFunction(() => /09TRIPOLI938/.test(document.querySelector('table.cable-list')?.innerText || ''));
  assert.match(await page.locator('.result-count').innerText(), /^1 of 39 cables match/);
  assert.deepEqual(problems, []);
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('open files: a raw cable named by its id and a saved WikiLeaks page', { skip: !HAS_SHARED && 'needs ../shared/corpus' }, async () => {
  const { context, page, problems } = await open();
  await page.locator('#open-files').setInputFiles([
    path.join(SHARED, 'cables/08VLADIVOSTOK68.txt'),
    path.join(SHARED, 'html/heuer-cablemap/07BERN881.html'),
  ]);
  await page.waitForFunction(() => document.querySelectorAll('table.cable-list tbody tr:not([hidden])').length === 2);
  const list = await page.locator('table.cable-list').innerText();
  assert.match(list, /08VLADIVOSTOK68/);
  assert.match(list, /07BERN881/);
  await shot(page, '08-opened-files');
  assert.match(await page.locator('.notice.info').innerText(), /Read 2 cables/);
  await page.getByRole('link', { name: '07BERN881' }).click();
  await page.waitForSelector('article.cable');
  assert.equal(await page.locator('.notice').count(), 0, 'the notice stays with the page it was given on');
  assert.match(await page.locator('table.meta').innerText(), /Embassy Bern/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a cable's origin, tag, classifier and signer lead to every cable in the library that shares them", { skip: !HAS_SHARED && 'needs ../shared/corpus' }, async () => {
  const { context, page, problems } = await open();
  // One classifier written three ways: "GENE A. CRETZ", "Gene Cretz", "Gene A. Cretz" (twice).
  const ids = ['09TRIPOLI40', '09TRIPOLI1021', '06TELAVIV4032', '05TELAVIV45'];
  await page.locator('#open-files').setInputFiles(ids.map((id) => path.join(SHARED, `cables/${id}.txt`)));
  await page.waitForFunction(() => document.querySelectorAll('table.cable-list tbody tr:not([hidden])').length === 4);
  const count = async () => {
    await page.waitForSelector('section.results[data-state]');
    return page.locator('section.results').evaluate((s) => (/([\d,]+) of ([\d,]+) cables match/.exec(s.innerText) || [])[1]);
  };
  // The ids of the rows shown, once `n` rows with their ids are drawn.
  const rows = async (n) => {
    await page.waitForFunction((n) => {
      const cells = [...document.querySelectorAll('table.cable-list tbody tr:not([hidden]) td.id-cell')];
      return cells.length === n && cells.every((c) => c.textContent.trim() !== '');
    }, n);
    // (textContent: rows off screen are not rendered, `content-visibility: auto`, and have no innerText.)
    return (await page.locator('table.cable-list tbody tr:not([hidden]) td.id-cell').evaluateAll((cs) => cs.map((c) => c.textContent.trim()))).sort();
  };
  await page.getByRole('link', { name: '09TRIPOLI1021' }).click();
  await page.waitForSelector('article.cable');
  const classifier = page.locator('dl.fields a.facet-link').filter({ hasText: 'Gene Cretz' });
  assert.equal(await classifier.getAttribute('href'), '#/?classified_by=Gene%20Cretz');
  assert.equal(await classifier.getAttribute('title'), 'Every cable in your library classified by Gene Cretz');
  await shot(page, '29-facet-links');
  await classifier.click();
  await page.waitForFunction(() => /4 of 4 cables match/.test(document.querySelector('section.results')?.innerText || ''));
  assert.deepEqual(await rows(4), [...ids].sort(), 'every form of the name counts');
  await page.goBack();
  await page.waitForSelector('article.cable');
  await page.getByRole('link', { name: 'CRETZ', exact: true }).click();
  await page.waitForFunction(() => /of 4 cables match/.test(document.querySelector('section.results')?.innerText || ''));
  assert.deepEqual(await rows(3), ['06TELAVIV4032', '09TRIPOLI1021', '09TRIPOLI40'], 'signed CRETZ (05TELAVIV45 has no signature)');
  assert.equal(await count(), '3');
  await page.goBack();
  await page.waitForSelector('article.cable');
  await page.locator('table.meta a.facet-link', { hasText: 'Embassy Tripoli' }).click();
  await page.waitForFunction(() => /2 of 4 cables match/.test(document.querySelector('section.results')?.innerText || ''));
  assert.deepEqual(await rows(2), ['09TRIPOLI1021', '09TRIPOLI40']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('? lists the keyboard shortcuts (not while typing); Escape closes the list', async () => {
  const { context, page, problems } = await open();
  const help = page.locator('dialog.key-help');
  // Typed into the paste box, ? is text.
  await page.getByLabel('Paste a cable').focus();
  await page.keyboard.type('?');
  assert.equal(await help.evaluate((d) => d.open), false);
  assert.equal(await page.getByLabel('Paste a cable').inputValue(), '?');
  await page.locator('h1').first().click();
  await page.keyboard.press('?');
  await page.waitForFunction(() => document.querySelector('dialog.key-help').open);
  const keys = await help.locator('kbd').allInnerTexts();
  for (const k of ['/', 'j', 'k', 'u', 'n', 'N', '?']) assert.ok(keys.includes(k), `${k} listed: ${keys.join(' ')}`);
  await shot(page, '28-keys');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.key-help').open);
  // The header's button opens it too.
  await page.getByRole('button', { name: 'Keys' }).click();
  await page.waitForFunction(() => document.querySelector('dialog.key-help').open);
  await help.getByRole('button', { name: 'Close' }).click();
  await page.waitForFunction(() => !document.querySelector('dialog.key-help').open);
  assert.deepEqual(problems, []);
  await context.close();
});
