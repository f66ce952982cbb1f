// Smoke test of an installed Liveline (tests/package/run.sh): the window
// comes up, a blog is created through it, and the app closes cleanly when
// the session ends.
//
// Usage: node smoke.e2e.mjs APP_BINARY DATABASE
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { byId, openApp, textOf } from "./driver.mjs";

const [app, db] = process.argv.slice(2);
const PORT = 4549;
let passed = 0;
let failed = 0;

async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name}: ${e.stack ?? e}`);
  }
}

/** Whether a process runs the binary at `path`. */
function running(path) {
  try {
    execFileSync("pgrep", ["-f", `^${path}`]);
    return true;
  } catch {
    return false;
  }
}

let session;
await step("the installed app opens its window", async () => {
  session = await openApp({ binary: app, port: PORT, env: { LIVELINE_DB: db } });
  await (await byId(session.browser, "empty-state")).waitForDisplayed({ timeout: 20_000 });
  assert.equal(await session.browser.getTitle(), "Liveline");
});
if (session) {
  const b = session.browser;
  await step("a blog is created in it", async () => {
    await (await byId(b, "empty-create-blog")).click();
    await (await byId(b, "blog-title-input")).setValue("Installed smoke test");
    await (await byId(b, "create-blog-submit")).click();
    await b.waitUntil(async () => (await textOf(b, "blog-title")).includes("Installed smoke test"), {
      timeout: 10_000,
      timeoutMsg: "the new blog did not open",
    });
  });
  await step("the app closes cleanly when the session ends", async () => {
    await session.close();
    const until = Date.now() + 10_000;
    while (running(app) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!running(app), `${app} is still running`);
  });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || !session ? 1 : 0);
