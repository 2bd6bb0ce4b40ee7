// The map page in a real browser: starts a Corridor server, drives Debian's
// chromium with playwright-core through what a planner does (route grain
// Kyiv → Gdańsk, the Pareto set, picking on the map, capacity with its
// bottlenecks, criticality as a job with its progress and a cancel, a
// scenario sweep and an investment screening as jobs, base vs scenario,
// assignment flows, a download, an API error)
// and checks the page's tables and the map's layers, with no console errors;
// then a network whose sea lanes cross ±180° (networks/pacific.toml, links
// written as MultiLineStrings) is drawn, fitted, labelled and hovered.
// Screenshots: target/browser/*.png. Run it with run.sh next to this file.

import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "../../../..");
const OUT = path.join(ROOT, "target/browser");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const NETWORKS = "examples/triangle.toml examples/grain-corridors crates/corridor-server/tests/browser/networks/pacific.toml";
const SERVER_CMD = process.env.CORRIDOR_SERVER_CMD || "target/release/corridor serve {networks} --port {port}";
const TIMEOUT = Number(process.env.BROWSER_TEST_TIMEOUT_MS || 30000);

let passed = 0;
function check(cond, what, detail = "") {
  if (!cond) throw new Error(`FAILED: ${what}${detail ? `\n  ${detail}` : ""}`);
  passed++;
  console.log(`  ok  ${what}`);
}

/** t/day as the page writes them: whole tonnes, thousands separated. */
const tonnes = (x) => Math.round(x).toLocaleString("en-US");
/** A share (0–1) as the page writes it: "69.3%". */
const percent = (share) => `${(share * 100).toFixed(1)}%`;
/** An amount with two decimals, as the page writes costs: "1,200.00". */
const money = (x) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts the server in its own process group so it can be stopped whole. */
function startServer(port) {
  const cmd = SERVER_CMD.replaceAll("{port}", String(port)).replaceAll("{networks}", NETWORKS);
  console.log(`server: ${cmd}`);
  const child = spawn("bash", ["-c", `exec ${cmd}`], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => { log += d; });
  child.stderr.on("data", (d) => { log += d; });
  child.logText = () => log;
  return child;
}

function stopServer(child) {
  if (child.exitCode === null) {
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
  }
}

async function waitHealthy(base, child) {
  const until = Date.now() + 120000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${child.logText()}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return r.json();
    } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer /health within 120 s:\n${child.logText()}`);
}

/** Number of rendered features of the given map layers, once the map is idle. */
function rendered(page, layers) {
  return page.evaluate(async (ls) => {
    await window.corridorApp.idle();
    return window.corridorApp.map.queryRenderedFeatures({ layers: ls }).map((f) => f.properties);
  }, layers);
}

async function shot(page, name) {
  await page.evaluate(() => window.corridorApp.idle());
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`  screenshot ${path.relative(ROOT, file)}`);
}

async function pickNetwork(page, name) {
  await page.selectOption("#network", name);
  await page.waitForFunction((n) => window.corridorApp.state.net?.name === n && window.corridorApp.state.busy === 0, name);
}

async function run(page, base, consoleErrors) {
  console.log("page and networks");
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.corridorApp?.ready === true);
  const nets = await page.$$eval("#network option", (os) => os.map((o) => o.value));
  check(nets.includes("triangle") && nets.includes("grain-corridors"), "the shipped examples are offered", nets.join(", "));
  await pickNetwork(page, "triangle");
  check((await page.textContent("#net-summary")).includes("5 nodes"), "the network summary is shown");
  const links = await rendered(page, ["net-links", "net-water"]);
  const layers = new Set(links.map((p) => p.layer));
  check(layers.has("rail:1520") && layers.has("rail:1435") && layers.has("road") && layers.has("sea"), "links of every layer are drawn", [...layers].join(", "));
  const sites = await rendered(page, ["net-sites"]);
  check(sites.some((p) => p.role === "border") && sites.some((p) => p.role === "port"), "border crossings and ports are drawn as symbols");
  const mapBox = await page.locator("#map").boundingBox();
  const gdansk = await page.evaluate(() => window.corridorApp.map.project([18.6667, 54.35]));
  await page.mouse.move(mapBox.x + gdansk.x, mapBox.y + gdansk.y);
  await page.waitForSelector(".maplibregl-popup");
  const tip = await page.textContent(".maplibregl-popup");
  check(tip.includes("Gdańsk port") && tip.includes("Gdańsk port terminals"), "hovering a site names it and its terminals", tip);
  await page.mouse.move(mapBox.x + mapBox.width - 5, mapBox.y + 5);
  await page.mouse.move(0, 0); // leave the map: the tooltip goes
  const legend = await page.textContent("#legend");
  check(legend.includes("rail 1520 mm") && legend.includes("rail 1435 mm"), "the legend tells 1520 from 1435 rail");

  console.log("route grain Kyiv → Gdańsk");
  check(await page.$eval("#node-list", (d) => [...d.options].some((o) => o.value === "gdansk")), "the place search suggests the network's nodes");
  await page.fill("#route-from", "Kyiv");
  await page.fill("#route-to", "gdansk");
  check((await page.textContent("#route-from-resolved")).includes("Kyiv"), "a typed node name is recognised");
  await page.selectOption("#route-commodity", "grain");
  await page.fill("#route-tonnes", "1000");
  await page.press("#route-tonnes", "Enter"); // Enter submits
  await page.waitForSelector("#results table.legs");
  const transfer = await page.textContent("#results table.legs tr[data-kind=transfer]");
  check(/rail:1520\s*→\s*rail:1435/.test(transfer), "the leg table shows the 1520 → 1435 transfer", transfer);
  const border = await page.textContent("#results table.legs tr[data-kind=border]");
  check(border.includes("UA–PL"), "the leg table shows the UA–PL border crossing", border);
  const foot = await page.textContent("#results table.legs tfoot");
  check(foot.includes("58,700.00") && foot.includes("1,130.0"), "the totals row carries the itinerary's totals", foot);
  const legs = await rendered(page, ["route-line"]);
  check(legs.length > 0 && legs.some((p) => p.layer === "rail:1520") && legs.some((p) => p.layer === "rail:1435"), "the route layer has features (both gauges)", `${legs.length} rendered`);
  check((await rendered(page, ["route-points"])).length > 0, "the transfer and the crossing are marked on the route");
  await shot(page, "route-triangle");

  console.log("Pareto set");
  await page.check("#route-pareto");
  await page.click("#route-submit");
  await page.waitForSelector("#pareto-chart .pt");
  const points = await page.$$("#pareto-chart .pt");
  check(points.length >= 2, "the chart has one point per non-dominated itinerary", `${points.length} points`);
  await page.focus('#pareto-chart .pt[data-i="1"]');
  await page.keyboard.press("Enter"); // a chart point is a keyboard button
  await page.waitForSelector('#pareto-chart .pt.sel[data-i="1"]');
  check((await page.textContent("#pareto-detail")).includes("road"), "choosing a point shows that itinerary (the road)");
  const shown = await rendered(page, ["route-line"]);
  check(shown.length > 0 && shown.every((p) => p.itinerary === 1), "the map shows only the chosen itinerary");
  await shot(page, "route-pareto");
  await page.uncheck("#route-pareto");

  console.log("pick on the map");
  await page.click("button.fit-network");
  await page.click('button.pick[data-pick="to"]');
  const box = await page.locator("#map").boundingBox();
  const at = await page.evaluate(() => window.corridorApp.map.project([30.7333, 46.4833])); // Odesa port
  await page.mouse.click(box.x + at.x + 3, box.y + at.y - 2);
  check((await page.inputValue("#route-to")) === "odesa", "a click on the map sets the nearest node");
  await page.fill("#route-to", "gdansk");

  console.log("capacity on grain-corridors");
  await pickNetwork(page, "grain-corridors");
  await page.check("input[name=mode][value=capacity]");
  await page.click("#cap-preset");
  check((await page.$$("#cap-from-chips li")).length === 5, "the preset fills the five origins");
  // The figures the page must show are read from the answer it received
  // (the API's answers equal the CLI's: tests/faces.rs, the golden files),
  // so a change of the example's data does not leave stale numbers here.
  const [capAnswer] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname.endsWith("/capacity") && r.request().method() === "POST"),
    page.click("#cap-submit"),
  ]);
  const cap = (await capAnswer.json()).result;
  await page.waitForSelector("#results table.bottlenecks");
  const ids = await page.$$eval("#results table.bottlenecks tbody tr", (rs) => rs.map((r) => r.dataset.id));
  check(ids.length >= 5 && cap.bottlenecks.every((b) => ids.includes(b.id)) && ids.includes("border-porubne-siret"), "the bottleneck list names the cut", ids.join(", "));
  check((await page.textContent("#results .cards")).includes(tonnes(cap.max_flow)), "the maximum flow is shown", tonnes(cap.max_flow));
  const badges = await page.$$eval(".share-badge[data-id]", (bs) => bs.filter((b) => b.style.visibility !== "hidden").map((b) => b.textContent));
  check(badges.length >= 3 && cap.bottlenecks.some((b) => badges.some((t) => t.includes(percent(b.share)))), "bottlenecks carry their share of the cut on the map", badges.join(" "));
  check((await rendered(page, ["cap-line", "cap-points"])).some((p) => p.bottleneck), "bottleneck elements are highlighted on the map");
  await shot(page, "capacity-grain");
  await criticality(page, consoleErrors);
  await sweep(page, consoleErrors);
  await invest(page, consoleErrors);

  console.log("base vs scenario");
  await page.check('input[name=scenario][value="restore-black-sea-ports"]');
  const [compareAnswer] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname.endsWith("/compare") && r.request().method() === "POST"),
    page.click("#cap-compare"),
  ]);
  const compared = await compareAnswer.json();
  const ratio = compared.ratio.toFixed(2);
  // The first bottleneck the scenario brings, as the answer names it.
  const appeared = compared.bottlenecks_appeared[0].id;
  await page.waitForSelector("#results .ratio");
  check((await page.textContent("#results .ratio")).includes(ratio), `the capacity ratio is shown (× ${ratio})`);
  check((await page.textContent("#results")).includes(appeared), `new bottlenecks are listed (${appeared})`);
  check((await page.$$(".share-badge.new")).length > 0, "new bottlenecks are marked on the map");
  await shot(page, "compare-black-sea");

  console.log("route with a scenario, against the base");
  await page.check("input[name=mode][value=route]");
  await page.fill("#route-from", "poltava");
  await page.fill("#route-to", "constanta");
  await page.selectOption("#route-commodity", "grain");
  await page.press("#route-to", "Enter");
  await page.waitForSelector("#results table.diff");
  const diff = await page.textContent("#results table.diff");
  check(diff.includes("route changed") && diff.includes("Odesa"), "base and scenario routes are side by side (now via Odesa)", diff.replace(/\s+/g, " "));
  check((await rendered(page, ["route-base"])).length > 0, "the base route is drawn next to the scenario's");
  await shot(page, "route-scenario");
  await page.uncheck('input[name=scenario][value="restore-black-sea-ports"]');

  console.log("assignment");
  await page.check("input[name=mode][value=assign]");
  await page.click("#assign-preset");
  await page.click("#assign-submit");
  await page.waitForSelector("#results table.busiest");
  check((await page.textContent("#results table.busiest")).includes("terminal-dorohusk-gauge"), "the busiest elements are listed");
  const flows = await rendered(page, ["flow-line"]);
  check(flows.length > 0 && flows.every((p) => p.flow > 0), "assigned flows are drawn", `${flows.length} links`);
  check((await page.textContent("#legend")).includes("Assigned flow"), "the legend explains the line widths");
  await shot(page, "assign-grain");
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click('#results [data-dl="1"]')]);
  const csv = fs.readFileSync(await dl.path(), "utf8");
  check(dl.suggestedFilename().endsWith(".csv") && csv.startsWith("kind,id,from,to"), "the result downloads as CSV", dl.suggestedFilename());
  const [dl2] = await Promise.all([page.waitForEvent("download"), page.click('#results [data-dl="0"]')]);
  const gj = JSON.parse(fs.readFileSync(await dl2.path(), "utf8"));
  check(gj.type === "FeatureCollection" && gj.features.length > 0, "the result downloads as GeoJSON", dl2.suggestedFilename());

  check(consoleErrors.length === 0, "no console errors", consoleErrors.join("\n  "));

  console.log("an API error is shown in the API's words");
  await page.check("input[name=mode][value=route]");
  await page.fill("#route-from", "nowhere");
  await page.press("#route-from", "Enter");
  await page.waitForSelector("#results .error");
  const err = await page.textContent("#results .error");
  check(err.includes('unknown node "nowhere"') && err.includes("422"), "the error says what was wrong", err);
  check((await page.getAttribute("#route-from", "aria-invalid")) === "true", "the field the API names is marked");
  await shot(page, "error");
  const unexpected = consoleErrors.filter((e) => !/status of 422/.test(e));
  check(unexpected.length === 0, "no console errors beyond the browser's note of the 422", unexpected.join("\n  "));

  console.log("laptop screen");
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.fill("#route-from", "kyiv");
  await page.press("#route-from", "Enter");
  await page.waitForSelector("#results table.legs");
  const fits = await page.evaluate(() => document.querySelector("#results").scrollWidth <= document.querySelector("#results").clientWidth + 1);
  check(fits, "the leg table fits a 1366 px wide screen without scrolling sideways");
  await shot(page, "route-1366x768");
  await page.setViewportSize({ width: 1440, height: 900 });
  await antimeridian(page);
  const late = consoleErrors.filter((e) => !/status of 422/.test(e));
  check(late.length === 0, "no console errors on the network across ±180°", late.join("\n  "));
}

/**
 * Criticality of the capacity preset, asked as a job: the POST's 202, the
 * job's progress with a Cancel button, then the ranking and the map
 * coloured by the flow each closure loses; then a second job cancelled.
 * The grain network answers in well under a second, so the job's polls
 * are held in the browser until the progress has been checked; the
 * server's side of a cancel that stops a running job is tests/jobs.rs's.
 */
async function criticality(page, consoleErrors) {
  console.log("criticality as a job: progress, the ranking on the map, cancel");
  let gate = null;
  const hold = () => {
    let open;
    gate = { opened: new Promise((r) => { open = r; }), open: () => { gate = null; open(); } };
  };
  const holdPolls = async (route) => {
    if (route.request().method() === "GET" && gate) await gate.opened;
    await route.continue();
  };
  await page.route("**/api/jobs/*", holdPolls);
  hold();
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/criticality") && r.request().method() === "POST"),
    page.click("#cap-criticality"),
  ]);
  check(post.status() === 202 && (await post.json()).question === "criticality", "criticality is asked as a job (202 Accepted)", String(post.status()));
  await page.waitForSelector("#results .job progress");
  const progress = await page.textContent("#results .job");
  check(/elements closed|queued/.test(progress) && (await page.isEnabled("#job-cancel")), "the job's progress is shown with a Cancel button", progress.replace(/\s+/g, " "));
  check(await page.isDisabled("#cap-submit"), "other questions wait while the job runs");
  // The poll that finds the job done carries the answer the page draws.
  const done = page.waitForResponse(async (r) => r.request().method() === "GET" && r.url().includes("/api/jobs/") && r.ok() && (await r.json()).status === "done");
  gate.open();
  const job = await (await done).json();
  await page.waitForSelector("#results table.criticality");
  const first = job.result.elements[0];
  const top = await page.$$eval("#results table.criticality tbody tr", (rs) => rs.slice(0, 3).map((r) => ({ id: r.dataset.id, text: r.textContent.replace(/\s+/g, " ") })));
  check(top[0]?.id === "constanta" && first.id === "constanta" && top[0].text.includes(percent(first.lost_share)) && top[0].text.includes("cuts constanta"), `the most critical element is ranked first (Constanța, ${percent(first.lost_share)} lost)`, JSON.stringify(top));
  check((await page.textContent("#results .cards")).includes(tonnes(job.result.base.max_flow)), "the base maximum flow is shown");
  const drawn = await rendered(page, ["crit-line", "crit-points"]);
  check(drawn.some((p) => p.id === "constanta" && p.rank === 1) && drawn.some((p) => p.kind === "link") && drawn.every((p) => p.lost > 0 || !p.connected || p.cost_change || p.cut_off),
    "the elements whose closure changes something are coloured on the map", `${drawn.length} drawn`);
  const badge = await page.$eval('.share-badge.crit[data-id="constanta"]', (b) => b.textContent).catch(() => "");
  check(badge === `#1 ${percent(first.lost_share)}`, "the most critical carry their rank and share lost on the map", badge);
  check((await page.textContent("#legend")).includes("Maximum flow lost when closed"), "the legend explains the colours");
  await shot(page, "criticality-grain");
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click('#results [data-dl="1"]')]);
  const csv = fs.readFileSync(await dl.path(), "utf8").split("\r\n");
  check(csv[0] === "rank,kind,id,name,used,max_flow,lost,lost_share,cost_per_unit,cost_change,connected,cut_off,exact" && csv[1].startsWith("1,node,constanta,"),
    "the ranking downloads as the CLI's CSV columns", csv.slice(0, 2).join(" | "));

  // The poll held past the cancel may ask for a job the server has
  // already forgotten (it had finished: DELETE answered 204). The page
  // reads that 404 as cancelled; the browser logs it all the same.
  const forgotten = [];
  const on404 = (r) => { if (r.status() === 404 && r.request().method() === "GET" && r.url().includes("/api/jobs/")) forgotten.push(r.url()); };
  page.on("response", on404);
  hold();
  await page.click("#cap-criticality");
  await page.waitForSelector("#job-cancel:enabled");
  const [del] = await Promise.all([
    page.waitForRequest((r) => r.method() === "DELETE" && r.url().includes("/api/jobs/")),
    page.click("#job-cancel"),
  ]);
  gate?.open();
  await page.waitForSelector("#results .job.cancelled");
  check(del.url().includes(`/api/jobs/`) && (await page.textContent("#results")).includes("cancelled"), "Cancel deletes the job and the page says it was cancelled", del.url());
  check((await rendered(page, ["crit-line", "crit-points"])).length === 0 && !(await page.isDisabled("#cap-submit")), "a cancelled job draws nothing and frees the buttons");
  await page.unroute("**/api/jobs/*", holdPolls);
  page.off("response", on404);
  for (const _ of forgotten) {
    const i = consoleErrors.findIndex((e) => /status of 404/.test(e));
    if (i >= 0) consoleErrors.splice(i, 1);
  }
}

/**
 * Holds the page's job polls (GETs of /api/jobs/*) until `release()`, so a
 * job's progress can be checked however fast the server answers; `stop()`
 * lets them through again and drops the browser's notes of held polls that
 * found the job forgotten (a 404: a cancel that came after it finished).
 */
async function holdPolls(page, consoleErrors) {
  let release;
  const gate = new Promise((r) => { release = r; });
  const hold = async (route) => {
    if (route.request().method() === "GET") await gate;
    await route.continue();
  };
  const forgotten = [];
  const on404 = (r) => { if (r.status() === 404 && r.request().method() === "GET" && r.url().includes("/api/jobs/")) forgotten.push(r.url()); };
  await page.route("**/api/jobs/*", hold);
  page.on("response", on404);
  return {
    release,
    async stop() {
      release();
      await page.unroute("**/api/jobs/*", hold);
      page.off("response", on404);
      for (const _ of forgotten) {
        const i = consoleErrors.findIndex((e) => /status of 404/.test(e));
        if (i >= 0) consoleErrors.splice(i, 1);
      }
    },
  };
}

/** The answer of the next poll that finds a job done. */
function jobDone(page) {
  return page.waitForResponse(async (r) => r.request().method() === "GET" && r.url().includes("/api/jobs/") && r.ok() && (await r.json()).status === "done")
    .then((r) => r.json());
}

/** The next capacity question the page asks, and its answer. */
function capacityAsked(page) {
  return page.waitForResponse((r) => new URL(r.url()).pathname.endsWith("/capacity") && r.request().method() === "POST")
    .then(async (r) => ({ query: r.request().postDataJSON(), answer: await r.json() }));
}

/**
 * A sweep of two of the example's scenarios, every combination, as a job:
 * its progress, then the table of points with the best marked, the map
 * showing the chosen point's flows and bottlenecks (the capacity answer of
 * that point, which must agree with the sweep's row), a CSV download, and
 * a second sweep cancelled. The figures come from the answers received.
 */
async function sweep(page, consoleErrors) {
  console.log("a scenario sweep as a job: the points, the best, the map of a point, cancel");
  const ticked = ["restore-black-sea-ports", "romanian-gauge-capacity"];
  for (const n of ticked) await page.check(`input[name=scenario][value="${n}"]`);
  await page.check("#sweep-grid");
  const polls = await holdPolls(page, consoleErrors);
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/sweep") && r.request().method() === "POST"),
    page.click("#cap-sweep"),
  ]);
  const asked = post.request().postDataJSON();
  check(post.status() === 202 && (await post.json()).question === "sweep" && asked.grid === true && JSON.stringify(asked.scenarios) === JSON.stringify(ticked),
    "the sweep of the ticked scenarios is asked as a job (202 Accepted)", JSON.stringify(asked));
  await page.waitForSelector("#results .job progress");
  check(/rows|queued/.test(await page.textContent("#results .job")) && (await page.isEnabled("#job-cancel")), "the sweep's progress is shown with a Cancel button");
  const done = jobDone(page);
  const point = capacityAsked(page);
  polls.release();
  const r = (await done).result;
  await polls.stop();
  await page.waitForSelector("#results table.sweep");
  const rows = await page.$$eval("#results table.sweep tbody tr", (rs) => rs.map((x) => ({ cls: x.className, text: x.textContent.replace(/\s+/g, " ") })));
  check(rows.length === r.rows.length && r.rows.length === 2 ** ticked.length, `one row per point of the grid (${r.rows.length})`);
  const ok = r.rows.map((x, i) => [x, i]).filter(([x]) => !x.error);
  const [bestRow, best] = ok.reduce((a, b) => (b[0].max_flow > a[0].max_flow ? b : a));
  check(rows[best].cls.includes("best") && rows[best].text.includes("best") && rows[best].text.includes(tonnes(bestRow.max_flow)) && rows.filter((x) => x.cls.includes("best")).length === 1,
    `the best point is marked (${bestRow.scenarios.join(" + ") || "base"}, ${tonnes(bestRow.max_flow)} t/day)`, JSON.stringify(rows[best]));
  check(r.rows.every((x, i) => x.error || rows[i].text.includes(tonnes(x.max_flow))), "every point shows its maximum flow");
  const first = await point;
  check(JSON.stringify(first.query.scenarios) === JSON.stringify(bestRow.scenarios) && tonnes(first.answer.result.max_flow) === tonnes(bestRow.max_flow),
    "the map draws the best point: its capacity answer agrees with the sweep's row", `${first.answer.result.max_flow} vs ${bestRow.max_flow}`);
  await page.waitForFunction(() => document.querySelector("#sweep-point")?.textContent.length > 0);
  const drawn = await rendered(page, ["cap-line", "cap-points"]);
  check(drawn.length > 0 && drawn.some((p) => p.bottleneck && p.id === first.answer.result.bottlenecks[0].id), "the point's flows and bottlenecks are on the map", `${drawn.length} drawn`);
  await shot(page, "sweep-grain");
  // Another point: the base.
  const base = r.rows.findIndex((x) => x.scenarios.length === 0);
  const again = capacityAsked(page);
  await page.click(`#results table.sweep tr[data-i="${base}"]`);
  const second = await again;
  await page.waitForFunction((t) => document.querySelector("#sweep-point")?.textContent.includes(t), tonnes(second.answer.result.max_flow));
  check(second.query.scenarios.length === 0 && tonnes(second.answer.result.max_flow) === tonnes(r.rows[base].max_flow) && (await page.getAttribute(`#results table.sweep tr[data-i="${base}"]`, "aria-selected")) === "true",
    "choosing a row draws that point (the base)", await page.textContent("#sweep-point"));
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click('#results [data-dl="0"]')]);
  const csv = fs.readFileSync(await dl.path(), "utf8").trim().split("\r\n");
  check(csv[0] === "commodity,scenarios,max_flow,unit,ratio,cost_per_unit,exact,bottleneck_kind,bottleneck_id,bottleneck_capacity,error" && csv.length === r.rows.length + 1,
    "the sweep downloads as the CLI's CSV columns", csv.slice(0, 2).join(" | "));
  // A cancelled sweep says so, and draws nothing.
  const held = await holdPolls(page, consoleErrors);
  await page.click("#cap-sweep");
  await page.waitForSelector("#job-cancel:enabled");
  await Promise.all([page.waitForRequest((q) => q.method() === "DELETE" && q.url().includes("/api/jobs/")), page.click("#job-cancel")]);
  held.release();
  await page.waitForSelector("#results .job.cancelled");
  check((await page.textContent("#results")).includes("cancelled") && (await rendered(page, ["cap-line", "cap-points"])).length === 0, "a cancelled sweep is said so and draws nothing");
  await held.stop();
  for (const n of ticked) await page.uncheck(`input[name=scenario][value="${n}"]`);
  await page.uncheck("#sweep-grid");
}

/**
 * Investment screening of the example's projects.toml within a budget, as
 * a job: the chosen portfolio with its cost and gain, the projects ranked
 * by capacity per cost, the map marking what the chosen projects build;
 * then a negative budget, refused in the server's words at its field.
 */
async function invest(page, consoleErrors) {
  console.log("investment screening as a job: the portfolio, the ranking, the map");
  const projects = await page.evaluate(() => window.corridorApp.state.projects);
  check(projects.projects.length > 0 && (await page.$$("input[name=project]:checked")).length === projects.projects.length, "the network's candidate projects are offered, all ticked", projects.projects.map((p) => p.name).join(", "));
  check((await page.inputValue("#invest-budget")) !== "", "the example's budget is filled in");
  const done = jobDone(page); // the first poll may come at once
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/invest") && r.request().method() === "POST"),
    page.click("#cap-invest"),
  ]);
  const asked = post.request().postDataJSON();
  check(post.status() === 202 && asked.budget === Number(await page.inputValue("#invest-budget")) && asked.projects.length === projects.projects.length && asked.elements === undefined,
    "invest is asked as a job with the budget and the projects as the API takes them", JSON.stringify({ budget: asked.budget, n: asked.projects.length }));
  const r = (await done).result;
  await page.waitForSelector("#results table.ranking");
  const best = r.best;
  const cards = await page.textContent("#results .cards");
  check(cards.includes(tonnes(best.added)) && cards.includes(tonnes(best.max_flow)) && cards.includes(tonnes(r.base_max_flow)),
    `the gain and the capacity with the chosen projects are shown (+${tonnes(best.added)} t/day)`, cards.replace(/\s+/g, " "));
  const portfolio = await page.$$eval("#results table.portfolio tbody tr", (rs) => rs.map((x) => x.dataset.project));
  check(JSON.stringify(portfolio) === JSON.stringify(best.projects), "the chosen portfolio is listed", portfolio.join(" + "));
  check((await page.textContent("#results table.portfolio tfoot")).includes(money(best.cost)), "the portfolio's cost is shown", money(best.cost));
  const ranking = await page.$$eval("#results table.ranking tbody tr", (rs) => rs.map((x) => ({ name: x.dataset.project, chosen: x.textContent.includes("chosen") })));
  const top = r.projects.filter((p) => !p.error).reduce((a, b) => (b.added_per_cost > a.added_per_cost ? b : a));
  check(ranking.length === r.projects.length && ranking[0].name === top.name && ranking.every((x) => x.chosen === best.projects.includes(x.name)),
    `the projects are ranked by capacity per cost (${top.name} first), the chosen marked`, JSON.stringify(ranking));
  const marked = await rendered(page, ["proj-points", "proj-line"]);
  const withElements = best.projects.filter((n) => projects.elements[n]?.length);
  const chosenDrawn = new Set(marked.filter((p) => p.chosen).map((p) => p.project));
  check(withElements.length > 0 && withElements.every((n) => chosenDrawn.has(n)) && marked.filter((p) => p.chosen).every((p) => best.projects.includes(p.project)),
    "the map marks what each chosen project builds", [...chosenDrawn].join(", "));
  const badges = await page.$$eval(".share-badge.invest[data-id]", (bs) => bs.map((b) => b.textContent));
  check(badges.length > 0 && badges.every((t) => best.projects.includes(t)), "the chosen projects are named on the map", badges.join(", "));
  check((await page.textContent("#legend")).includes("Investments"), "the legend explains the marks");
  await shot(page, "invest-grain");
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click('#results [data-dl="1"]')]);
  const csv = fs.readFileSync(await dl.path(), "utf8").trim().split("\r\n");
  check(csv[0] === "project,scenario,cost,max_flow,added,added_per_cost,raises_only,chosen,error,note" && csv.length === r.projects.length + 1,
    "the screening downloads as the CLI's CSV columns", csv[0]);

  // A budget the server refuses: its words, at the field, never a blank panel.
  const budget = await page.inputValue("#invest-budget");
  await page.fill("#invest-budget", "-5");
  const [refused] = await Promise.all([
    page.waitForResponse((x) => x.url().endsWith("/invest") && x.request().method() === "POST"),
    page.click("#cap-invest"),
  ]);
  const said = await refused.json();
  await page.waitForSelector("#results .error");
  const err = await page.textContent("#results .error");
  check(refused.status() === 422 && said.field === "budget" && err.includes(said.error) && err.includes("budget"), "a negative budget is refused in the server's words", err);
  check((await page.getAttribute("#invest-budget", "aria-invalid")) === "true" && (await rendered(page, ["proj-points", "proj-line"])).length === 0, "the budget field is marked and the map cleared");
  await page.fill("#invest-budget", budget);
  const i = consoleErrors.findIndex((e) => /status of 422/.test(e));
  if (i >= 0) consoleErrors.splice(i, 1); // the browser's note of the refusal
}

/** Sea lanes across ±180° come as MultiLineStrings; the page must treat them as lines. */
async function antimeridian(page) {
  console.log("a network across ±180° (MultiLineString links)");
  await pickNetwork(page, "pacific");
  const geo = await page.evaluate(async () => (await fetch("api/networks/pacific/geojson")).json());
  const multi = geo.features.filter((f) => f.geometry?.type === "MultiLineString").map((f) => f.properties.id);
  check(multi.includes("sea-suva-apia") && multi.includes("sea-suva-nukualofa"), "the export splits the lanes at ±180°", multi.join(", "));
  const lanes = new Set((await rendered(page, ["net-water"])).map((p) => p.id));
  check(lanes.has("sea-suva-apia") && lanes.has("sea-suva-nukualofa") && lanes.has("sea-nukualofa-apia"), "split lanes are drawn", [...lanes].join(", "));
  const view = await page.evaluate(() => {
    const b = window.corridorApp.map.getBounds();
    return { west: b.getWest(), east: b.getEast() };
  });
  const across = [-180, 180].some((x) => view.west < x && x < view.east);
  check(view.east - view.west < 90 && across, "the map fits the network the short way across ±180°", JSON.stringify(view));
  const labels = await page.$$eval(".node-label", (ls) => ls.filter((l) => l.style.visibility !== "hidden").map((l) => l.textContent));
  check(labels.includes("Suva port") && labels.includes("Apia port"), "node names on both sides are labelled", labels.join(", "));
  const mid = await page.evaluate(() => {
    const at = window.corridorApp.state.index.positionOf("link", "sea-suva-apia");
    const p = at && window.corridorApp.cmap.projectNear(at);
    return { at, p: p && { x: p.x, y: p.y } };
  });
  check(mid.at?.length === 2 && mid.at.every(Number.isFinite), "a split lane has a middle point for its label", JSON.stringify(mid.at));
  const box = await page.locator("#map").boundingBox();
  await page.mouse.move(box.x + mid.p.x, box.y + mid.p.y);
  await page.waitForSelector(".maplibregl-popup");
  const tip = await page.textContent(".maplibregl-popup");
  check(tip.includes("sea-suva-apia") && tip.includes("Suva port") && tip.includes("Apia port"), "hovering a split lane describes it", tip);
  await page.mouse.move(0, 0);

  await page.check("input[name=mode][value=capacity]");
  for (const [input, place] of [["#cap-from-input", "suva"], ["#cap-to-input", "apia"]]) {
    await page.fill(input, place);
    await page.press(input, "Enter");
  }
  await page.click("#cap-submit");
  await page.waitForSelector("#results table.bottlenecks");
  const ids = await page.$$eval("#results table.bottlenecks tbody tr", (rs) => rs.map((r) => r.dataset.id));
  check(ids.includes("sea-suva-apia"), "the split lane is a bottleneck", ids.join(", "));
  const cap = await rendered(page, ["cap-line"]);
  check(cap.some((p) => p.id === "sea-suva-apia" && p.bottleneck), "the split bottleneck is drawn on the capacity overlay", cap.map((p) => p.id).join(", "));
  const badge = await page.$eval('.share-badge[data-id="sea-suva-apia"]', (b) => b.style.visibility !== "hidden").catch(() => false);
  check(badge, "the split bottleneck carries its share of the cut on the map");
  const fitted = await page.evaluate(() => {
    const b = window.corridorApp.map.getBounds();
    return { west: b.getWest(), east: b.getEast() };
  });
  check(fitted.east - fitted.west < 90, "the capacity overlay is fitted the short way across ±180°", JSON.stringify(fitted));
  await shot(page, "capacity-pacific");
  await page.click('#results table.bottlenecks tbody tr[data-id="sea-suva-apia"]');
  await page.waitForFunction(() => !window.corridorApp.map.isMoving());
  const c = await page.evaluate(() => window.corridorApp.map.getCenter().lng);
  const off = (((c - mid.at[0]) % 360) + 540) % 360 - 180;
  check(Math.abs(off) < 0.5, "choosing the split lane's row centres the map on its middle", `centre ${c}, middle ${mid.at[0]}`);
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(port);
  let browser;
  const consoleErrors = [];
  try {
    const health = await waitHealthy(base, server);
    console.log(`server healthy: ${JSON.stringify(health)}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.setDefaultTimeout(TIMEOUT);
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
    await run(page, base, consoleErrors);
    console.log(`browser test passed: ${passed} checks`);
  } catch (e) {
    console.error(e.message || e);
    if (consoleErrors.length) console.error(`console errors:\n  ${consoleErrors.join("\n  ")}`);
    process.exitCode = 1;
  } finally {
    await browser?.close();
    stopServer(server);
  }
}

main();
