// End-to-end test of the real Liveline app (the Tauri binary with its UI
// built in) through WebKitWebDriver: a correspondent creates a blog, writes
// an entry with a quote and a credited photo, submits and publishes it, an
// editor reorders two entries by drag, publishes the feed (checked on disk),
// and after a restart everything is still there. The second entry's photo
// is pasted (the clipboard's path into the core). Screenshots of the main
// screens, light and dark, go to docs/screenshots/.
//
// Usage (run.sh does this under Xvfb): node app.e2e.mjs APP_BINARY PHOTO_DIR
import { mkdtempSync, readFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import assert from "node:assert/strict";
import { byId, nudgePaints, openApp as open, saveShot, textOf } from "./driver.mjs";

const [app, photos] = process.argv.slice(2).map((p) => resolve(p));
const shots = resolve(new URL("../../docs/screenshots", import.meta.url).pathname);
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "liveline-e2e-"));
const db = join(work, "liveline.db");
const out = join(work, "site");
const PORT = 4546;

let passed = 0;
let failed = 0;
let current = null; // the session a failing step is looked at in
const drivers = []; // stopped (SIGTERM, which lets them close the app) however the run ends
async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok    ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name}: ${e.stack ?? e}`);
    if (current) {
      const file = join(work, "failure.png");
      await nudgePaints(current).catch(() => {});
      await current.saveScreenshot(file).catch(() => {});
      console.log(`      screenshot of the window: ${file}`);
    }
    throw e;
  }
}

/** Opens the app on the test's database; `dark` asks GTK for its dark theme. */
async function openApp({ dark = false } = {}) {
  const env = { LIVELINE_DB: db, LIVELINE_USER: "Ana Ruiz" };
  if (dark) env.GTK_THEME = "Adwaita:dark";
  const session = await open({ binary: app, port: PORT, env });
  drivers.push(session.driver);
  return session;
}

const shot = (browser, name) => saveShot(browser, join(shots, `${name}.png`));

async function rowTitles(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="timeline-row"]')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .map((r) => r.querySelector(".row-title")?.textContent?.trim() ?? ""),
  );
}

async function waitSaved(browser) {
  const status = await byId(browser, "save-status");
  await browser.waitUntil(async () => (await status.getAttribute("data-state")) === "saved", {
    timeout: 15_000,
    timeoutMsg: "the entry did not reach Saved",
  });
}

async function writeEntry(browser, { title, body }) {
  await (await byId(browser, "new-entry-button")).click();
  const titleInput = await byId(browser, "title-input");
  await titleInput.waitForDisplayed();
  await titleInput.setValue(title);
  const editor = await byId(browser, "body-editor");
  await editor.click();
  await editor.addValue(body);
  await waitSaved(browser);
}

/**
 * Pastes an image file into the entry body as the system clipboard would
 * (a paste event whose clipboardData holds the file): the editor sends its
 * bytes through import_photo_data, the path a pasted screenshot takes.
 */
async function pastePhoto(browser, file) {
  const base64 = readFileSync(file).toString("base64");
  const pasted = await browser.execute(
    (data, name) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const clipboard = new DataTransfer();
      clipboard.items.add(new File([bytes], name, { type: "image/jpeg" }));
      const body = document.querySelector('[data-testid="body-editor"]');
      body.focus();
      const event = new ClipboardEvent("paste", { clipboardData: clipboard, bubbles: true, cancelable: true });
      body.dispatchEvent(event);
      return event.defaultPrevented;
    },
    base64,
    basename(file),
  );
  assert.ok(pasted, "the editor did not take the pasted image");
}

async function badge(browser) {
  return (await browser.$('[data-testid="entry-editor"] [data-testid="status-badge"]')).getAttribute("data-status");
}

try {
  const first = await openApp();
  const b = first.browser;
  current = b;

  await step("first run shows the empty state and creates a blog", async () => {
    await (await byId(b, "empty-state")).waitForDisplayed({ timeout: 20_000 });
    await shot(b, "empty-light");
    await (await byId(b, "empty-create-blog")).click();
    await (await byId(b, "blog-title-input")).setValue("Storm Ilse hits Marrowick");
    await (await byId(b, "blog-timezone")).selectByAttribute("value", "Europe/London");
    await (await byId(b, "create-blog-submit")).click();
    await b.waitUntil(async () => (await textOf(b, "blog-title")).includes("Storm Ilse"), {
      timeout: 10_000,
    });
  });

  let harbour;
  await step("an entry with a quote and a credited photo is written, submitted and published", async () => {
    await writeEntry(b, { title: "Harbour wall breached", body: "Water is pouring over the old harbour wall." });
    await (await byId(b, "tb-quote")).click();
    const quote = await b.$('[data-testid="quote-block"] [aria-label="Quote text"]');
    await quote.setValue("We have never seen the sea this high.");
    await (await b.$('[data-testid="quote-block"] [aria-label="Quote attribution"]')).setValue("Harbour master");
    // The hidden file input behind "Photo…" (the native dialog cannot be driven).
    const input = await byId(b, "photo-file-input");
    await b.execute((el) => el.removeAttribute("hidden"), input);
    await input.setValue(join(photos, "boats.jpg"));
    await b.execute((el) => el.setAttribute("hidden", ""), input);
    const photo = await byId(b, "photo-block");
    await photo.waitForExist({ timeout: 30_000 });
    await b.waitUntil(async () => Boolean(await photo.getAttribute("data-photo-id")), { timeout: 30_000 });
    // The credit comes prefilled from the photo's EXIF Artist/Copyright;
    // wait for it before replacing it, or the typing lands after it.
    const credit = await b.$('[data-testid="photo-block"] [aria-label="Photo credit"]');
    await b.waitUntil(async () => (await credit.getValue()) !== "", {
      timeout: 10_000,
      timeoutMsg: "the credit was not prefilled from EXIF",
    });
    await credit.clearValue();
    await b.waitUntil(async () => (await credit.getValue()) === "", { timeout: 5_000 });
    await credit.addValue("Ana Ruiz/Liveline");
    await (await b.$('[data-testid="photo-block"] [aria-label="Photo caption"]')).setValue("The harbour at noon");
    await (await b.$('[data-testid="photo-block"] [aria-label="Photo alt text"]')).setValue("Boats tossed against the harbour wall");
    await waitSaved(b);
    await (await byId(b, "save-button")).click();
    await waitSaved(b);
    // The timeline follows the editor: the row's "no alt text" chip goes.
    await b.waitUntil(async () => !(await (await byId(b, "warning-alt")).isExisting()), {
      timeout: 10_000,
      timeoutMsg: "the timeline still warns of a missing alt text",
    });
    await shot(b, "editor-light");
    await (await byId(b, "submit-button")).click();
    await b.waitUntil(async () => (await badge(b)) === "ready", { timeout: 10_000, timeoutMsg: "not ready" });
    await (await byId(b, "publish-entry-button")).click();
    await b.waitUntil(async () => (await badge(b)) === "published", { timeout: 10_000, timeoutMsg: "not published" });
    harbour = await (await byId(b, "entry-editor")).getAttribute("data-entry-id");
  });

  await step("a second entry, with a pasted photo, is published on top", async () => {
    await writeEntry(b, { title: "Schools closed tomorrow", body: "The council has closed every school in the district." });
    await pastePhoto(b, join(photos, "cups.jpg"));
    const photo = await byId(b, "photo-block");
    await photo.waitForExist({ timeout: 30_000, timeoutMsg: "the pasted photo did not arrive" });
    await b.waitUntil(async () => Boolean(await photo.getAttribute("data-photo-id")), { timeout: 30_000 });
    // cups.jpg has no EXIF: nothing is prefilled, and publishing needs a credit.
    await (await b.$('[data-testid="photo-block"] [aria-label="Photo credit"]')).setValue("Council handout");
    await (await b.$('[data-testid="photo-block"] [aria-label="Photo alt text"]')).setValue("Cups on a table");
    await waitSaved(b);
    await (await byId(b, "save-button")).click();
    await waitSaved(b);
    await (await byId(b, "publish-entry-button")).click();
    await b.waitUntil(async () => (await badge(b)) === "published", { timeout: 10_000 });
    await (await byId(b, "close-editor")).click();
    await b.waitUntil(async () => (await rowTitles(b)).length === 2, { timeout: 10_000 });
    assert.deepEqual(await rowTitles(b), ["Schools closed tomorrow", "Harbour wall breached"]);
  });

  await step("dragging the second entry above the first reorders them", async () => {
    const rows = await b.$$('[data-testid="timeline-row"]');
    const from = await rows[1].getLocation();
    const size = await rows[1].getSize();
    const to = await rows[0].getLocation();
    const x = Math.round(from.x + size.width / 3);
    const y = Math.round(from.y + size.height / 2);
    const targetY = Math.round(to.y + 4);
    await b.performActions([
      {
        type: "pointer",
        id: "mouse",
        parameters: { pointerType: "mouse" },
        actions: [
          { type: "pointerMove", x, y, duration: 0 },
          { type: "pointerDown", button: 0 },
          { type: "pointerMove", x, y: y - 10, duration: 100 },
          { type: "pointerMove", x, y: Math.round((y + targetY) / 2), duration: 200 },
          { type: "pointerMove", x, y: targetY, duration: 200 },
          { type: "pause", duration: 200 },
          { type: "pointerUp", button: 0 },
        ],
      },
    ]);
    await b.releaseActions();
    await b.waitUntil(async () => (await rowTitles(b))[0] === "Harbour wall breached", {
      timeout: 10_000,
      timeoutMsg: `order after drag: ${JSON.stringify(await rowTitles(b))}`,
    });
    await shot(b, "timeline-light");
  });

  await step("publishing writes a feed with the entries in the new order", async () => {
    await (await byId(b, "publish-button")).click();
    const dir = await byId(b, "publish-out-dir");
    await dir.waitForDisplayed();
    await dir.setValue(out);
    await (await byId(b, "publish-run")).click();
    await (await byId(b, "publish-result")).waitForDisplayed({ timeout: 30_000 });
    await shot(b, "publish-light");
    const feed = JSON.parse(readFileSync(join(out, "feed.json"), "utf8"));
    assert.equal(feed.version, "https://jsonfeed.org/version/1.1");
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ["Harbour wall breached", "Schools closed tomorrow"],
    );
    const html = feed.items[0].content_html;
    const blocks = feed.items[0]._liveline?.blocks?.map((b) => b.type) ?? [];
    assert.ok(blocks.includes("photo"), `the published entry shows its photo: blocks ${JSON.stringify(blocks)}`);
    assert.match(html, /Water is pouring over the old harbour wall\./);
    assert.match(html, /<blockquote/);
    assert.match(html, /Harbour master/);
    assert.match(html, /Credit: Ana Ruiz\/Liveline/);
    assert.equal(feed.items[0].id, harbour);
    assert.match(feed.items[1].content_html, /Credit: Council handout/);
  });

  await first.close();
  current = null;

  const second = await openApp({ dark: true });
  const c = second.browser;
  current = c;
  await step("after a restart the blog, the order and the photo are still there", async () => {
    const blog = await byId(c, "blog-list-item");
    await blog.waitForDisplayed({ timeout: 20_000 });
    await blog.click();
    await c.waitUntil(async () => (await rowTitles(c)).length === 2, { timeout: 10_000 });
    assert.deepEqual(await rowTitles(c), ["Harbour wall breached", "Schools closed tomorrow"]);
    await shot(c, "timeline-dark");
    const rows = await c.$$('[data-testid="timeline-row"]');
    await rows[0].doubleClick();
    const photo = await byId(c, "photo-block");
    await photo.waitForExist({ timeout: 10_000 });
    const credit = await c.$('[data-testid="photo-block"] [aria-label="Photo credit"]');
    assert.equal(await credit.getValue(), "Ana Ruiz/Liveline");
    await shot(c, "editor-dark");
  });
  await second.close();
  current = null;
} catch (e) {
  if (!failed) {
    failed++;
    console.log(`FAIL  ${e.stack ?? e}`);
  }
} finally {
  if (current) await current.deleteSession().catch(() => {});
  for (const d of drivers) if (d.exitCode === null) d.kill("SIGTERM");
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
