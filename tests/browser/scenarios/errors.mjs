// A query with a syntax error shows the parser's message next to the box with the position
// marked, and keeps the query editable.
import { scenario, open, assert, eq } from '../lib.mjs';

await scenario(import.meta.url, {
  'syntax error shown with its position': async (page) => {
    const q = 'gene:673 (melanoma';
    const r = await open(page, '/?q=' + encodeURIComponent(q));
    eq(r.status(), 400, 'status');
    const box = await page.textContent('#qerror');
    assert(/position \d+/.test(box), 'position in the message: ' + box);
    assert(/\(|paren/i.test(box), 'message names the problem: ' + box);
    eq((await page.textContent('#qerror pre.caret')).replace(/\u00a0$/, ''), q, 'query echoed');
    assert(await page.$('#qerror .at'), 'position marked');
    eq(await page.inputValue('#q'), q, 'query kept in the box');
    assert((await page.$$('#hits li')).length === 0, 'no hits');
  },
  'unknown field is reported too': async (page) => {
    const r = await open(page, '/?q=' + encodeURIComponent('nosuchfield:x'));
    eq(r.status(), 400, 'status');
    assert((await page.textContent('#qerror')).includes('nosuchfield'), 'field named');
  },
});
