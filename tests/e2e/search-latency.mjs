// The search-latency measure both browser benches use (bench.mjs, bench-large.mjs): the same
// query mix, each search started by changing the address as a link does, timed to the answer in
// the document (the results' data-state is the answered address) and to the next frame drawn,
// with the worker's own time as the page shows it. Or each query typed into the search box and
// submitted, timed from the submit. Or a link to the query pressed as a person clicks (the button
// held PRESS_MS, as a mouse click lasts), timed from the click. The first round warms up and is
// not counted.

/** How long the `press` measure holds the button before the click (a mouse click's usual length). */
export const PRESS_MS = 80;

export const QUERIES = [
  'qadhafi', 'nuclear', '"human rights"', 'iran* -israel', 'tag:PREL', 'origin:tripoli oil', 'class:secret',
  '"prime minister" election', 'TRIPOLI 677', 'subject:visit', 'corruption bank', 'enrich*', 'ref:09STATE',
  'terror* attack', 'signer:clinton', 'china trade', '"foreign minister"', 'embassy', 'pakistan taliban', 'oil',
];

/** The q-th quantile of xs (nearest rank). */
export const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.round((s.length - 1) * q))]; };

/** p50 and p95 of xs. */
export const p50p95 = (xs) => ({ p50: pct(xs, 0.5), p95: pct(xs, 0.95) });

/** Runs the query mix `rounds` times on `page` (the reader, library loaded); milliseconds per search.
 * `via`: `address` (the default) changes the address as a link does; `box` types the query into the
 * search box (not timed) and submits it, as a person searching does (timed from the submit);
 * `press` presses a link to the query, holds it PRESS_MS, then clicks it (timed from the click). */
export async function measureSearches(page, rounds, via = 'address') {
  const dom = [];
  const complete = [];
  const painted = [];
  const worker = [];
  for (let round = 0; round < rounds; round++) {
    for (const q of QUERIES) {
      const hash = '#/?q=' + encodeURIComponent(q).replace(/'/g, '%27').replace(/[!()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
      if (via === 'box') {
        await page.evaluate((q) => {
          const input = document.querySelector('#search-cables');
          input.value = q;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }, q);
      }
      if (via === 'press') {
        await page.evaluate((href) => {
          const a = document.createElement('a');
          a.id = 'bench-link';
          a.href = href;
          a.textContent = 'bench';
          document.body.append(a);
          a.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerType: 'mouse', bubbles: true }));
        }, hash);
        await page.waitForTimeout(PRESS_MS);
      }
      const r = await page.evaluate(([want, via]) => new Promise((resolve) => {
        const t = performance.now();
        let done = false;
        let answer, paint, complete;
        const finish = () => { if (paint !== undefined && complete !== undefined) resolve({ ...answer, paint, complete }); };
        const check = () => {
          const el = document.querySelector('section.results');
          if (!done && el && el.getAttribute('data-state') === want) {
            done = true;
            const ms = performance.now() - t;
            const took = parseFloat((document.querySelector('.took')?.textContent || '').replace(/[^\d.]/g, ''));
            // On screen: the frame after the change has been drawn (style, layout, paint).
            requestAnimationFrame(() => setTimeout(() => { paint = performance.now() - t; finish(); }), 0);
            answer = { ms, took };
          }
          // Every row's snippet in the document (in a large library the snippets of rows past
          // the first screen follow the answer).
          if (done && complete === undefined && !el.hasAttribute('data-snippets-pending')) {
            complete = performance.now() - t;
            obs.disconnect();
            finish();
          }
        };
        const obs = new MutationObserver(check);
        obs.observe(document.body, { subtree: true, childList: true, attributes: true });
        if (via === 'box') document.querySelector('form.search').requestSubmit();
        else if (via === 'press') {
          const a = document.getElementById('bench-link');
          a.click();
          a.remove();
        } else location.hash = want;
        setTimeout(check, 0);
      }), [hash, via]);
      if (round > 0) {
        complete.push(r.complete);
        dom.push(r.ms);
        painted.push(r.paint);
        worker.push(r.took);
      }
    }
  }
  return { searchE2E: p50p95(dom), searchPainted: p50p95(painted), searchWorker: p50p95(worker), searchComplete: p50p95(complete) };
}
