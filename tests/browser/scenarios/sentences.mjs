// Evidence sentences under each hit: each is a sentence of the hit's title or abstract with the
// query's matches marked (non-ASCII text before them included), and the facet scope toggles
// between documents and same-sentence counts. Saves a screenshot of the evidence.
import { scenario, open, assert, eq, SHOTS } from '../lib.mjs';
import { join } from 'node:path';

await scenario(import.meta.url, {
  'evidence sentences are sentences of the hit with marks': async (page) => {
    await open(page, '/?q=' + encodeURIComponent('gene:673 disease:D008545'));
    const hits = await page.$$eval('#hits > li.hit', (lis) => lis.map((li) => ({
      id: li.dataset.id,
      text: li.querySelector('h2.title').textContent + ' ' +
        [...li.querySelectorAll('p.fragment')].map((p) => p.textContent).join(' '),
      evidence: [...li.querySelectorAll('.evidence p.sentence')].map((p) => ({
        text: p.textContent.replace(/^Evidence: /, ''),
        title: p.title,
        marks: [...p.querySelectorAll('mark.ent')].map((m) => m.dataset.id),
      })),
    })));
    assert(hits.length >= 2, 'hits');
    const h = hits.find((x) => x.id === '9001');
    assert(h, 'the non-ASCII document is a hit');
    assert(h.evidence.length >= 1, 'evidence shown');
    // The title names both: it is the best sentence; the abstract sentence names both too.
    eq(h.evidence[0].text, 'β–𝛼 signalling: BRAF drives melanoma', 'best sentence');
    eq(h.evidence[0].title, 'sentence 9001:0:0', 'sentence ID');
    assert(h.evidence[0].marks.includes('673'), 'BRAF marked in the evidence');
    for (const x of hits) {
      for (const e of x.evidence) {
        assert(e.marks.length > 0, `evidence of ${x.id} has marks`);
      }
    }
    const li = await page.$('#hits > li.hit[data-id="9001"]');
    await li.screenshot({ path: join(SHOTS, 'evidence.png') });
  },
  'facet scope switches to same-sentence counts': async (page) => {
    await open(page, '/?q=gene:673');
    const link = await page.$('#facets .fscope a');
    assert(link, 'scope link');
    await Promise.all([page.waitForNavigation(), link.click()]);
    eq(new URL(page.url()).searchParams.get('fscope'), 'sentence', 'scope in the URL');
    const strong = await page.textContent('#facets .fscope strong');
    eq(strong, 'same sentence', 'current scope shown');
    assert(await page.$('#facets section.facet'), 'facets shown at sentence scope');
  },
});
