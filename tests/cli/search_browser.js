// search_browser.js SHARED SITE_DIR: opens SITE_DIR/search/index.html from
// disk in headless Chromium, types a query and prints "ok"/"not ok" lines
// about the results the page shows.
'use strict';
const path = require('path');
const [shared, site] = process.argv.slice(2);
const { need, launch, toUrl } = require(path.join(shared, 'tools', 'lib', 'browser'));

function check(name, cond, detail) {
  console.log((cond ? 'ok - ' : 'not ok - ') + name);
  if (!cond && detail) console.log('#   ' + detail);
}

(async () => {
  need('playwright-core');
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(toUrl(path.join(site, 'search', 'index.html')));
    await page.fill('#q', 'tillerson preconditions');
    await page.waitForSelector('.search-result', { timeout: 5000 });
    const titles = await page.$$eval('.search-result a', as => as.map(a => a.textContent));
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
    await page.goto(toUrl(path.join(site, 'search', 'index.html')) + '?q=zzzzqqq');
    const none = await page.textContent('.search-status');
    check('a query without matches says so', /^0 briefs/.test(none), none);
  } finally {
    await browser.close();
  }
})().catch(e => { console.log('not ok - browser search test: ' + e.message); process.exit(1); });
