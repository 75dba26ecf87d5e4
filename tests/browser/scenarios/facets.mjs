// Click a facet value: the clause joins the query (box and URL) and the hits narrow; the
// active filter shows as a chip that removes it; the back button restores each state.
import { scenario, open, assert, eq, total, hitIds } from '../lib.mjs';

await scenario(import.meta.url, {
  'facet adds a clause, chip removes it, back restores': async (page) => {
    await open(page, '/?q=melanoma');
    const before = await total(page);
    const beforeIds = await hitIds(page);
    const facet = '#facets a.fv[data-clause="gene:673"]';
    const label = await page.textContent(facet);
    assert(label.includes('BRAF'), 'facet value named by its mention: ' + label);
    await Promise.all([page.waitForNavigation(), page.click(facet)]);
    eq(await page.inputValue('#q'), 'melanoma gene:673', 'query box shows the clause');
    eq(new URL(page.url()).searchParams.get('q'), 'melanoma gene:673', 'query in the URL');
    const narrowed = await total(page);
    assert(narrowed > 0 && narrowed < before, `hits narrowed ${before} -> ${narrowed}`);
    const chip = '#chips a.chip[data-clause="gene:673"]';
    assert((await page.textContent(chip)).includes('BRAF'), 'chip names the entity');
    assert(await page.$eval(facet, (a) => a.classList.contains('active')), 'facet value marked active');
    await Promise.all([page.waitForNavigation(), page.click(chip)]);
    eq(await page.inputValue('#q'), 'melanoma', 'chip removed the clause');
    eq(await total(page), before, 'hits back');
    eq(await hitIds(page), beforeIds, 'same hits as before');
    assert((await page.$('#chips')) === null, 'no chip left');
    await page.goBack();
    eq(await page.inputValue('#q'), 'melanoma gene:673', 'back: filtered view');
    await page.goBack();
    eq(await page.inputValue('#q'), 'melanoma', 'back: first view');
  },
  'lift ordering and type counts': async (page) => {
    await open(page, '/?q=melanoma&fsort=lift');
    assert(await page.$('#facets .lift'), 'lift shown');
    const types = await page.$$eval('#facets section.facet[data-type]', (s) => s.map((x) => x.dataset.type));
    assert(types.includes('Gene') && types.includes('Disease'), 'type panels: ' + types);
    const link = await page.getAttribute('#facets a.fv[data-clause="gene:673"]', 'href');
    assert(link.includes('fsort=lift'), 'facet links keep the sort');
  },
  'significance ordering shows G and keeps the sort': async (page) => {
    await open(page, '/?q=melanoma');
    await Promise.all([page.waitForNavigation(), page.click('#facets .fsort a:text("significance")')]);
    eq(new URL(page.url()).searchParams.get('fsort'), 'significance', 'order in the URL');
    const g = await page.$$eval('#facets .sig', (s) => s.map((x) => x.textContent));
    assert(g.length > 0 && g.every((t) => /^G -?\d+$/.test(t)), 'G shown: ' + g);
    const title = await page.getAttribute('#facets .sig', 'title');
    assert(title.startsWith('G-test p = '), title);
    const link = await page.getAttribute('#facets a.fv[data-clause="gene:673"]', 'href');
    assert(link.includes('fsort=significance'), 'facet links keep the sort');
  },
});
