// theme_browser.js SHARED SITE_DIR: opens pages of SITE_DIR from disk in
// headless Chromium at a phone's size and prints "ok"/"not ok" lines: the
// masthead and navigation take at most a third of the first screen, and
// no line of an inline list starts with a comma.
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
    for (const [w, h] of [[390, 844], [360, 640]]) {
      await page.setViewportSize({ width: w, height: h });
      for (const p of ['index.html', 'people/rex-tillerson/index.html']) {
        await page.goto(toUrl(path.join(site, p)));
        const bottom = await page.evaluate(() =>
          document.querySelector('.masthead').getBoundingClientRect().bottom);
        check(`${w}x${h}: masthead and nav within a third of the screen on ${p}`,
              bottom <= h / 3, bottom + ' px of ' + h);
      }
    }
    await page.setViewportSize({ width: 320, height: 700 });
    // the items that start a wrapped line, and what is drawn before them
    const wrapped = await page.$$eval('.related .inline-list li', lis => lis.filter((li, i) =>
      i > 0 && li.getBoundingClientRect().top > lis[i - 1].getBoundingClientRect().top + 1)
      .map(li => ({ text: li.textContent, before: getComputedStyle(li, '::before').content })));
    check('"Often named with" wraps on a phone', wrapped.length > 0, 'no wrapped line');
    check('no wrapped line of it starts with a comma',
          wrapped.every(w => !/,/.test(w.before)), JSON.stringify(wrapped));
  } finally {
    await browser.close();
  }
})().catch(e => { console.log('not ok - theme browser test: ' + e.message); process.exit(1); });
