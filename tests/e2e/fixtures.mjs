// Inputs for the end-to-end tests: the shipped sample and hand-made hostile cables.
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
export const REPO = path.resolve(here, '../..');
export const SEED = fs.readFileSync(path.join(REPO, 'public/samples/09TRIPOLI748-page.txt'), 'utf8');
export const SHARED = path.resolve(REPO, '../shared/corpus');
export const HAS_SHARED = fs.existsSync(path.join(SHARED, 'meta.tsv'));

/** A cable whose subject and body try to inject markup. */
export const XSS_CABLE = `VZCZCXYZ0001
OO RUEHWEB
DE RUEHTRO #0999/01 2601049
ZNY CCCCC ZZH
O 171049Z SEP 09
FM AMEMBASSY TRIPOLI
TO RUEHC/SECSTATE WASHDC IMMEDIATE 5271
C O N F I D E N T I A L TRIPOLI 000999

E.O. 12958: DECL: 9/17/2019
TAGS: PREL LY
SUBJECT: <img src=x onerror=alert(1)> AND <script>window.__pwned=1</script>

1. (C) Body with <img src=x onerror="window.__pwned=2"> and <script>window.__pwned=3</script> inside.

2. (C) A second paragraph with <b>bold</b> and <a href="javascript:alert(1)">a link</a>.
`;

/** Rows of the corpus index (meta.tsv): refid, created, classification, origin, subject. */
export function metaRows() {
  const lines = fs.readFileSync(path.join(SHARED, 'meta.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return lines.map((l) => {
    const f = l.split('\t');
    return { refid: f[0], created: f[1], classification: f[2], origin: f[3], partial: f[11] === 'yes' };
  });
}

/** `YYYY-MM-DD HH:MM` as cables.csv writes it (`M/D/YYYY H:MM`). */
function csvDate(created) {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)/.exec(created || '');
  return m ? `${+m[2]}/${+m[3]}/${m[1]} ${+m[4]}:${m[5]}` : '';
}

/** A field of cables.csv: double-quoted, backslash escapes. */
function csvField(s) {
  return '"' + String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** A cables.csv (the bulk dump's format) of the first `count` corpus cables, whole text in the body column. */
export function corpusCsv(count) {
  const rows = metaRows().slice(0, count);
  const out = [];
  rows.forEach((r, i) => {
    const text = fs.readFileSync(path.join(SHARED, 'cables', r.refid + '.txt'), 'utf8');
    out.push([i + 1, csvDate(r.created), r.refid, r.origin, r.classification, '', '', text].map(csvField).join(',') + '\n');
  });
  return { csv: out.join(''), ids: rows.map((r) => r.refid), full: rows.filter((r) => !r.partial).map((r) => r.refid) };
}
