// The dashboard in a real browser: Debian's Chromium, driven by
// playwright-core, against the real `vigil serve` over a simulated workspace
// whose warnings were raised by `vigil ingest`. The API itself is the oracle
// for what the page must show. Screenshots go to $VIGIL_ARTIFACTS.
//
// Environment: VIGIL_BIN (the binary), VIGIL_DASHBOARD (the built
// dashboard), VIGIL_ARTIFACTS (where screenshots go), CHROMIUM (default
// /usr/bin/chromium).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const bin = process.env.VIGIL_BIN;
const dashboard = process.env.VIGIL_DASHBOARD;
const artifacts = process.env.VIGIL_ARTIFACTS ?? path.join(tmpdir(), "vigil-dashboard-artifacts");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
// The server's clock, and the browser's: deadlines count down as on duty.
const NOW = "2025-01-01T01:00:00Z";

const root = mkdtempSync(path.join(tmpdir(), "vigil-dashboard-"));
const ws = path.join(root, "ws");
let server;
let serverLog = "";
let base;
let browser;
const tokens = {};

function vigil(args, cwd = ws) {
  return execFileSync(bin, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function api(pathname, token) {
  const response = await fetch(base + pathname, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${pathname}: ${await response.clone().text()}`);
  return response.json();
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`vigil serve did not start:\n${serverLog}`);
}

async function shot(page, name) {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshot: ${file}`);
}

async function signIn(token, viewport = { width: 1280, height: 720 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.clock.install({ time: new Date(NOW) });
  await page.goto(`${base}/`);
  await page.fill("#token", token);
  await page.press("#token", "Enter");
  await page.waitForSelector("#board:not([hidden])");
  return { page, problems };
}

async function shownIds(page) {
  return page.$$eval(".warning-row", (rows) => rows.map((r) => r.dataset.id));
}

async function waitForRows(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll(".warning-row").length === n, count);
}

before(async () => {
  assert.ok(bin && dashboard, "VIGIL_BIN and VIGIL_DASHBOARD must be set (ctest sets them)");
  mkdirSync(artifacts, { recursive: true });
  vigil(["simulate", "--seed", "42", "--out", ws], root);
  vigil(["-w", ws, "--now", "2025-01-01T00:00:00Z", "--log-level", "warn", "ingest"]);
  // One warning by hand in each of two provinces, so that a jurisdiction
  // holds some warnings and not others whatever the detectors raised.
  for (const key of ["natural-hazards/XL-02/flood", "health/XL-01/infectious-disease"]) {
    vigil(["-w", ws, "--now", NOW, "warnings", "issue", key, "--level", "orange", "--by", "duty",
      "--reason", "reported by phone"]);
  }
  const token = (...args) => vigil(["-w", ws, "token", "create", ...args]).split("\n")[0];
  tokens.operator = token("--name", "duty-officer", "--role", "operator");
  tokens.district = token("--name", "district", "--role", "viewer", "--region", "XL-01");

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ["-w", ws, "--now", NOW, "serve", "--listen", `127.0.0.1:${port}`,
    "--dashboard", dashboard], { stdio: ["ignore", "ignore", "pipe"] });
  server.stderr.on("data", (chunk) => (serverLog += chunk));
  await waitForServer();
  const args = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"];
  if (process.getuid?.() === 0) {
    args.push("--no-sandbox");
  }
  browser = await chromium.launch({ executablePath, headless: true, args });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  writeFileSync(path.join(artifacts, "serve.log"), serverLog);
  rmSync(root, { recursive: true, force: true });
});

describe("the dashboard", () => {
  test("is served without a token, with its assets' types and cache headers", async () => {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type"), /^text\/html/);
    assert.equal(page.headers.get("cache-control"), "no-cache");
    const script = (await page.text()).match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    assert.ok(script, "index.html names its script");
    const asset = await fetch(base + script);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("content-type"), /^text\/javascript/);
    assert.match(asset.headers.get("cache-control"), /immutable/);
  });

  test("an operator signs in, sees the map and the warnings, opens one and acknowledges it", async () => {
    const { page, problems } = await signIn(tokens.operator);
    const catalogue = await api("/api/v1/catalogue", tokens.operator);
    const withShape = catalogue.regions.filter((r) => r.geometry).length;
    await page.waitForFunction(() => Number(document.getElementById("map").dataset.drawn) > 0);
    const map = await page.$eval("#map", (m) => ({ ...m.dataset }));
    assert.equal(Number(map.features), withShape, "every region with a shape is in the map's source");
    assert.ok(Number(map.drawn) >= 2, `the provinces are drawn (${map.drawn})`);

    const active = await api("/api/v1/warnings", tokens.operator);
    assert.ok(active.length >= 2, "ingest and the hand-issued warnings made some");
    await waitForRows(page, active.length);
    assert.deepEqual((await shownIds(page)).sort(), active.map((w) => w.id).sort());
    const levels = await page.$$eval(".warning-row .badge", (b) => b.map((x) => x.textContent));
    const order = ["red", "orange", "yellow", "blue"];
    assert.deepEqual(levels, [...levels].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
      "most severe first");
    const routes = Object.keys((await (await fetch(`${base}/api/v1/openapi.json`)).json()).paths);
    const mode = routes.includes("/api/v1/events") ? "live" : "polling";
    await page.waitForSelector(`#live[data-mode="${mode}"]`);
    await shot(page, "dashboard-overview");

    const target = active.find((w) => !w.acknowledged);
    assert.ok(target, "a warning waits for acknowledgement");
    await page.focus(`.warning-row[data-id="${target.id}"]`);
    await page.keyboard.press("Enter");
    const detail = await api(`/api/v1/warnings/${target.id}`, tokens.operator);
    await page.waitForFunction((n) => document.querySelectorAll("#timeline li").length === n,
      detail.timeline.length);
    await page.waitForSelector("#ack-button");
    await shot(page, "dashboard-warning");

    await page.click("#ack-button");
    await page.waitForFunction(() => document.getElementById("action-status").textContent === "Acknowledged.");
    const acked = await api(`/api/v1/warnings/${target.id}`, tokens.operator);
    assert.equal(acked.warning.acknowledged, true);
    assert.equal(acked.warning.acknowledged_by, "duty-officer");
    assert.equal(await page.$("#ack-button"), null, "no second acknowledgement is offered");
    await page.waitForFunction((id) =>
      document.querySelector(`.warning-row[data-id="${id}"] .ack`)?.textContent.startsWith("acknowledged"),
      target.id);
    assert.equal(await page.$$eval("#timeline li", (l) => l.length), acked.timeline.length);
    await shot(page, "dashboard-acknowledged");

    // Drill down: a province's districts, and the list narrowed to it.
    const province = await page.$eval("#region-list button", (b) => b.dataset.code);
    await page.click(`#region-list button[data-code="${province}"]`);
    const within = await api(`/api/v1/warnings?region=${province}`, tokens.operator);
    await waitForRows(page, within.length);
    assert.equal(await page.$eval("#crumbs [aria-current]", (b) => b.textContent),
      catalogue.regions.find((r) => r.code === province).name);
    await shot(page, "dashboard-drilled");
    assert.deepEqual(problems, [], "no script errors");
    await page.context().close();
  });

  test("a district's warning charts its series: observed, expected, threshold band and alarms", async () => {
    const { page, problems } = await signIn(tokens.operator);
    // The first warning detection raised on a region with observations of
    // its evidence: a district (provinces and the country only aggregate).
    let target;
    let evidence;
    let series;
    for (const w of await api("/api/v1/warnings", tokens.operator)) {
      const detail = await api(`/api/v1/warnings/${w.id}`, tokens.operator);
      evidence = detail.timeline.flatMap((e) => e.signals ?? []).at(-1);
      if (!w.manual && evidence) {
        const query = new URLSearchParams({ indicator: evidence.source, region: w.key.region });
        series = await api(`/api/v1/series?${query}`, tokens.operator);
        if (series.observations.length > 0) {
          target = w;
          break;
        }
      }
    }
    assert.ok(target, "detection raised a warning on a district");
    const signals = series.signals.filter((s) => s.detector === evidence.detector);
    const times = new Set([...series.observations, ...signals].map((x) => x.time));
    const want = {
      points: times.size,
      observed: series.observations.length,
      expected: signals.filter((s) => s.expected !== null).length,
      threshold: signals.filter((s) => s.upperbound !== null).length,
      alarms: signals.filter((s) => s.alarm).length,
    };
    for (const [name, count] of Object.entries(want)) {
      assert.ok(count > 0, `the series has ${name}: ${JSON.stringify(want)}`);
    }

    await page.click(`.warning-row[data-id="${target.id}"]`);
    await page.waitForFunction(() => Number(document.getElementById("chart")?.dataset.drawn) > 0);
    const drawn = await page.$eval("#chart", (c) => ({ ...c.dataset }));
    for (const [name, count] of Object.entries(want)) {
      assert.equal(Number(drawn[name]), count, `${name}: ${JSON.stringify(drawn)}`);
    }
    assert.equal(await page.$eval("#series-indicator", (s) => s.value), evidence.source);
    const legend = await page.$$eval("#chart .u-legend .u-series .u-label", (l) => l.map((x) => x.textContent));
    const method = signals[0].method;
    assert.deepEqual(legend.slice(1),
      ["observed", `expected (${method})`, `threshold (${method})`, "alarm"]);
    await page.locator("#chart").scrollIntoViewIfNeeded();
    await shot(page, "dashboard-series");
    await page.locator("#chart").screenshot({ path: path.join(artifacts, "dashboard-chart.png") });

    // Zoomed in by a drag across the plot, it draws again.
    const box = await page.locator("#chart .u-over").boundingBox();
    const before = Number(await page.$eval("#chart", (c) => c.dataset.drawn));
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.98, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((n) => Number(document.getElementById("chart").dataset.drawn) > n, before);
    await page.locator("#chart").screenshot({ path: path.join(artifacts, "dashboard-chart-zoomed.png") });
    assert.deepEqual(problems, [], "no script errors");
    await page.context().close();
  });

  test("fills a wall display", async () => {
    const { page, problems } = await signIn(tokens.operator, { width: 3840, height: 2160 });
    await page.waitForFunction(() => Number(document.getElementById("map").dataset.drawn) > 0);
    const box = await page.$eval("#board", (b) => b.getBoundingClientRect().toJSON());
    assert.ok(box.width > 3700 && box.height > 1900, `the board fills the screen: ${JSON.stringify(box)}`);
    await shot(page, "dashboard-wall");
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test("a token limited to one province sees only its warnings and may not act", async () => {
    const { page, problems } = await signIn(tokens.district);
    const mine = await api("/api/v1/warnings", tokens.district);
    const all = await api("/api/v1/warnings", tokens.operator);
    assert.ok(mine.length > 0 && mine.length < all.length, "the scenario holds warnings on both sides");
    await waitForRows(page, mine.length);
    const shown = await shownIds(page);
    assert.deepEqual(shown.sort(), mine.map((w) => w.id).sort());
    assert.ok(shown.every((id) => id.split("/")[1].startsWith("XL-01")), shown.join(", "));
    const catalogue = await api("/api/v1/catalogue", tokens.district);
    await page.waitForFunction(() => Number(document.getElementById("map").dataset.drawn) > 0);
    assert.equal(Number(await page.$eval("#map", (m) => m.dataset.features)),
      catalogue.regions.filter((r) => r.geometry).length);
    await page.click(".warning-row");
    await page.waitForSelector("#timeline li");
    assert.equal(await page.$("#ack-button"), null, "a viewer is not offered acknowledgement");
    await shot(page, "dashboard-district");
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test("a token the server does not know is refused at sign-in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill("#token", `vgl_${"A".repeat(43)}`);
    await page.press("#token", "Enter");
    await page.waitForFunction(() => document.getElementById("signin-error").textContent.includes("unknown token"));
    assert.equal(await page.isHidden("#board"), true);
    await context.close();
  });
});
