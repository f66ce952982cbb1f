// What the end-to-end tests share: starting the real app under
// WebKitWebDriver, finding controls by data-testid, and screenshots.
import { spawn } from "node:child_process";
import net from "node:net";
import { remote } from "webdriverio";

export function waitForPort(port, ms) {
  const until = Date.now() + ms;
  return new Promise((done, fail) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        done();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > until) fail(new Error(`port ${port} did not open`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * Starts WebKitWebDriver on `port` and opens `binary` (the app) in a
 * session, with `env` added to the environment. `close` ends the session,
 * which closes the app, and stops the driver (SIGTERM: SIGKILL would leave
 * it holding its port).
 */
export async function openApp({ binary, port, env = {} }) {
  const driver = spawn("WebKitWebDriver", [`--port=${port}`], {
    env: { ...process.env, TAURI_WEBVIEW_AUTOMATION: "true", ...env },
    stdio: "ignore",
  });
  await waitForPort(port, 10_000);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    capabilities: {
      "webkitgtk:browserOptions": { binary, args: [] },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const close = async () => {
    await browser.deleteSession().catch(() => {});
    if (driver.exitCode === null) {
      driver.kill("SIGTERM");
      await new Promise((r) => driver.once("exit", r));
    }
  };
  return { browser, driver, close };
}

export const byId = (browser, id) => browser.$(`[data-testid="${id}"]`);

// textContent through the page: WebKitWebDriver's element text can lag the DOM.
export const textOf = (browser, id) =>
  browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", `[data-testid="${id}"]`);

/** Saves a screenshot of the window to `file`, current to the last frame. */
export async function saveShot(browser, file) {
  // Two animation frames: a screenshot can otherwise be one frame stale.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await nudgePaints(browser);
  await browser.saveScreenshot(file);
}

// Without a GPU the app turns WebKit's compositing off, and then
// WebKitWebDriver's screenshot waits for the page's next paint: a page
// that does not change can take 30 s or more to answer. A 1-pixel,
// near-invisible mark, added and removed a few times over the next second,
// makes those paints.
export async function nudgePaints(browser) {
  await browser.execute(() => {
    for (const ms of [50, 200, 500, 1000]) {
      setTimeout(() => {
        const mark = document.createElement("div");
        mark.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;opacity:0.01;pointer-events:none";
        document.body.appendChild(mark);
        requestAnimationFrame(() => mark.remove());
      }, ms);
    }
  });
}
