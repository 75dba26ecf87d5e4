// Page forward and back with the pagination links and the browser's history; a bookmarked
// page URL opened directly shows the same hits.
import { scenario, open, assert, eq, hitIds } from '../lib.mjs';

await scenario(import.meta.url, {
  'next, back, forward, bookmark': async (page) => {
    await open(page, '/?q=*&per=5');
    const first = await hitIds(page);
    eq(first.length, 5, 'five hits per page');
    await Promise.all([page.waitForNavigation(), page.click('#pages a[rel="next"]')]);
    eq(new URL(page.url()).searchParams.get('page'), '2', 'page in the URL');
    const second = await hitIds(page);
    eq(second.length, 5, 'second page full');
    assert(second.every((id) => !first.includes(id)), 'second page holds other hits');
    eq(await page.getAttribute('#hits', 'start'), '6', 'ranks continue');
    eq(await page.textContent('#pages [aria-current="page"]'), '2', 'current page marked');
    await page.goBack();
    eq(await hitIds(page), first, 'back to page 1');
    await page.goForward();
    eq(await hitIds(page), second, 'forward to page 2');
    await Promise.all([page.waitForNavigation(), page.click('#pages a[rel="prev"]')]);
    eq(await hitIds(page), first, 'previous link');
    await open(page, '/?q=*&per=5&page=2');
    eq(await hitIds(page), second, 'bookmarked page');
  },
  'entity query opened directly': async (page) => {
    await open(page, '/?q=gene:673');
    eq(await page.inputValue('#q'), 'gene:673', 'box filled from the URL');
    assert((await hitIds(page)).length >= 3, 'hits shown');
  },
});
