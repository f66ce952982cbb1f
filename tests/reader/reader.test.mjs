// Headless-Chromium test of a published Liveline folder's reader page.
//
//   node tests/reader/reader.test.mjs DIR
//
// DIR is a published folder (index.html, feed.json, older pages, media/).
// Env: CHROMIUM (browser path, default /usr/bin/chromium); optional
// expectations EXPECT_TITLE, EXPECT_ITEMS (articles on first load) and
// EXPECT_MORE (articles added by "Load more updates").
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.

import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { serve } from './serve.mjs';

const TIMEOUT_MS = 60000;
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node reader.test.mjs DIR');
  process.exit(2);
}

let browser = null;
let server = null;
let passed = 0;
let failed = 0;

// Whatever happens, never hang: kill the browser and fail after 60 s.
const watchdog = setTimeout(() => {
  console.log(`FAIL timeout: the test did not finish within ${TIMEOUT_MS / 1000} s`);
  try { browser?.process()?.kill('SIGKILL'); } catch { /* already gone */ }
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, TIMEOUT_MS);

function check(ok, what, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// The file on disk a next_url names: pages sit beside feed.json.
function pageFile(nextUrl) {
  return path.join(dir, path.basename(new URL(nextUrl, 'http://folder.invalid/').pathname));
}

async function main() {
  const feed = readJson(path.join(dir, 'feed.json'));
  const retracted = new Set(feed._liveline?.retracted ?? []);
  const firstItems = feed.items.filter((item) => !retracted.has(item.id));

  server = await serve(dir);
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, // puppeteer passes --headless=new
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
    defaultViewport: { width: 1280, height: 900 },
  });
  const page = await browser.newPage();

  const foreign = [];
  const consoleErrors = [];
  const pageErrors = [];
  const dialogs = [];
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:')) return;
    let origin = '';
    try { origin = new URL(url).origin; } catch { /* unparsable counts as foreign */ }
    if (origin !== server.origin) foreign.push(url);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(String(error?.message ?? error)));
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  // CSP violations are also console errors; collecting them names the culprit.
  await page.evaluateOnNewDocument(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });

  await page.goto(`${server.url}index.html`, { waitUntil: 'load', timeout: 20000 });

  // 1. Title and one article per item.
  const shown = await page.evaluate(() => ({
    h1: document.querySelector('h1')?.textContent.trim() ?? '',
    articles: document.querySelectorAll('article').length,
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
  }));
  const expectTitle = process.env.EXPECT_TITLE ?? feed.title;
  check(shown.h1 === expectTitle, 'page shows the blog title', `h1 "${shown.h1}", feed "${expectTitle}"`);
  const expectItems = process.env.EXPECT_ITEMS ? Number(process.env.EXPECT_ITEMS) : firstItems.length;
  check(shown.articles === expectItems, 'one <article> per feed.json item', `${shown.articles} articles, ${expectItems} expected`);
  check(/default-src 'none'/.test(shown.csp) && /script-src 'sha256-/.test(shown.csp), 'page carries its Content-Security-Policy', shown.csp ? '' : 'no CSP meta');

  // 2. Editorial order: the first article is the first item.
  const firstTitle = await page.evaluate(() => document.querySelector('article h2')?.textContent.trim() ?? null);
  if (firstItems.length) {
    check(firstTitle === firstItems[0].title, 'first article is items[0]', `"${firstTitle}"`);
  } else {
    const empty = await page.evaluate(() => !document.getElementById('empty')?.hidden);
    check(empty, 'empty feed shows "No updates yet"');
  }

  // 3. "Load more updates" adds the next page's items, no duplicates.
  if (feed.next_url) {
    const next = readJson(pageFile(feed.next_url));
    const onFirst = new Set(firstItems.map((item) => item.id));
    const fresh = new Set(next.items.map((item) => item.id).filter((id) => !onFirst.has(id) && !retracted.has(id)));
    const expectMore = process.env.EXPECT_MORE ? Number(process.env.EXPECT_MORE) : fresh.size;
    const before = await page.$$eval('article', (list) => list.length);
    const button = await page.waitForSelector('#load-more', { visible: true, timeout: 5000 }).catch(() => null);
    check(button !== null, '"Load more updates" button shown', button ? '' : 'no visible #load-more');
    await button?.click();
    await page.waitForFunction(
      (count) => document.querySelectorAll('article').length !== count || !document.getElementById('load-error').hidden,
      { timeout: 15000 },
      before,
    ).catch(() => {});
    const after = await page.evaluate(() => {
      const ids = [...document.querySelectorAll('article')].map((a) => a.id);
      return { count: ids.length, duplicates: ids.length - new Set(ids).size, error: document.getElementById('load-error').textContent };
    });
    check(after.count - before === expectMore, '"Load more updates" adds the next page', `${after.count - before} added, ${expectMore} expected (${next.items.length} in ${path.basename(pageFile(feed.next_url))})${after.error ? `, error: ${after.error}` : ''}`);
    check(after.duplicates === 0, 'no duplicate article ids', `${after.duplicates} duplicates`);
  } else {
    const hidden = await page.evaluate(() => {
      const button = document.getElementById('load-more');
      return !button || !button.checkVisibility();
    });
    check(hidden, '"Load more updates" hidden without next_url');
  }

  // 5. Images in the viewport load (checked before 4 so its requests are counted).
  const hasFigure = await page.$('figure');
  if (hasFigure) {
    await page.$eval('figure', (figure) => figure.scrollIntoView({ block: 'center' }));
    // Images whose box is on screen (the same filter inside both page functions:
    // the page's CSP forbids building functions from strings there).
    await page.waitForFunction(
      () => [...document.images]
        .filter((img) => { const r = img.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.width > 0; })
        .every((img) => img.complete),
      { timeout: 15000 },
    ).catch(() => {});
    const images = await page.evaluate(() => [...document.images]
      .filter((img) => { const r = img.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.width > 0; })
      .map((img) => ({ src: img.currentSrc, width: img.naturalWidth })));
    const broken = images.filter((img) => !(img.width > 0));
    check(images.length > 0 && broken.length === 0, 'images in the viewport loaded', `${images.length} in view, ${broken.length} broken${broken.length ? `: ${broken.map((b) => b.src).join(' ')}` : ''}`);
  } else {
    check(true, 'images in the viewport loaded', 'no photos on the page');
  }

  // Rendered content must not carry script: links and handlers from the feed.
  const unsafe = await page.evaluate(() => {
    const bad = [];
    for (const node of document.querySelectorAll('*')) {
      for (const attr of node.attributes) if (/^on/i.test(attr.name)) bad.push(`${node.tagName} ${attr.name}`);
    }
    for (const a of document.querySelectorAll('a[href]')) {
      if (!/^(https?|mailto):$/.test(a.protocol)) bad.push(`link ${a.getAttribute('href')}`);
    }
    return bad;
  });
  check(unsafe.length === 0, 'no event-handler attributes or unsafe links', unsafe.slice(0, 5).join(', '));

  // 4. Nothing left the machine, nothing went wrong.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const csp = await page.evaluate(() => window.__cspViolations);
  check(foreign.length === 0, 'no request to another origin', foreign.slice(0, 5).join(' '));
  check(consoleErrors.length === 0, 'no console error', consoleErrors.slice(0, 5).join(' | '));
  check(pageErrors.length === 0, 'no page error', pageErrors.slice(0, 5).join(' | '));
  check(csp.length === 0, 'no Content-Security-Policy violation', csp.slice(0, 5).join(' | '));
  check(dialogs.length === 0, 'no dialog opened', dialogs.join(' | '));
}

let code = 0;
try {
  await main();
} catch (error) {
  check(false, 'test ran to the end', error?.stack ?? String(error));
}
try { await browser?.close(); } catch { /* ignore */ }
try { await server?.close(); } catch { /* ignore */ }
clearTimeout(watchdog);
console.log(`${passed} passed, ${failed} failed`);
if (failed) code = 1;
process.exit(code);
