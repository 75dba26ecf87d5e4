// Highlighted entity spans: every mark's text equals the annotated mention, including in a
// document with non-ASCII text (β, –, the astral 𝛼) before the span; type toggles hide a
// type's colours. Saves screenshots of a results page and a document view.
import { scenario, open, assert, eq, SHOTS } from '../lib.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The fixture's annotation lines: id -> [{start, end, mention, type, id}].
const fixture = readFileSync(new URL('../fixtures/page.pubtator', import.meta.url), 'utf8');
const annotations = {};
for (const line of fixture.split('\n')) {
  const c = line.split('\t');
  if (c.length >= 6 && /^\d+$/.test(c[1])) {
    (annotations[c[0]] ||= []).push({ mention: c[3], type: c[4], id: c[5] });
  }
}

await scenario(import.meta.url, {
  'result marks equal the annotated mentions': async (page) => {
    await open(page, '/?q=' + encodeURIComponent('gene:673 melanoma'));
    const hit = await page.$('#hits > li.hit[data-id="9001"]');
    assert(hit, 'the non-ASCII document is a hit');
    // Title and fragments (the evidence sentences repeat marks; see sentences.mjs).
    const marks = await hit.$$eval('h2 mark.ent, p.fragment mark.ent', (ms) => ms.map((m) => ({
      text: m.textContent, type: m.dataset.type, id: m.dataset.id, title: m.title,
    })));
    const braf = marks.filter((m) => m.id === '673');
    eq(braf.map((m) => m.text), ['BRAF', 'BRAF'], 'BRAF marked in title and abstract');
    eq(braf[0].title, 'Gene · 673', 'hover text');
    // Every entity mark in every hit equals one of that document's mentions for that ID.
    const all = await page.$$eval('#hits > li.hit', (lis) => lis.map((li) => ({
      id: li.dataset.id,
      marks: [...li.querySelectorAll('mark.ent')].map((m) => m.textContent),
      terms: [...li.querySelectorAll('mark.term')].map((m) => m.textContent.toLowerCase()),
    })));
    for (const h of all) {
      for (const t of h.terms) eq(t, 'melanoma', `term mark in ${h.id}`);
      for (const m of h.marks) assert(['BRAF', 'melanoma'].includes(m), `mark "${m}" in ${h.id}`);
    }
    const title = await hit.$eval('h2.title', (e) => e.textContent);
    eq(title, 'β–𝛼 signalling: BRAF drives melanoma', 'title text intact');
    await page.screenshot({ path: join(SHOTS, 'results.png'), fullPage: true });
  },
  'document view colours every annotation at its mention': async (page) => {
    await open(page, '/doc/9001');
    const marks = await page.$$eval('#document mark.ent', (ms) => ms.map((m) => ({
      text: m.textContent, type: m.dataset.type, id: m.dataset.id,
    })));
    const expected = annotations['9001'].map((a) => a.mention).sort();
    eq(marks.map((m) => m.text).sort(), expected, 'one mark per annotation with its mention');
    const beta = marks.find((m) => m.id === '1499');
    eq(beta && beta.text, 'β-catenin', 'mention starting with β');
    eq(marks.find((m) => m.text === 'V600E').type, 'Variant', 'canonical type of a Mutation');
    const rows = await page.$$eval('#annotations tbody tr', (trs) => trs.length);
    eq(rows, annotations['9001'].length, 'annotation table rows');
    const rel = await page.textContent('#relations tbody');
    assert(rel.includes('Association') && rel.includes('(BRAF)'), 'relation with named argument');
    await page.screenshot({ path: join(SHOTS, 'document.png'), fullPage: true });
  },
  'type toggle hides one type and is kept in the URL': async (page) => {
    await open(page, '/?q=' + encodeURIComponent('gene:673 melanoma'));
    const bg = () => page.$eval('#hits mark.t-Gene', (m) => getComputedStyle(m).backgroundColor);
    const before = await bg();
    await Promise.all([page.waitForNavigation(), page.click('#legend a.toggle[data-type="Gene"]')]);
    eq(new URL(page.url()).searchParams.get('hide'), 'Gene', 'hide in the URL');
    assert((await page.getAttribute('body', 'class')).includes('hide-Gene'), 'body class');
    const after = await bg();
    assert(before !== after, `Gene colour removed (${before} -> ${after})`);
    eq(await page.getAttribute('#legend a.toggle[data-type="Gene"]', 'aria-checked'), 'false', 'switch off');
    await page.reload();
    eq(await bg(), after, 'still hidden after reload');
  },
});
