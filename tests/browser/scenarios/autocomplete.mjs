// Type a prefix in the query box, pick an entity from the autocomplete with the keyboard, and
// search: the clause is inserted and its results shown.
import { scenario, open, assert, eq, total } from '../lib.mjs';

await scenario(import.meta.url, {
  'slash focuses, arrows pick, enter searches': async (page) => {
    await open(page, '/');
    await page.keyboard.press('/');
    eq(await page.evaluate(() => document.activeElement && document.activeElement.id), 'q', 'focus after /');
    await page.keyboard.type('bra');
    await page.waitForSelector('#ac li[data-clause="gene:673"]');
    const options = await page.$$eval('#ac li', (lis) => lis.map((li) => ({
      clause: li.dataset.clause,
      text: li.textContent,
    })));
    const target = options.findIndex((o) => o.clause === 'gene:673');
    assert(target >= 0, 'gene:673 offered');
    assert(/BRAF/.test(options[target].text), 'suggestion shows the name: ' + options[target].text);
    assert(/Gene/.test(options[target].text) && /docs/.test(options[target].text), 'type and count shown');
    for (let i = 0; i <= target; i++) await page.keyboard.press('ArrowDown');
    eq(await page.getAttribute('#ac li[aria-selected="true"]', 'data-clause'), 'gene:673', 'selected option');
    await page.keyboard.press('Enter');
    eq(await page.inputValue('#q'), 'gene:673 ', 'clause inserted');
    assert(await page.isHidden('#ac'), 'list closed after pick');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    eq(url.searchParams.get('q').trim(), 'gene:673', 'query in the URL');
    assert((await total(page)) >= 3, 'results for gene:673');
  },
  'mouse pick replaces only the word being typed': async (page) => {
    await open(page, '/?q=melanoma');
    await page.click('#q');
    await page.keyboard.press('End');
    await page.keyboard.type(' braf');
    await page.waitForSelector('#ac li[data-clause="gene:673"]');
    await page.click('#ac li[data-clause="gene:673"]');
    eq(await page.inputValue('#q'), 'melanoma gene:673 ', 'word replaced by the clause');
  },
});
