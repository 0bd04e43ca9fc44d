// Launching Debian's Chromium headless for the tests (never a downloaded browser).
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Browsers launched and not closed yet (a failed test leaves its own open). */
const OPEN = new Set();

/** Closes every browser still open: after a failed test, so its connections do not keep the
 * site's server, and with it the test file, from ending. */
export async function closeBrowsers() {
  await Promise.all([...OPEN].map((c) => c.close().catch(() => {})));
  OPEN.clear();
}

/** Closes the test site's server, ending any connection still open. */
export async function closeSite(server) {
  await closeBrowsers();
  if (!server) return;
  server.closeAllConnections?.();
  server.close();
}

/** Launch attempts before a test fails: Chromium now and then exits within its first 200 ms,
 * before any page exists (seen once in CI: "Target page, context or browser has been closed"
 * from `launchPersistentContext` itself). Nothing of the reader has run by then, so a fresh
 * attempt with a fresh profile is no retry of the thing under test. */
const LAUNCH_ATTEMPTS = 3;

/** A fresh browser with an empty profile; the caller closes it. */
export async function launch() {
  for (let attempt = 1; ; attempt++) {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cable-reader-profile-'));
    try {
      return await launchIn(userDataDir);
    } catch (e) {
      await fs.promises.rm(userDataDir, { recursive: true, force: true }).catch(() => {});
      if (attempt >= LAUNCH_ATTEMPTS) throw e;
      console.error(`# Chromium did not start (attempt ${attempt} of ${LAUNCH_ATTEMPTS}): ${String(e.message).split('\n')[0]}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function launchIn(userDataDir) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  OPEN.add(context);
  context.on('close', () => OPEN.delete(context));
  // The profile (a large library's IndexedDB is gigabytes) goes with the browser once it has
  // closed: left behind, runs of the tests and benches filled the disk.
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    await fs.promises.rm(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }).catch(() => {});
  };
  return { context, userDataDir };
}

export const ARTIFACTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

/** Saves a full-page screenshot as an artifact. */
export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png'), fullPage: false });
}

/**
 * Opens `url` in a fresh browser and waits for the reader's header; collects page errors in
 * `problems`. Dialogs are accepted (`acceptDialogs`: the tests that confirm a deletion) or else
 * dismissed and counted as problems. `initScript` runs in every page before the reader's own.
 */
export async function openReader(url, { acceptDialogs = false, initScript } = {}) {
  const { context } = await launch();
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('dialog', async (d) => {
    if (acceptDialogs) {
      await d.accept();
    } else {
      problems.push('dialog: ' + d.message());
      await d.dismiss();
    }
  });
  await page.goto(url);
  await page.waitForSelector('header.site');
  return { context, page, problems };
}

/**
 * Deletes the library's saved index in the page's IndexedDB (as after an update that changes its
 * format): the next load rebuilds it from the stored cables.
 */
export async function dropSavedIndex(page) {
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('cable-reader');
    open.onsuccess = () => {
      const tx = open.result.transaction('snapshot', 'readwrite');
      tx.objectStore('snapshot').clear();
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  }));
}

/** Waits until the library's index is saved (the snapshot store names a current snapshot). */
export async function waitSavedIndex(page, timeoutMs = 120000) {
  const saved = () => page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('cable-reader');
    open.onsuccess = () => {
      const tx = open.result.transaction('snapshot', 'readonly');
      const get = tx.objectStore('snapshot').get('current');
      get.onsuccess = () => { open.result.close(); resolve(get.result !== undefined); };
      get.onerror = () => reject(get.error);
    };
    open.onerror = () => reject(open.error);
  }));
  const until = Date.now() + timeoutMs;
  while (!(await saved())) {
    if (Date.now() > until) throw new Error('the index was not saved within ' + timeoutMs + ' ms');
    await page.waitForTimeout(100);
  }
}

/** The built site (`DIST`) and the sub-path it is served under, as on a GitHub Pages project site. */
export const DIST = process.env.DIST || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist-test');
export const PREFIX = process.env.PUBLIC_URL || '/cable-reader/';

/**
 * Serves the built site on 127.0.0.1 under `PREFIX` for the tests of one file (before the first,
 * closed after the last); the returned object gets `url` and `server` once it is up.
 */
export function useSite() {
  const site = {};
  before(async () => {
    assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `no built site at ${DIST}: run trunk build first`);
    Object.assign(site, await serve(DIST, PREFIX));
  });
  after(() => closeSite(site.server));
  return site;
}
