// Shared by the browser scenarios: launches Debian's Chromium headless through playwright-core
// (no browser download), one browser per scenario file, and runs the file's steps in order.
// run.sh sets BASE_URL (the server under test) and SHOT_DIR (where screenshots go).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';

export const BASE = process.env.BASE_URL || 'http://127.0.0.1:8080';
export const SHOTS = process.env.SHOT_DIR || 'target/browser';

export function assert(cond, message) {
  if (!cond) throw new Error('assertion failed: ' + message);
}

export function eq(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

// playwright-core's launch() gives Chromium a fresh, empty --user-data-dir of its own (a new
// temporary profile per launch, removed on close); it refuses one passed in `args`.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run',
    ],
  });
  return { browser, cleanup: () => {} };
}

// Runs `steps` (name → async (page, ctx) => void) with one browser and one page each step.
// Any page error, dialog or failed step fails the file. Prints one line per step.
export async function scenario(file, steps) {
  const name = basename(file);
  const { browser, cleanup } = await launch();
  let failed = 0;
  try {
    for (const [step, fn] of Object.entries(steps)) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push('page error: ' + e.message));
      page.on('dialog', (d) => { problems.push('dialog opened: ' + d.message()); d.dismiss(); });
      const t0 = Date.now();
      try {
        await fn(page, { context });
        assert(problems.length === 0, problems.join('; '));
        console.log(`ok   ${name} :: ${step} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name} :: ${step}: ${e.message}`);
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `failed-${name}-${step}.png`) }).catch(() => {});
      }
      await context.close();
    }
  } finally {
    await browser.close();
    cleanup();
  }
  process.exitCode = failed ? 1 : 0;
}

// Navigates to a path of the server and waits for the page to be loaded.
export async function open(page, path) {
  const r = await page.goto(BASE + path, { waitUntil: 'load' });
  return r;
}

// The IDs of the hits on the page, in order.
export async function hitIds(page) {
  return page.$$eval('#hits > li.hit', (lis) => lis.map((li) => li.dataset.id));
}

export async function total(page) {
  return Number(await page.textContent('#total'));
}
