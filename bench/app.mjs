// Desktop app figures (docs/perf.md), through WebKitWebDriver like the
// end-to-end test: cold start to an interactive timeline of a 10,000-entry
// blog, memory of all the app's processes with that blog open, and the time
// from pressing Publish to the feed on disk. Run by bench/app.sh.
//
// node bench/app.mjs APP DB OUT_DIR RUNS
// node bench/app.mjs --floor RUNS: the same memory figure for WebKitGTK's own
//   MiniBrowser showing about:blank, the floor any WebKitGTK app starts from.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import net from "node:net";
import { remote } from "../tests/e2e/node_modules/webdriverio/build/index.js";

const floor = process.argv[2] === "--floor";
const [app, db, out, runsArg] = floor ? [null, null, null, process.argv[3]] : process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const PORT = 4547;

const waitForPort = (port) =>
  new Promise((done) => {
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.end(), done()));
      s.once("error", () => (s.destroy(), setTimeout(attempt, 50)));
    };
    attempt();
  });

/** RSS in KiB of a process and all its descendants. */
function treeRss(root) {
  const table = execFileSync("ps", ["-e", "-o", "pid=,ppid=,rss=,comm="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .map(([pid, ppid, rss, comm]) => ({ pid: +pid, ppid: +ppid, rss: +rss, comm }));
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of table) if (!inTree.has(p.pid) && inTree.has(p.ppid)) (inTree.add(p.pid), (grew = true));
  }
  const members = table.filter((p) => inTree.has(p.pid));
  // PSS shares each shared page (the WebKit library is mapped by all three
  // processes) among its users: the memory the app really costs.
  const pss = (pid) => {
    try {
      return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  return {
    kib: members.reduce((s, p) => s + p.rss, 0),
    pssKib: members.reduce((s, p) => s + pss(p.pid), 0),
    names: members.map((p) => `${p.comm} ${(p.rss / 1024).toFixed(0)}/${(pss(p.pid) / 1024).toFixed(0)} MB`),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

if (floor) {
  // The app turns compositing off where there is no GPU (src-tauri/src/webview.rs);
  // the environment variable does the same for MiniBrowser.
  const minibrowser = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
  for (const [name, extra] of [["compositing off", { WEBKIT_DISABLE_COMPOSITING_MODE: "1" }], ["WebKit's default", {}]]) {
    const rss = [];
    const pss = [];
    for (let run = 0; run < runs; run++) {
      const browser = spawn(minibrowser, ["about:blank"], { env: { ...process.env, ...extra }, stdio: "ignore" });
      await pause(6000);
      const memory = treeRss(browser.pid);
      rss.push(memory.kib / 1024);
      pss.push(memory.pssKib / 1024);
      browser.kill("SIGTERM");
      await new Promise((r) => browser.once("exit", r));
    }
    console.log(
      `WebKitGTK floor (MiniBrowser, about:blank, ${name}), median of ${runs}: ` +
        `RSS of all its processes ${median(rss).toFixed(0)} MB (PSS ${median(pss).toFixed(0)} MB)`,
    );
  }
  process.exit(0);
}
const starts = [];
const listed = [];
const rss = [];
const pssAll = [];
const publishes = [];

for (let run = 0; run < runs; run++) {
  const env = { ...process.env, TAURI_WEBVIEW_AUTOMATION: "true", LIVELINE_DB: db };
  const driver = spawn("WebKitWebDriver", [`--port=${PORT}`], { env, stdio: "ignore" });
  await waitForPort(PORT);
  const t0 = performance.now();
  const b = await remote({
    hostname: "127.0.0.1",
    port: PORT,
    logLevel: "error",
    capabilities: { "webkitgtk:browserOptions": { binary: app, args: [] }, "wdio:enforceWebDriverClassic": true },
  });
  const blog = await b.$('[data-testid="blog-list-item"]');
  await blog.waitForExist({ timeout: 30_000, interval: 10 });
  const tList = performance.now();
  await blog.click();
  await b.waitUntil(
    async () => (await b.execute(() => document.querySelectorAll('[data-testid="timeline-row"]').length)) > 0,
    { timeout: 30_000, interval: 10 },
  );
  const tRows = performance.now();
  const count = await b.execute(() => document.querySelector('[data-testid="timeline"]')?.dataset.count);
  starts.push(tRows - t0);
  listed.push(tList - t0);
  // Let the window settle, then count every process the app started.
  await b.pause(1500);
  const appPid = Number(execFileSync("pgrep", ["-n", "-f", app], { encoding: "utf8" }).trim());
  const memory = treeRss(appPid);
  rss.push(memory.kib / 1024);
  pssAll.push(memory.pssKib / 1024);

  await (await b.$('[data-testid="publish-button"]')).click();
  const dir = await b.$('[data-testid="publish-out-dir"]');
  await dir.waitForDisplayed();
  await dir.setValue(`${out}-${run}`);
  const before = performance.now();
  await (await b.$('[data-testid="publish-run"]')).click();
  await (await b.$('[data-testid="publish-result"]')).waitForDisplayed({ timeout: 60_000, interval: 10 });
  const shown = performance.now();
  const onDisk = statSync(`${out}-${run}/feed.json`).mtimeMs;
  publishes.push(shown - before);
  console.log(
    `run ${run + 1}: blog list ${(tList - t0).toFixed(0)} ms, timeline (${count} entries) ${(tRows - t0).toFixed(0)} ms, ` +
      `RSS ${(memory.kib / 1024).toFixed(0)} MB (PSS ${(memory.pssKib / 1024).toFixed(0)} MB) over ${memory.names.join(", ")} (RSS/PSS), publish ${(shown - before).toFixed(0)} ms` +
      ` (feed.json written ${(onDisk - (performance.timeOrigin + before)).toFixed(0)} ms after the click)`,
  );
  await b.deleteSession();
  driver.kill("SIGTERM");
  await new Promise((r) => driver.once("exit", r));
}
console.log(
  `median of ${runs}: launch to blog list ${median(listed).toFixed(0)} ms; launch to interactive timeline ` +
    `${median(starts).toFixed(0)} ms; RSS of all app processes ${median(rss).toFixed(0)} MB (PSS ${median(pssAll).toFixed(0)} MB); ` +
    `Publish click to result ${median(publishes).toFixed(0)} ms`,
);
