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
