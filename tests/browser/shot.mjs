// One screenshot of a page of a running ptsearch server, for the figures of BENCHMARKS.md:
// opens BASE_URL + PATH in headless Chromium (1280×900) and writes the PNG to OUT.
// Usage: BASE_URL=http://127.0.0.1:PORT node tests/browser/shot.mjs '/graph?q=gene:7157' OUT.png
import { launch, BASE } from './lib.mjs';

const [path, out] = process.argv.slice(2);
if (!path || !out) {
  console.error('usage: node tests/browser/shot.mjs PATH OUT.png');
  process.exit(2);
}
const { browser, cleanup } = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const response = await page.goto(BASE + path, { waitUntil: 'load' });
  if (!response || !response.ok()) throw new Error(`GET ${path}: ${response?.status()}`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`${out}: ${BASE}${path}`);
} finally {
  await browser.close();
  cleanup();
}
