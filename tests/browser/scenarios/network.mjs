// The network view: the results page links to it; the SVG shows the query's entities coloured
// by type with edges whose width follows the weight; clicking a node adds its clause to the
// query and redraws; no CSP violation; a screenshot is saved as network.png.
import { scenario, open, assert, eq, total, SHOTS } from '../lib.mjs';
import { join } from 'node:path';

function watchCsp(page) {
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

await scenario(import.meta.url, {
  'results link to the network; nodes coloured by type, edges weighted': async (page) => {
    const csp = watchCsp(page);
    await open(page, '/?q=melanoma');
    const hits = await total(page);
    await Promise.all([page.waitForNavigation(), page.click('#to-network')]);
    eq(new URL(page.url()).pathname, '/graph', 'network view');
    eq(await page.inputValue('#q'), 'melanoma', 'query box keeps the query');
    eq(Number(await page.textContent('#summary strong')), hits, 'same hit count as the results');
    const nodes = await page.$$eval('#graph a.node', (as) => as.map((a) => ({
      clause: a.dataset.clause,
      docs: Number(a.dataset.documents),
      fill: getComputedStyle(a.querySelector('circle')).fill,
      cls: a.querySelector('circle').getAttribute('class'),
    })));
    assert(nodes.length >= 3, 'nodes drawn: ' + nodes.length);
    const gene = nodes.find((n) => n.clause === 'gene:673');
    const disease = nodes.find((n) => n.clause.startsWith('disease:'));
    assert(gene && disease, 'BRAF and a disease are nodes: ' + nodes.map((n) => n.clause));
    eq(gene.cls, 't-Gene', 'gene class');
    eq(gene.fill, 'rgb(188, 217, 255)', 'gene colour from the palette');
    assert(disease.fill !== gene.fill, 'types have their own colours');
    const widths = await page.$$eval('#graph .edges line', (ls) =>
      ls.map((l) => [Number(l.dataset.documents), Number(l.getAttribute('stroke-width'))]));
    assert(widths.length >= 1, 'edges drawn');
    for (const [d1, w1] of widths) {
      for (const [d2, w2] of widths) {
        if (d1 > d2) assert(w1 > w2, `an edge in ${d1} docs is wider than one in ${d2}`);
      }
    }
    const paint = await page.evaluate(() =>
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    console.log(`     network view first contentful paint: ${paint.toFixed(0)} ms`);
    await page.screenshot({ path: join(SHOTS, 'network.png'), fullPage: true });
    eq(csp, [], 'no CSP violation');
  },
  'clicking a node adds its clause and redraws': async (page) => {
    const csp = watchCsp(page);
    await open(page, '/graph?q=melanoma');
    const before = Number(await page.textContent('#summary strong'));
    await Promise.all([
      page.waitForNavigation(),
      page.click('#graph a.node[data-clause="gene:673"] circle'),
    ]);
    eq(new URL(page.url()).pathname, '/graph', 'still the network view');
    eq(await page.inputValue('#q'), 'melanoma gene:673', 'clause added to the query');
    const after = Number(await page.textContent('#summary strong'));
    assert(after > 0 && after < before, `hits narrowed ${before} -> ${after}`);
    await Promise.all([page.waitForNavigation(), page.click('#to-results')]);
    eq(new URL(page.url()).searchParams.get('q'), 'melanoma gene:673', 'back to results');
    eq(await total(page), after, 'results agree');
    eq(csp, [], 'no CSP violation');
  },
  'relation links and NPMI width switch; escaped names': async (page) => {
    await open(page, '/graph?q=*&edges=relation&weight=npmi');
    assert(await page.$('#network .controls strong'), 'current choice shown');
    const text = await page.textContent('#network .controls');
    assert(text.includes('relation') && text.includes('NPMI'), text);
    const hrefs = await page.$$eval('#graph-export a', (as) => as.map((a) => a.getAttribute('href')));
    assert(hrefs.every((h) => h.includes('edges=relation') && h.includes('weight=npmi')), hrefs.join());
    // The XSS fixture's names are text, never markup.
    eq(await page.$$eval('#graph script', (s) => s.length), 0, 'no script in the SVG');
  },
});
