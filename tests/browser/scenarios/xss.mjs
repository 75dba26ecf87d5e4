// Stored text is untrusted: a title with <script>, "onmouseover= and an abstract with <img
// onerror> / <svg onload> render as text, and nothing they carry executes (also not on hover,
// in the document view or in autocomplete suggestions).
import { scenario, open, assert, eq } from '../lib.mjs';

async function inert(page) {
  eq(await page.evaluate(() => window.__xss), undefined, 'no injected script ran');
  eq(await page.$$eval('script', (s) => s.map((x) => x.getAttribute('src'))), ['/assets/page.js'], 'only the page script');
  const handlers = await page.$$eval('*', (els) => els.filter((e) =>
    [...e.attributes].some((a) => /^on/i.test(a.name))).map((e) => e.outerHTML.slice(0, 80)));
  eq(handlers, [], 'no element with an event-handler attribute');
  eq(await page.$$eval('img, svg, textarea', (e) => e.length), 0, 'no injected element');
}

await scenario(import.meta.url, {
  'results page': async (page) => {
    await open(page, '/?q=' + encodeURIComponent('gene:673 melanoma'));
    const hit = await page.$('#hits > li.hit[data-id="9002"]');
    assert(hit, 'XSS fixture is a hit');
    const title = await hit.$eval('h2.title', (e) => e.textContent);
    assert(title.includes('<script>window.__xss=1</script>'), 'script tag shown as text: ' + title);
    assert(title.includes('"onmouseover=window.__xss=2 x="'), 'attribute text shown as text');
    await hit.hover();
    for (const m of await hit.$$('mark')) await m.hover();
    const frag = await hit.$eval('.fragment', (e) => e.textContent);
    assert(frag.includes('</textarea><svg onload=window.__xss=4>'), 'abstract markup shown as text: ' + frag);
    await inert(page);
  },
  'document view': async (page) => {
    await open(page, '/doc/9002');
    for (const m of await page.$$('#document mark')) await m.hover();
    const chem = await page.$('#document mark[data-type="Chemical"]');
    eq(await chem.textContent(), '<script>', 'annotated <script> is text');
    eq(await chem.getAttribute('data-id'), '<b>bold</b>', 'ID kept as text');
    assert((await page.textContent('#annotations')).includes('<b>bold</b>'), 'table shows the ID as text');
    await inert(page);
  },
  'autocomplete suggestions': async (page) => {
    await open(page, '/');
    await page.click('#q');
    await page.keyboard.type('<scr');
    await page.waitForSelector('#ac li');
    const names = await page.$$eval('#ac li .ac-name', (e) => e.map((x) => x.textContent));
    assert(names.includes('<script>'), 'suggestion shows the mention as text: ' + names);
    await inert(page);
  },
});
