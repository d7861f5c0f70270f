// search_browser.js SHARED SITE_DIR [CHUNKED_SITE_DIR]: opens
// SITE_DIR/search/index.html from disk in headless Chromium, types queries
// and prints "ok"/"not ok" lines about the results the page shows. With a
// second site (built with `search: {chunk_at: 1}`, so that its month is
// split, one accented brief), it checks that the chunks of a split shard are
// loaded on demand and searched the same way.
'use strict';
const path = require('path');
const [shared, site, chunked] = process.argv.slice(2);
const { need, launch, toUrl } = require(path.join(shared, 'tools', 'lib', 'browser'));

function check(name, cond, detail) {
  console.log((cond ? 'ok - ' : 'not ok - ') + name);
  if (!cond && detail) console.log('#   ' + detail);
}

async function query(page, dir, q) {
  await page.goto(toUrl(path.join(dir, 'search', 'index.html')) + '?q=' + encodeURIComponent(q));
  await page.waitForFunction(() => document.querySelector('.search-status').textContent !== '',
                             null, { timeout: 5000 });
  return {
    status: await page.textContent('.search-status'),
    titles: await page.$$eval('.search-result h2 a', as => as.map(a => a.textContent)),
    marks: await page.$$eval('.search-result mark', ms => ms.map(m => m.textContent)),
  };
}

(async () => {
  need('playwright-core');
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(toUrl(path.join(site, 'search', 'index.html')));
    await page.fill('#q', 'tillerson preconditions');
    await page.waitForSelector('.search-result', { timeout: 5000 });
    const titles = await page.$$eval('.search-result h2 a', as => as.map(a => a.textContent));
    const status = await page.textContent('.search-status');
    check('typing a query shows results', titles.length > 0, status);
    check('the matching brief is found',
          titles.some(t => /without preconditions/i.test(t)), titles.join(' | '));
    check('every word must match', titles.length < 10, titles.length + ' results');
    const href = await page.$eval('.search-result a', a => a.href);
    check('result links point into the site folder', href.startsWith('file://') &&
          href.includes('/articles/2017/'), href);
    await page.goto(href);
    check('the result link opens the brief', /preconditions/i.test(await page.title()),
          await page.title());

    // "weather" is only in the body of the preconditions brief
    let r = await query(page, site, 'weather');
    check('a word of the body finds its brief',
          r.titles.length === 1 && /preconditions/.test(r.titles[0]), r.status);
    check('a word found in the body is shown marked', r.marks.includes('weather'),
          r.marks.join(' | '));
    r = await query(page, site, 'precond');
    check('a prefix finds the briefs of its words', r.titles.some(t => /preconditions/.test(t)),
          r.status);
    check('the words a prefix matched are marked in the title',
          r.marks.includes('preconditions'), r.marks.join(' | '));
    r = await query(page, site, 'zzzzqqq');
    check('a query without matches says so', /^0 briefs/.test(r.status), r.status);

    if (chunked) {
      const loads = [];
      page.on('request', q => loads.push(q.url()));
      r = await query(page, chunked, 'HWASONG');
      check('chunked index: an accented word found without its accent',
            r.titles.length === 1 && /Hwasŏng/.test(r.titles[0]), r.status);
      check('chunked index: loads only the chunks the query needs',
            loads.some(u => /search\/2017-09\/t-6877\.js$/.test(u)) &&
            !loads.some(u => /search\/2017-09\/t-(?!6877)[0-9a-f]+\.js$/.test(u)), loads.join(' '));
      r = await query(page, chunked, 'café');
      check('chunked index: an accented query finds the word written with accents',
            r.titles.length === 1 && r.marks.includes('Cafés'), r.status + ' ' + r.marks);
    }
  } finally {
    await browser.close();
  }
})().catch(e => { console.log('not ok - browser search test: ' + e.message); process.exit(1); });
