// Time to first result of the search page, from the browser's navigation timing: opens
// `/?q=QUERY` RUNS times (fresh page each, after one warm-up) and prints, per run and as the
// median, the time from navigation start to the response's last byte (the server-rendered
// results are in the HTML) and to DOMContentLoaded / load.
// Usage: BASE_URL=http://127.0.0.1:PORT node tests/browser/ttfr.mjs 'gene:673' [RUNS]
import { launch, BASE } from './lib.mjs';

const query = process.argv[2] || 'gene:673';
const runs = Number(process.argv[3] || 20);
const { browser, cleanup } = await launch();
const rows = [];
try {
  const context = await browser.newContext();
  for (let i = 0; i <= runs; i++) {
    const page = await context.newPage();
    await page.goto(`${BASE}/?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
    const t = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return {
        response_end: n.responseEnd - n.startTime,
        dom_content_loaded: n.domContentLoadedEventEnd - n.startTime,
        load: n.loadEventEnd - n.startTime,
        hits: document.querySelectorAll('#hits > li.hit').length,
        total: Number(document.getElementById('total')?.textContent || 0),
      };
    });
    if (i > 0) rows.push(t); // run 0 warms the server's caches and the browser
    await page.close();
  }
} finally {
  await browser.close();
  cleanup();
}
const median = (k) => {
  const v = rows.map((r) => r[k]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
const max = (k) => Math.max(...rows.map((r) => r[k]));
console.log(JSON.stringify({
  query, runs: rows.length, total_hits: rows[0]?.total, hits_on_page: rows[0]?.hits,
  median_ms: { response_end: median('response_end'), dom_content_loaded: median('dom_content_loaded'), load: median('load') },
  max_ms: { response_end: max('response_end'), dom_content_loaded: max('dom_content_loaded'), load: max('load') },
}, null, 2));
