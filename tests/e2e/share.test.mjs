// Sharing, end to end, each recipient a fresh browser profile with no stored library: a
// self-contained paragraph link, a range link, a quote link, citations, a cable too long for a
// self-contained link, and hostile fragments. The site is served on 127.0.0.1 under a sub-path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { openReader, shot, useSite } from './browser.mjs';
import { SEED, XSS_CABLE } from './fixtures.mjs';

const site = useSite();

async function paste(page, text) {
  await page.getByLabel('Paste a cable').fill(text);
  await page.getByRole('button', { name: 'Read cable' }).click();
  await page.waitForSelector('p.para');
}

/** How many cables this browser's IndexedDB holds (0 when the database was never created). */
async function storedCount(page) {
  return page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    if (!dbs.some((d) => d.name === 'cable-reader')) return 0;
    return new Promise((resolve, reject) => {
      const open = indexedDB.open('cable-reader');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('cables')) { db.close(); resolve(0); return; }
        const req = db.transaction('cables').objectStore('cables').count();
        req.onsuccess = () => { db.close(); resolve(req.result); };
        req.onerror = () => reject(req.error);
      };
    });
  });
}

/** Opens the share dialog of a paragraph and returns the page (dialog open). */
async function shareParagraph(page, number) {
  await page.locator(`#par${number}`).hover();
  await page.getByRole('button', { name: `Share paragraph ${number}`, exact: true }).click();
  await page.waitForSelector('dialog.share-dialog[open]');
}

const shareLink = (page) => page.getByLabel('Share link').inputValue();

/** The self-contained link a sender in a fresh browser makes for paragraph `number` of `text`. */
async function senderLink(text, number) {
  const a = await openReader(site.url);
  await paste(a.page, text);
  await shareParagraph(a.page, number);
  const link = await shareLink(a.page);
  assert.deepEqual(a.problems, []);
  await a.context.close();
  return link;
}

test('a self-contained paragraph link opens the cable for someone who never had it', async () => {
  const a = await openReader(site.url);
  await paste(a.page, SEED);
  await shareParagraph(a.page, 5);
  assert.equal(await a.page.locator('#share-title').innerText(), 'Share paragraph 5 of 09TRIPOLI748');
  const link = await shareLink(a.page);
  assert.ok(link.startsWith(site.url + '#/cable/09TRIPOLI748/par5?z=1'), link.slice(0, 120));
  assert.ok(link.length < 16000, `${link.length} characters`);
  assert.match(await a.page.locator('.share-size').innerText(), /characters/);
  await a.page.getByRole('button', { name: 'Copy', exact: true }).click();
  assert.equal(await a.page.evaluate(() => navigator.clipboard.readText()), link, 'Copy puts the link on the clipboard');
  await shot(a.page, 'share-01-dialog');
  await a.context.close();

  // Someone else: a fresh profile, no library.
  const b = await openReader(link);
  await b.page.waitForSelector('#par5.target');
  assert.equal(await b.page.locator('p.para.target').count(), 1);
  assert.match(await b.page.locator('.shared-banner').innerText(), /came with the link/);
  assert.deepEqual(await b.page.locator('table.meta td').allInnerTexts(),
    ['09TRIPOLI748', '2009-09-17 10:10', '2011-01-31 21:09', 'CONFIDENTIAL', 'Embassy Tripoli']);
  assert.match(await b.page.locator('#par5 .ptext').innerText(), /FM Kusa arrived but deliberately ignored/);
  const inView = await b.page.locator('#par5').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  });
  assert.ok(inView, 'the linked paragraph is scrolled into view');
  assert.equal(await storedCount(b.page), 0, 'nothing is stored by opening a link');
  await shot(b.page, 'share-02-recipient');

  // The recipient keeps it: now it is in the library, and the page shows the library's copy.
  await b.page.getByRole('button', { name: 'Keep in my library' }).click();
  await b.page.waitForSelector('.shared-banner', { state: 'detached' });
  assert.equal(await storedCount(b.page), 1);
  await b.page.reload();
  await b.page.waitForSelector('#par5.target');
  assert.equal(await b.page.locator('.shared-banner').count(), 0);
  assert.deepEqual(b.problems, []);
  await b.context.close();
});

test('a range of paragraphs and a quoted sentence, with citations', async () => {
  const a = await openReader(site.url + '#/');
  await paste(a.page, SEED);
  await shareParagraph(a.page, 5);
  await a.page.locator('.share-range label').nth(1).locator('select').selectOption('par7');
  assert.equal(await a.page.locator('#share-title').innerText(), 'Share paragraphs 5–7 of 09TRIPOLI748');
  const rangeLink = await shareLink(a.page);
  assert.ok(rangeLink.startsWith(site.url + '#/cable/09TRIPOLI748/par5..par7?z=1'), rangeLink.slice(0, 100));
  // Citations carry the short link.
  const cite = a.page.getByRole('textbox', { name: 'Citation' });
  assert.equal(await cite.inputValue(),
    `Embassy Tripoli, “HUMAN RIGHTS DIALOGUE REBOUNDS AFTER DIFFICULT START”, cable 09TRIPOLI748, ¶5–7, 17 September 2009, CONFIDENTIAL, released by WikiLeaks 2011-01-31. ${site.url}#/cable/09TRIPOLI748/par5..par7`);
  await a.page.getByRole('button', { name: 'Markdown' }).click();
  assert.match(await cite.inputValue(), new RegExp(`cable \\[09TRIPOLI748\\]\\(${site.url.replace(/[.?]/g, '\\$&')}#/cable/09TRIPOLI748/par5\\.\\.par7\\), ¶5–7`));
  await a.page.getByRole('button', { name: 'BibTeX' }).click();
  const bib = await cite.inputValue();
  assert.match(bib, /^@misc\{09TRIPOLI748p5,/);
  assert.match(bib, /howpublished = \{Diplomatic cable 09TRIPOLI748, CONFIDENTIAL, para\.~5--7\}/);
  await a.page.getByRole('button', { name: 'Copy citation' }).click();
  assert.equal(await a.page.evaluate(() => navigator.clipboard.readText()), bib);
  await a.page.getByRole('button', { name: 'Close' }).click();
  await a.page.waitForSelector('dialog.share-dialog[open]', { state: 'detached' });

  // Select a sentence of paragraph 6 as a person would, then share it.
  const sentence = 'Kusa opened the meeting by stressing the need for bilateral dialogue.';
  await a.page.evaluate((s) => {
    const span = document.querySelector('#par6 .ptext');
    const text = span.firstChild;
    const at = text.textContent.indexOf(s);
    const r = document.createRange();
    r.setStart(text, at);
    r.setEnd(text, at + s.length);
    getSelection().removeAllRanges();
    getSelection().addRange(r);
  }, sentence);
  await a.page.getByRole('button', { name: 'Share or cite…' }).first().click();
  await a.page.waitForSelector('dialog.share-dialog[open]');
  assert.equal(await a.page.locator('.share-quote q').innerText(), sentence);
  const quoteLink = await shareLink(a.page);
  assert.ok(quoteLink.includes('#/cable/09TRIPOLI748/par6?quote=Kusa%20opened%20the%20meeting'), quoteLink.slice(0, 160));
  assert.ok(quoteLink.endsWith(':~:text=Kusa%20opened%20the%20meeting%20by%20stressing%20the%20need%20for%20bilateral%20dialogue.'), quoteLink.slice(-120));
  await shot(a.page, 'share-03-quote-dialog');
  await a.context.close();

  const b = await openReader(rangeLink);
  await b.page.waitForSelector('#par5.target');
  assert.deepEqual(await b.page.locator('p.para.target').evaluateAll((ps) => ps.map((p) => p.id)), ['par5', 'par6', 'par7']);
  await shot(b.page, 'share-04-range');
  await b.page.goto(quoteLink);
  await b.page.waitForSelector('mark.quote');
  assert.equal(await b.page.locator('mark.quote').innerText(), sentence);
  assert.equal(await b.page.locator('#par6 mark.quote').count(), 1, 'the quote is marked in its paragraph');
  await shot(b.page, 'share-05-quote');
  assert.equal(await storedCount(b.page), 0);
  assert.deepEqual(b.problems, []);
  await b.context.close();
});

/** A cable far too long for a self-contained link: 200 paragraphs of varied (hard to compress) words. */
function longCable() {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const word = () => Array.from({ length: 3 + Math.floor(rnd() * 7) }, () => 'ABCDEFGHIJKLMNOPRSTUVWY'[Math.floor(rnd() * 23)]).join('');
  const pars = Array.from({ length: 200 }, (_, i) => `${i + 1}. (C) ${Array.from({ length: 80 }, word).join(' ')}.`);
  return XSS_CABLE.replace('#0999/01', '#0998/01').replace('TRIPOLI 000999', 'TRIPOLI 000998')
    .replace(/SUBJECT:.*\n/, 'SUBJECT: A VERY LONG CABLE\n')
    .replace(/1\. \(C\)[\s\S]*$/, pars.join('\n\n') + '\n');
}

test('a cable too long for a link falls back to the short link, and says so', async () => {
  const a = await openReader(site.url);
  await paste(a.page, longCable());
  await shareParagraph(a.page, 3);
  const note = await a.page.locator('.share-too-long').innerText();
  assert.match(note, /too long to travel inside a link: with its text the link would be [\d,]+ characters, and the reader keeps links under 16,000/);
  assert.equal(await a.page.getByLabel('With the cable').isDisabled(), true);
  assert.equal(await shareLink(a.page), site.url + '#/cable/09TRIPOLI998/par3');
  await shot(a.page, 'share-06-too-long');
  assert.deepEqual(a.problems, []);
  await a.context.close();
});

test('malformed, truncated and hostile links: a clear message, nothing runs, nothing is stored', async () => {
  // A real payload to damage.
  const good = await senderLink(SEED, 2);
  const hash = good.slice(good.indexOf('#'));
  const cases = [
    ['truncated', hash.slice(0, hash.length - 400), /incomplete or altered/],
    ['altered', hash.replace(/z=1(.{40})(.)/, (m, p, c) => `z=1${p}${c === 'A' ? 'B' : 'A'}`), /cannot be opened/],
    ['script', '#/cable/09TRIPOLI748/par2?z=1<script>window.__pwned=1</script>', /characters a share link never has/],
    ['html entity', '#/cable/09TRIPOLI748?z=1%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D2%3E', /characters a share link never has/],
    ['newer version', '#/cable/09TRIPOLI748?z=9eNpLTEoGAAJNASc', /newer version/],
    ['huge', '#/cable/09TRIPOLI748?z=1' + 'A'.repeat(250000), /more than any cable needs/],
    ['not a cable', '#/cable/09TRIPOLI748?z=1' + zlib.deflateSync('Hello, this is no cable at all.').toString('base64url'), /the text in it is not a cable/],
  ];
  const b = await openReader(site.url);
  for (const [name, h, want] of cases) {
    await b.page.goto(site.url + h);
    await b.page.waitForSelector('.bad-link-reason');
    const msg = await b.page.locator('.bad-link-reason').innerText();
    assert.match(msg, want, name);
    assert.match(msg, /Nothing was stored/, name);
    assert.equal(await b.page.evaluate(() => window.__pwned), undefined, name);
    assert.equal(await b.page.locator('main img').count(), 0, name);
    if (name === 'truncated') await shot(b.page, 'share-07-damaged');
  }
  // A hostile path.
  await b.page.goto(site.url + '#/cable/<img src=x onerror=window.__pwned=3>');
  await b.page.waitForSelector('section.unknown');
  assert.equal(await b.page.evaluate(() => window.__pwned), undefined);
  assert.equal(await storedCount(b.page), 0, 'nothing is stored');
  assert.deepEqual(b.problems, []);
  await b.context.close();
});

test('a shared cable that tries to inject markup stays text', async () => {
  const link = await senderLink(XSS_CABLE, 1);
  const b = await openReader(link);
  await b.page.waitForSelector('#par1.target');
  assert.match(await b.page.locator('article.cable h1').innerText(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await b.page.locator('article.cable img, article.cable script, article.cable b').count(), 0);
  assert.equal(await b.page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(b.problems, []);
  await b.context.close();
});
