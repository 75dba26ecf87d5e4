// Open a document from the results and export it (PubTator, BioC XML, BioC JSON) through the
// API links of the page; the result-set export links answer every hit.
import { scenario, open, assert, eq, BASE } from '../lib.mjs';

await scenario(import.meta.url, {
  'open a hit and export the document': async (page) => {
    await open(page, '/?q=' + encodeURIComponent('gene:673 melanoma'));
    const id = await page.getAttribute('#hits > li.hit:first-child', 'data-id');
    await Promise.all([page.waitForNavigation(), page.click('#hits > li.hit:first-child h2 a')]);
    assert(new URL(page.url()).pathname === '/doc/' + id, 'document URL');
    eq(await page.getAttribute('#document', 'data-id'), id, 'document shown');
    assert((await page.$$('#annotations tbody tr')).length > 0, 'annotation table');
    const back = await page.getAttribute('#back', 'href');
    assert(back && back.startsWith('/?q='), 'back link to the results');
    const links = await page.$$eval('#doc-export a.export', (as) => as.map((a) => [a.dataset.format, a.href]));
    const byFormat = Object.fromEntries(links);
    for (const f of ['pubtator', 'biocxml', 'biocjson']) assert(byFormat[f], 'export link ' + f);
    const get = async (url) => {
      const r = await page.request.get(url);
      eq(r.status(), 200, 'status of ' + url);
      return r.text();
    };
    assert((await get(byFormat.pubtator)).startsWith(id + '|t|'), 'PubTator export');
    assert((await get(byFormat.biocxml)).includes('<collection'), 'BioC XML export');
    const json = JSON.parse(await get(byFormat.biocjson));
    assert(JSON.stringify(json).includes(id), 'BioC JSON export');
    // Following the link downloads a file named after the document.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#doc-export a[data-format="pubtator"]'),
    ]);
    eq(download.suggestedFilename(), `ptsearch-${id}.pubtator`, 'document export file name');
  },
  'export the result set': async (page) => {
    await open(page, '/?q=gene:673');
    const n = Number(await page.textContent('#total'));
    const href = await page.$eval('#export a[href*="format=pubtator"]', (a) => a.href);
    assert(href.startsWith(BASE + '/api/v1/export?q=gene%3A673'), 'export link: ' + href);
    const r = await page.request.get(href);
    eq(r.status(), 200, 'export status');
    const text = await r.text();
    eq((text.match(/^[^|\n]+\|t\|/gm) || []).length, n, 'every hit exported');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#export a[href*="format=pubtator"]'),
    ]);
    eq(download.suggestedFilename(), 'ptsearch-gene-673.pubtator', 'result-set export file name');
  },
  'legend toggles on a document stay on it; its tables fit 1280 px': async (page) => {
    await open(page, '/doc/1001?from=' + encodeURIComponent('/?q=braf'));
    const gene = '#legend a.toggle[data-type="Gene"]';
    const colour = () => page.$eval('#document mark.t-Gene', (m) => getComputedStyle(m).backgroundColor);
    const before = await colour();
    await Promise.all([page.waitForNavigation(), page.click(gene)]);
    eq(new URL(page.url()).pathname, '/doc/1001', 'still the document');
    eq(await page.getAttribute('#document', 'data-id'), '1001', 'document shown');
    eq(await page.getAttribute(gene, 'aria-checked'), 'false', 'Gene toggled off');
    assert((await colour()) !== before, 'Gene colours hidden');
    eq(await page.getAttribute('#back', 'href'), '/?q=braf', 'back link kept');
    await Promise.all([page.waitForNavigation(), page.click(gene)]);
    eq(await page.getAttribute(gene, 'aria-checked'), 'true', 'Gene toggled on again');
    eq(await colour(), before, 'Gene colours back');
    // The annotation table (an 83-character tmVar ID) stays inside the page at 1280 px.
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      table: document.querySelector('#annotations').getBoundingClientRect().right,
      main: document.querySelector('#document').getBoundingClientRect().right,
    }));
    assert(widths.page <= 1280, 'no horizontal scroll: ' + JSON.stringify(widths));
    assert(widths.table <= widths.main + 1, 'table inside the document: ' + JSON.stringify(widths));
  },
  'the start page says what the index holds; a 0-hit page offers no export': async (page) => {
    await open(page, '/');
    assert(Number(await page.textContent('#documents')) > 0, 'documents counted');
    assert((await page.$$('#annotation-types .annotation-type')).length > 0, 'annotation types');
    const example = '#examples a.example';
    const claimed = Number(await page.getAttribute(example, 'data-documents'));
    await Promise.all([page.waitForNavigation(), page.click(example)]);
    eq(Number(await page.textContent('#total')), claimed, 'the example finds what it says');
    await open(page, '/?q=nosuchwordanywhere');
    assert((await page.$('#nohits')) !== null, 'no-hit message');
    assert((await page.$('#export')) === null, 'no export links');
    assert((await page.$('.fsort')) === null, 'no facet order');
  },
  'the similar articles panel leads to related documents': async (page) => {
    await open(page, '/doc/31554797');
    const links = await page.$$eval('#similar ol a', (as) => as.map((a) => a.getAttribute('href')));
    assert(links.length > 0, 'similar articles listed');
    assert(!links.includes('/doc/31554797'), 'not the document itself');
    const api = await (await page.request.get(BASE + '/api/v1/documents/31554797/similar?limit=5')).json();
    eq(links.join(' '), api.hits.map((h) => '/doc/' + h.id).join(' '), 'panel = API answer');
    await Promise.all([page.waitForNavigation(), page.click('#similar ol li:first-child a')]);
    eq(new URL(page.url()).pathname, links[0], 'opened the related document');
  },
  'unknown document is a 404 page': async (page) => {
    const r = await open(page, '/doc/does-not-exist');
    eq(r.status(), 404, 'status');
    assert((await page.textContent('h1')).includes('No such document'), 'message');
  },
});
