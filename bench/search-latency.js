// bench/search-latency.js SHARED SITE_DIR [QUERY...]: the search page of a
// built site, opened from disk in headless Chromium (../shared/tools), and
// for each query the time from typing it to the results on the page, first
// in a fresh page (no shard or chunk loaded yet), then again in the same
// page (loaded). Prints one line per query: the two times, the results
// shown, and the scripts and bytes the first search loaded.
'use strict';
const path = require('path');
const fs = require('fs');
const [shared, site, ...queries] = process.argv.slice(2);
const { need, launch, toUrl } = require(path.join(shared, 'tools', 'lib', 'browser'));
const qs = queries.length ? queries : ['the', 'reservoir', 'emissions audit', 'kim', 'zzzzqq'];

async function timed(page, q) {
  const t0 = Date.now();
  await page.evaluate(q => {
    window.__done = false;
    const status = document.querySelector('.search-status');
    new MutationObserver((_, obs) => { window.__done = true; obs.disconnect(); })
      .observe(status, { childList: true, characterData: true, subtree: true });
    const input = document.querySelector('#q');
    input.value = q;
    input.dispatchEvent(new Event('input'));
  }, q);
  await page.waitForFunction(() => window.__done, null, { timeout: 60000, polling: 5 });
  return { ms: Date.now() - t0, status: await page.textContent('.search-status') };
}

(async () => {
  need('playwright-core');
  const browser = await launch();
  const url = toUrl(path.join(site, 'search', 'index.html'));
  try {
    for (const q of qs) {
      const page = await browser.newPage();
      const loads = [];
      page.on('request', r => { if (/\/search\/.*\.js$/.test(r.url())) loads.push(r.url()); });
      await page.goto(url);
      await page.waitForLoadState('load');
      const first = await timed(page, q);
      const scripts = loads.length;
      const bytes = loads.reduce((n, u) => n + fs.statSync(new URL(u).pathname).size, 0);
      await timed(page, '');
      const again = await timed(page, q);
      console.log(`${JSON.stringify(q).padEnd(18)} first ${String(first.ms).padStart(5)} ms  ` +
                  `again ${String(again.ms).padStart(4)} ms  ${scripts} scripts, ` +
                  `${(bytes / 1024).toFixed(0)} KB  (${first.status})`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('search-latency: ' + e.message); process.exit(1); });
