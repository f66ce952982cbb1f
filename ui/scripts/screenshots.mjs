// Screenshots of the UI on the mock backend, light and dark.
// Usage: npx vite build && npx vite preview --port 4173 & node scripts/screenshots.mjs [outDir]
import { mkdirSync } from "node:fs";
import puppeteer from "puppeteer-core";

const BASE = process.env.BASE_URL ?? "http://localhost:4173/";
const OUT = process.argv[2] ?? "screenshots-mock";
const CHROME = process.env.CHROME ?? "/usr/bin/chromium";
mkdirSync(OUT, { recursive: true });

const browser = await puppeteer.launch({
  executablePath: CHROME,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  defaultViewport: { width: 1280, height: 800 },
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function page(scheme, url) {
  const p = await browser.newPage();
  p.on("pageerror", (e) => console.error(`[${scheme}] page error:`, e.message));
  p.on("console", (m) => m.type() === "error" && console.error(`[${scheme}] console:`, m.text()));
  await p.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
  // The Tauri window runs with freezePrototype: check the UI survives it.
  if (process.env.FREEZE !== "0") await p.evaluateOnNewDocument(() => Object.freeze(Object.prototype));
  await p.goto(new URL(url, BASE).href, { waitUntil: "networkidle0" });
  return p;
}

async function openEntry(p, title) {
  await p.waitForSelector('[data-testid="timeline-row"]');
  await p.type('[data-testid="search-input"]', title);
  await sleep(700);
  const rows = await p.$$('[data-testid="timeline-row"]');
  for (const r of rows) {
    const t = await r.evaluate((el) => el.textContent);
    if (t.includes(title)) {
      await r.click({ count: 2 });
      break;
    }
  }
  await p.waitForSelector('[data-testid="title-input"]');
  await sleep(600);
}

const scenes = {
  async empty(p) {
    await p.waitForSelector('[data-testid="empty-state"]');
  },
  async timeline(p) {
    await p.waitForSelector('[data-testid="timeline-row"]');
    await p.click('[data-testid="timeline-row"]:nth-child(3)');
    await sleep(400);
  },
  async "context-menu"(p) {
    await p.waitForSelector('[data-testid="timeline-row"]');
    const rows = await p.$$('[data-testid="timeline-row"]');
    await rows[2].click({ button: "right" });
    await p.waitForSelector('[data-testid="context-menu"]');
    await sleep(300);
  },
  async editor(p) {
    await openEntry(p, "Mayor:");
    await p.waitForSelector('[data-testid="photo-block"] img');
    await sleep(300);
  },
  async "editor-missing-credit"(p) {
    await openEntry(p, "Drone footage");
    await sleep(300);
  },
  async "review-queue"(p) {
    await p.waitForSelector('[data-testid="timeline-row"]');
    await p.click('[data-testid="tab-review"]');
    await sleep(500);
  },
  async publish(p) {
    await p.waitForSelector('[data-testid="publish-button"]');
    await p.click('[data-testid="publish-button"]');
    await p.waitForSelector('[data-testid="publish-out-dir"]');
    await p.type('[data-testid="publish-out-dir"]', "/srv/www/coldmere-live");
    await p.click('[data-testid="publish-run"]');
    await p.waitForSelector('[data-testid="publish-result"]', { timeout: 15000 });
    await sleep(300);
  },
  async history(p) {
    await openEntry(p, "Mayor:");
    await p.click('[data-testid="title-input"]', { clickCount: 3 });
    await p.type('[data-testid="title-input"]', "Mayor: 'The worst night in a generation'");
    await sleep(1500);
    await p.click('[data-testid="history-button"]');
    await p.waitForSelector('[data-testid="revision-item"]');
    await sleep(400);
  },
  async large(p) {
    await p.waitForSelector('[data-testid="timeline-row"]', { timeout: 20000 });
    await p.focus('[data-testid="timeline"]');
    for (let i = 0; i < 5; i++) await p.keyboard.press("PageDown");
    await sleep(500);
  },
  async shortcuts(p) {
    await p.waitForSelector('[data-testid="timeline-row"]');
    await p.keyboard.down("Control");
    await p.keyboard.press("/");
    await p.keyboard.up("Control");
    await p.waitForSelector('[data-testid="shortcuts-overlay"]');
  },
};

const urls = { empty: "/", large: "/?large=10000" };
const only = process.env.ONLY?.split(",");
for (const scheme of ["light", "dark"]) {
  for (const [name, run] of Object.entries(scenes)) {
    if (only && !only.includes(name)) continue;
    const p = await page(scheme, urls[name] ?? "/?demo=1");
    try {
      await run(p);
      await p.screenshot({ path: `${OUT}/${name}-${scheme}.png` });
      console.log(`${OUT}/${name}-${scheme}.png`);
    } catch (e) {
      console.error(`${name}-${scheme}: ${e.message}`);
      await p.screenshot({ path: `${OUT}/${name}-${scheme}-FAILED.png` });
    }
    await p.close();
  }
}
await browser.close();
