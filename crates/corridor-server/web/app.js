// The Corridor map page: wires the question panel, the map and the results
// together. A question is sent to `corridor serve` exactly as the API
// contract (docs/api.md) defines it; the answer is drawn on the map, shown as
// tables, and kept so it can be downloaded as GeoJSON or CSV. No framework:
// plain ES modules, MapLibre vendored under vendor/.

import { api, ApiError } from "./js/api.js";
import { paretoChart } from "./js/chart.js";
import { renderLegend } from "./js/legend.js";
import { CorridorMap } from "./js/map.js";
import { NetworkIndex } from "./js/network.js";
import { parseDemand, PRESETS } from "./js/presets.js";
import * as R from "./js/results.js";
import { download, esc, html, list, num } from "./js/util.js";

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

const OBJECTIVES = [
  ["cost", "cost (money)"],
  ["time", "time (hours)"],
  ["distance", "distance (km)"],
  ["co2", "CO₂"],
  ["generalised", "generalised cost"],
];

const state = {
  networks: [],
  net: null, // the /api/networks summary of the current network
  index: null, // NetworkIndex
  mode: "route",
  pick: null, // explicit map-pick target, or null for the mode's default
  nextRouteEnd: "from",
  capFrom: [],
  capTo: [],
  results: {}, // mode -> {title, body(), map(), downloads}
  busy: 0,
  job: null, // the long question being followed: {id, cancelled}
  projects: null, // the network's /projects answer (candidate investments)
};

let cmap;

// ---------------------------------------------------------------- start

async function start() {
  fillObjectives();
  bindPanel();
  const ready = new Promise((resolve) => {
    cmap = new CorridorMap($("#map"), { onPick: onMapPick, onReady: resolve });
  });
  let networks;
  try {
    [networks] = await Promise.all([busy(api.networks()), ready]);
  } catch (e) {
    showError(e);
    return;
  }
  state.networks = networks;
  const sel = $("#network");
  sel.innerHTML = networks.map((n) => `<option value="${esc(n.name)}">${esc(n.name)}</option>`).join("");
  if (!networks.length) {
    showError(new ApiError(0, "The server serves no network."));
    return;
  }
  const wanted = new URLSearchParams(location.hash.slice(1)).get("network");
  sel.value = networks.some((n) => n.name === wanted) ? wanted : networks[0].name;
  await loadNetwork(sel.value);
  window.corridorApp.ready = true;
}

function fillObjectives() {
  for (const s of $$("select.objective")) {
    const def = s.id === "assign-minimize" ? "generalised" : "cost";
    s.innerHTML = OBJECTIVES.map(([v, l]) => `<option value="${v}"${v === def ? " selected" : ""}>${l}</option>`).join("");
  }
}

async function loadNetwork(name) {
  const net = state.networks.find((n) => n.name === name);
  let geo, scenarios, projects;
  try {
    [geo, scenarios, projects] = await busy(Promise.all([api.geojson(name), net.scenarios?.length ? api.scenarios(name) : [], api.projects(name)]));
  } catch (e) {
    showError(e);
    return;
  }
  stopJob();
  state.net = net;
  state.index = new NetworkIndex(geo);
  state.results = {};
  history.replaceState(null, "", `#network=${encodeURIComponent(name)}`);
  const c = state.index;
  const count = (x) => num(Array.isArray(x) ? x.length : x);
  $("#net-summary").textContent = `${count(net.nodes)} nodes · ${count(net.links)} links · ${count(net.terminals)} terminals · ${count(net.borders)} borders`;
  $("#node-list").innerHTML = [...c.nodes.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((n) => `<option value="${esc(n.id)}">${esc(n.name)} · ${esc(n.kind)}${n.country ? " · " + esc(n.country) : ""}</option>`)
    .join("");
  for (const s of $$("select.commodity")) {
    s.innerHTML = net.commodities.map((x) => `<option value="${esc(x)}">${esc(x)}</option>`).join("");
  }
  fillScenarios(scenarios);
  fillProjects(projects);
  applyPresets(name);
  cmap.setNetwork(geo, net.bbox, c);
  showMode(state.mode);
}

function fillScenarios(scenarios) {
  const box = $("#scenario-list");
  if (!scenarios.length) {
    box.innerHTML = `<span class="muted">This network has no scenario files.</span>`;
    $("#scenario-hint").textContent = "";
    return;
  }
  $("#scenario-hint").textContent = "(applied in order)";
  box.innerHTML = scenarios.map((s) => `<label><input type="checkbox" name="scenario" value="${esc(s.name)}">
    <span class="name">${esc(s.name)}</span><span class="desc">${esc(s.description || s.file)} · ${s.edits} edit${s.edits === 1 ? "" : "s"}</span></label>`).join("");
}

function fillProjects(projects) {
  state.projects = projects;
  const list = projects?.projects || [];
  $("#invest-box").hidden = !list.length;
  $("#invest-unit").textContent = projects?.cost_unit ? `(${projects.cost_unit})` : "";
  $("#invest-projects").innerHTML = list.map((p) => `<label><input type="checkbox" name="project" value="${esc(p.name)}" checked>
    <span class="name">${esc(p.name)} · ${num(p.cost, 2)}${projects.cost_unit ? " " + esc(projects.cost_unit) : ""}</span><span class="desc">${esc(p.note || p.scenario)}</span></label>`).join("");
}

function applyPresets(name) {
  const p = PRESETS[name] || {};
  const c = state.index;
  const known = (id) => c.nodes.has(id);
  $("#route-from").value = p.route && known(p.route.from) ? p.route.from : "";
  $("#route-to").value = p.route && known(p.route.to) ? p.route.to : "";
  if (p.route?.commodity && state.net.commodities.includes(p.route.commodity)) $("#route-commodity").value = p.route.commodity;
  resolvePlace("from");
  resolvePlace("to");
  state.capFrom = [];
  state.capTo = [];
  renderChips();
  const cap = p.capacity;
  $("#cap-preset-row").hidden = !cap;
  if (cap) $("#cap-preset").textContent = `Use: ${cap.label}`;
  const demandOk = p.demand && parseDemand(p.demand).rows.every((r) => known(r.origin) && known(r.destination));
  $("#assign-preset").hidden = !demandOk;
  $("#invest-budget").value = p.invest?.budget ?? "";
  if ($("#assign-demand").dataset.network !== name) {
    $("#assign-demand").value = demandOk ? p.demand : "origin,destination,commodity,t_per_day\n";
    $("#assign-demand").dataset.network = name;
  }
}

// ---------------------------------------------------------------- panel

function bindPanel() {
  $("#network").addEventListener("change", (e) => loadNetwork(e.target.value));
  for (const r of $$("input[name=mode]")) r.addEventListener("change", () => showMode(r.value));
  $("#route-form").addEventListener("submit", (e) => { e.preventDefault(); runRoute(); });
  $("#capacity-form").addEventListener("submit", (e) => { e.preventDefault(); runCapacity(); });
  $("#assign-form").addEventListener("submit", (e) => { e.preventDefault(); runAssign(); });
  $("#cap-compare").addEventListener("click", () => runCompare());
  $("#cap-criticality").addEventListener("click", () => runCriticality());
  $("#cap-sweep").addEventListener("click", () => runSweep());
  $("#cap-invest").addEventListener("click", () => runInvest());
  for (const end of ["from", "to"]) {
    $(`#route-${end}`).addEventListener("input", () => resolvePlace(end));
  }
  for (const b of $$("button.pick")) {
    b.addEventListener("click", () => setPick(state.pick === b.dataset.pick ? null : b.dataset.pick));
  }
  for (const [side, input] of [["capFrom", "#cap-from-input"], ["capTo", "#cap-to-input"]]) {
    $(input).addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.target.value.trim()) {
        e.preventDefault();
        addChip(side, e.target.value);
        e.target.value = "";
      }
    });
    $(input).addEventListener("change", (e) => {
      // picking a suggestion from the list adds it at once
      if (state.index?.nodes.has(e.target.value.trim())) {
        addChip(side, e.target.value);
        e.target.value = "";
      }
    });
  }
  $("#cap-preset").addEventListener("click", () => {
    const cap = PRESETS[state.net.name]?.capacity;
    if (!cap) return;
    state.capFrom = cap.from.map((place) => ({ place }));
    state.capTo = cap.to.map((place) => ({ place }));
    if (cap.commodity) $("#cap-commodity").value = cap.commodity;
    renderChips();
  });
  $("#assign-preset").addEventListener("click", () => {
    $("#assign-demand").value = PRESETS[state.net.name].demand;
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.pick) setPick(null);
  });
}

function showMode(mode) {
  state.mode = mode;
  $(`input[name=mode][value=${mode}]`).checked = true;
  for (const f of $$(".mode-form")) f.hidden = f.dataset.mode !== mode;
  setPick(null);
  const r = state.results[mode];
  if (r) r.show();
  else {
    cmap.clearOverlay();
    $("#results").innerHTML = `<div class="results-empty muted">${emptyText(mode)}</div>`;
    updateLegend();
  }
}

function emptyText(mode) {
  if (mode === "route") return "Set an origin and a destination (type a name, or click the map), then press Enter.";
  if (mode === "capacity") return "Add origins and destinations (type, click the map or use the preset), then Compute capacity — or tick scenarios and Compare or Sweep them, or choose investments within a budget.";
  return "Give a demand (or load the preset) and press Assign demand: flows are drawn as line widths.";
}

function scenarios() {
  return $$("input[name=scenario]:checked").map((i) => i.value);
}

function resolvePlace(end) {
  const v = $(`#route-${end}`).value.trim();
  const out = $(`#route-${end}-resolved`);
  const c = state.index;
  if (!v || !c) { out.textContent = ""; return; }
  let n = c.nodes.get(v);
  if (!n) n = [...c.nodes.values()].find((x) => x.name.toLowerCase() === v.toLowerCase());
  if (n) out.textContent = `${n.name} · ${n.kind}${n.country ? " · " + n.country : ""}`;
  else if (/^-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?$/.test(v)) out.textContent = "a point: snapped to the nearest node";
  else out.textContent = "not a node id or name here (a UN/LOCODE may still match)";
}

// ---------------------------------------------------------------- picking on the map

function defaultPick() {
  if (state.mode === "route") return state.nextRouteEnd;
  if (state.mode === "capacity") return state.capFrom.length && !state.capTo.length ? "cap-to" : "cap-from";
  return null;
}

function setPick(target) {
  state.pick = target;
  for (const b of $$("button.pick")) b.setAttribute("aria-pressed", String(b.dataset.pick === target));
  const t = target || defaultPick();
  const hint = $("#pick-hint");
  const words = { from: "set the origin (A)", to: "set the destination (B)", "cap-from": "add an origin", "cap-to": "add a destination" };
  hint.textContent = t ? `Click the map to ${words[t]}${target ? " · Esc to stop" : ""}` : "";
  hint.classList.toggle("on", Boolean(t) && Boolean(target));
  if (cmap) cmap.pickTarget = target;
}

function onMapPick(node) {
  const t = state.pick || defaultPick();
  if (!t) return;
  if (t === "from" || t === "to") {
    $(`#route-${t}`).value = node.id;
    resolvePlace(t);
    state.nextRouteEnd = t === "from" ? "to" : "from";
    if (state.pick) setPick(t === "from" ? "to" : null);
  } else {
    addChip(t === "cap-from" ? "capFrom" : "capTo", node.id);
  }
}

// ---------------------------------------------------------------- chips (capacity endpoints)

function addChip(side, text) {
  const [place, limitText] = text.split("=").map((s) => s.trim());
  if (!place) return;
  const item = { place };
  if (limitText) {
    const limit = Number(limitText);
    if (!Number.isFinite(limit) || limit < 0) {
      showError(new ApiError(0, `"${limitText}" is not a limit in t/day (write place=5000)`, side === "capFrom" ? "from" : "to"), "capacity");
      return;
    }
    item.limit = limit;
  }
  const listRef = state[side];
  const at = listRef.findIndex((x) => x.place === place);
  if (at >= 0) listRef[at] = item;
  else listRef.push(item);
  renderChips();
}

function renderChips() {
  for (const [side, ul] of [["capFrom", "#cap-from-chips"], ["capTo", "#cap-to-chips"]]) {
    const el = $(ul);
    el.innerHTML = state[side].map((x, i) => {
      const label = `${state.index?.nodeName(x.place) || x.place}${x.limit !== undefined ? ` ≤ ${num(x.limit)} t/day` : ""}`;
      return `<li title="${esc(x.place)}">${esc(label)}<button type="button" data-i="${i}" aria-label="Remove ${esc(label)}">×</button></li>`;
    }).join("");
    for (const b of $$("button", el)) {
      b.addEventListener("click", () => {
        state[side].splice(Number(b.dataset.i), 1);
        renderChips();
        $(side === "capFrom" ? "#cap-from-input" : "#cap-to-input").focus();
      });
    }
  }
}

const endpoint = (x) => (x.limit !== undefined ? { place: x.place, limit: x.limit } : x.place);

// ---------------------------------------------------------------- asking

const ASK_BUTTONS = "button.primary, #cap-compare, #cap-criticality, #cap-sweep, #cap-invest";

async function busy(promise) {
  state.busy++;
  $("#busy").textContent = "Computing…";
  for (const b of $$(ASK_BUTTONS)) b.disabled = true;
  try {
    return await promise;
  } finally {
    if (--state.busy === 0) {
      $("#busy").textContent = "";
      for (const b of $$(ASK_BUTTONS)) b.disabled = false;
    }
  }
}

const FIELD_INPUTS = {
  route: { from: "#route-from", to: "#route-to", commodity: "#route-commodity", tonnes: "#route-tonnes", minimize: "#route-minimize", via: "#route-via", avoid: "#route-avoid", scenarios: "#scenarios" },
  capacity: { from: "#cap-from-input", to: "#cap-to-input", commodity: "#cap-commodity", commodities: "#cap-commodity", minimize: "#cap-minimize", scenarios: "#scenarios", grid: "#sweep-grid", budget: "#invest-budget", projects: "#invest-projects" },
  assign: { demand: "#assign-demand", method: "#assign-method", gap: "#assign-gap", max_iter: "#assign-maxiter", minimize: "#assign-minimize", scenarios: "#scenarios" },
};

function clearInvalid() {
  for (const el of $$("[aria-invalid=true]")) el.removeAttribute("aria-invalid");
}

/** Shows an API (or local) error in the server's words; marks its field. */
function showError(e, mode = state.mode) {
  const err = e instanceof ApiError ? e : new ApiError(0, String(e?.message || e));
  if (!(e instanceof ApiError)) console.warn(e);
  const head = err.status ? `Corridor could not answer (${err.status})` : "This question cannot be asked yet";
  const field = err.field ? ` — field “${err.field}”` : "";
  state.results[mode] = null;
  cmap?.clearOverlay();
  updateLegend();
  $("#results").innerHTML = `<div class="error" role="alert"><strong>${esc(head)}${esc(field)}</strong>${esc(err.message)}</div>`;
  const sel = err.field && FIELD_INPUTS[mode]?.[err.field.split(/[.[]/)[0]];
  if (sel === "#invest-projects") $("#invest-box").setAttribute("aria-invalid", "true");
  if (sel && $(sel)) $(sel).setAttribute("aria-invalid", "true");
}

function resultHeader(title, sub, downloads) {
  return html`<div class="res-head"><h2>${title}</h2><span class="muted">${sub}</span>
    <span class="actions">${downloads.map((d, i) => html`<button type="button" data-dl="${i}" title="Download ${d.file}">${d.label}</button>`)}</span></div>`.__raw;
}

function bindDownloads(root, downloads) {
  for (const b of $$("[data-dl]", root)) {
    b.addEventListener("click", () => {
      const d = downloads[Number(b.dataset.dl)];
      download(d.file, d.text(), d.type);
    });
  }
}

const geojsonDl = (file, data) => ({ label: "GeoJSON", file, type: "application/geo+json", text: () => JSON.stringify(data) });
const csvDl = (file, text) => ({ label: "CSV", file, type: "text/csv", text });
const jsonDl = (file, data) => ({ label: "JSON", file, type: "application/json", text: () => JSON.stringify(data, null, 2) });

/** Remembers a mode's result and shows it now. */
function present(mode, result) {
  state.results[mode] = result;
  result.show();
}

function updateLegend(extra = {}) {
  renderLegend($("#legend"), {
    index: state.index,
    overlay: cmap?.overlay,
    flowMax: cmap?.flowMax || 1,
    labels: cmap?.showLabels ?? true,
    onLabels: (on) => cmap.setLabels(on),
    ...extra,
  });
}

// ---------------------------------------------------------------- route

function numberField(sel, name, { min = 0, integer = false } = {}) {
  const raw = $(sel).value.trim();
  const v = Number(raw);
  if (raw === "" || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new ApiError(0, `${name}: "${raw}" is not ${integer ? "a whole number" : "a number"} ≥ ${min}`, name);
  }
  return v;
}

async function runRoute() {
  clearInvalid();
  const net = state.net.name;
  let q;
  try {
    q = {
      from: $("#route-from").value.trim(),
      to: $("#route-to").value.trim(),
      commodity: $("#route-commodity").value,
      tonnes: numberField("#route-tonnes", "tonnes"),
      minimize: $("#route-minimize").value,
      pareto: $("#route-pareto").checked,
      via: list($("#route-via").value),
      avoid: list($("#route-avoid").value),
      scenarios: scenarios(),
    };
    if (!q.from) throw new ApiError(0, "from: give an origin (type a node or click the map)", "from");
    if (!q.to) throw new ApiError(0, "to: give a destination", "to");
  } catch (e) {
    return showError(e, "route");
  }
  const withBase = q.scenarios.length > 0 && !q.pareto;
  try {
    const [ans, base] = await busy(Promise.all([
      api.route(net, q),
      withBase ? api.route(net, { ...q, scenarios: [] }) : null,
    ]));
    if (ans.result.itineraries) presentPareto(q, ans, 0);
    else presentRoute(q, ans, base);
  } catch (e) {
    showError(e, "route");
  }
}

function routeTitle(q) {
  const c = state.index;
  return [`${c.nodeName(q.from)} → ${c.nodeName(q.to)}`,
    `${num(q.tonnes)} t of ${q.commodity}, minimising ${q.minimize}${q.scenarios.length ? ` · scenarios: ${q.scenarios.join(" + ")}` : ""}`];
}

function ctx() {
  return { index: state.index, currency: state.index.currency };
}

function presentRoute(q, ans, base) {
  const it = ans.result;
  const [title, sub] = routeTitle(q);
  const stem = `route-${q.from}-${q.to}`;
  const downloads = [geojsonDl(`${stem}.geojson`, ans.geojson), csvDl(`${stem}.csv`, () => R.routeCsv(it, ctx())), jsonDl(`${stem}.json`, it)];
  present("route", {
    show() {
      const body = html`${R.totalsCards(it, ctx(), "hi")}
        ${base ? html`<h3>Base vs scenario</h3>${R.routeDiff(base.result, it, ctx())}<h3>Itinerary with the scenarios</h3>` : ""}
        ${R.legTable(it, ctx())}`;
      $("#results").innerHTML = resultHeader(title, sub, downloads) + body.__raw;
      bindDownloads($("#results"), downloads);
      cmap.showRoute(ans.geojson, { base: base?.geojson });
      updateLegend({ compare: Boolean(base) });
      cmap.fitOverlay();
    },
  });
}

function presentPareto(q, ans, selected) {
  const set = ans.result;
  const [title, sub] = routeTitle(q);
  const stem = `pareto-${q.from}-${q.to}`;
  const downloads = [geojsonDl(`${stem}.geojson`, ans.geojson), csvDl(`${stem}.csv`, () => R.routeCsv(set, ctx())), jsonDl(`${stem}.json`, set)];
  let current = selected;
  const select = (i, focusChart) => {
    current = i;
    const it = set.itineraries[i];
    $("#pareto-detail").innerHTML = html`<h3>Itinerary ${i + 1} of ${set.itineraries.length}: ${R.layersSummary(it)}</h3>${R.totalsCards(it, ctx(), "hi")}${R.legTable(it, ctx())}`.__raw;
    $("#pareto-list").innerHTML = R.paretoTable(set, i, ctx()).__raw;
    for (const tr of $$("#pareto-list tr[data-i]")) {
      const go = () => select(Number(tr.dataset.i), false);
      tr.addEventListener("click", go);
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); $(`#pareto-list tr[data-i="${tr.dataset.i}"]`)?.focus(); } });
    }
    const points = set.itineraries.map((x) => ({ cost: x.totals.cost, hours: x.totals.hours, label: R.layersSummary(x) }));
    paretoChart($("#pareto-chart"), points, i, state.index.currency, (j) => select(j, true));
    if (focusChart) $(`#pareto-chart .pt[data-i="${i}"]`)?.focus();
    cmap.selectItinerary(i);
    state.results.route.selected = i;
  };
  present("route", {
    show() {
      $("#results").innerHTML = resultHeader(`Pareto set: ${title}`, `${set.itineraries.length} itineraries, none both dearer and slower than another · ${sub}`, downloads)
        + `<div class="split"><div><div id="pareto-list"></div><div id="pareto-detail"></div></div>
           <figure class="chart"><figcaption>Cost against time: choose a point</figcaption><div id="pareto-chart"></div></figure></div>`;
      bindDownloads($("#results"), downloads);
      cmap.showRoute(ans.geojson, { itinerary: current });
      select(current, false);
      updateLegend();
      cmap.fitOverlay();
    },
  });
}

// ---------------------------------------------------------------- capacity and compare

function capacityQuery() {
  for (const [side, input] of [["capFrom", "#cap-from-input"], ["capTo", "#cap-to-input"]]) {
    if ($(input).value.trim()) { addChip(side, $(input).value); $(input).value = ""; }
  }
  if (!state.capFrom.length) throw new ApiError(0, "from: add at least one origin", "from");
  if (!state.capTo.length) throw new ApiError(0, "to: add at least one destination", "to");
  return {
    from: state.capFrom.map(endpoint),
    to: state.capTo.map(endpoint),
    commodity: $("#cap-commodity").value,
    minimize: $("#cap-minimize").value,
    scenarios: scenarios(),
  };
}

function focusRows(root) {
  for (const tr of $$("tr[data-id]", root)) {
    const go = () => {
      const at = cmap.positionOf(tr.dataset.kind, tr.dataset.id);
      if (at) cmap.map.easeTo({ center: at, zoom: Math.max(cmap.map.getZoom(), 6), duration: 400 });
      $$("tr.sel", root).forEach((x) => x.classList.remove("sel"));
      tr.classList.add("sel");
    };
    tr.addEventListener("click", go);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter") go(); });
  }
}

async function runCapacity() {
  clearInvalid();
  let q;
  try { q = capacityQuery(); } catch (e) { return showError(e, "capacity"); }
  try {
    const ans = await busy(api.capacity(state.net.name, q));
    const c = ans.result;
    const stem = `capacity-${state.net.name}-${c.commodity}`;
    const downloads = [geojsonDl(`${stem}.geojson`, ans.geojson), csvDl(`${stem}.csv`, () => R.capacityCsv(c)), jsonDl(`${stem}.json`, c)];
    const sub = `${c.commodity} from ${c.from.join(", ")} to ${c.to.join(", ")}${q.scenarios.length ? ` · scenarios: ${q.scenarios.join(" + ")}` : ""}`;
    present("capacity", {
      show() {
        const body = html`${R.capacityCards(c, "hi")}
          <h3>Bottlenecks — a minimum cut: raising any of these raises the maximum</h3>
          ${R.bottleneckTable(c.bottlenecks, c.unit)}${R.notes(c.notes)}
          <details class="more"><summary>Flow on every used element (${c.elements.length})</summary>${R.elementsTable(c.elements, c.unit)}</details>`;
        $("#results").innerHTML = resultHeader("Capacity", sub, downloads) + body.__raw;
        bindDownloads($("#results"), downloads);
        focusRows($("#results"));
        cmap.showCapacity(ans.geojson, c.bottlenecks.map((b) => ({ kind: b.kind, id: b.id, share: b.share, text: R.pctText(b.share), title: `${b.name}: ${R.pctText(b.share)} of the cut` })));
        updateLegend();
        cmap.fitOverlay();
      },
    });
  } catch (e) {
    showError(e, "capacity");
  }
}

async function runCompare() {
  clearInvalid();
  let q;
  try {
    q = capacityQuery();
    if (!q.scenarios.length) throw new ApiError(0, "scenarios: tick at least one scenario to compare with the base", "scenarios");
  } catch (e) { return showError(e, "capacity"); }
  try {
    const [r, scenGeo] = await busy(Promise.all([api.compare(state.net.name, q), api.capacity(state.net.name, q, "geojson")]));
    const stem = `compare-${state.net.name}-${r.scenarios.join("+")}`;
    const downloads = [geojsonDl(`${stem}-scenario.geojson`, scenGeo), csvDl(`${stem}.csv`, () => R.compareCsv(r)), jsonDl(`${stem}.json`, r)];
    const appeared = new Set(r.bottlenecks_appeared.map((b) => b.id));
    const badges = [
      ...r.scenario.bottlenecks.map((b) => ({ kind: b.kind, id: b.id, share: b.share, text: `${appeared.has(b.id) ? "new " : ""}${R.pctText(b.share)}`, cls: appeared.has(b.id) ? "new" : "", title: `${b.name}: ${R.pctText(b.share)} of the scenario's cut` })),
      ...r.bottlenecks_disappeared.map((b) => ({ kind: b.kind, id: b.id, share: 0, text: R.pctText(b.share), cls: "gone", title: `${b.name}: no longer a bottleneck` })),
    ];
    present("capacity", {
      show() {
        $("#results").innerHTML = resultHeader(`Base vs ${r.scenarios.join(" + ")}`, `capacity of ${r.base.commodity} from ${r.base.from.join(", ")} to ${r.base.to.join(", ")}; the map shows the scenario`, downloads)
          + R.compareView(r, ctx()).__raw;
        bindDownloads($("#results"), downloads);
        focusRows($("#results"));
        cmap.showCapacity(scenGeo, badges);
        updateLegend({ compare: true });
        cmap.fitOverlay();
      },
    });
  } catch (e) {
    showError(e, "capacity");
  }
}

// ---------------------------------------------------------------- criticality (a job)

const JOB_UNITS = { criticality: "elements closed", sweep: "rows", invest: "sets of projects evaluated" };

/** Shows a job's status: a progress bar of units done, and Cancel. */
function showJob(status, what) {
  const { done, total } = status.progress;
  const unit = JOB_UNITS[status.question] || "done";
  const count = status.status === "queued" ? "queued: waiting for a free slot"
    : total === null ? `${num(done)} ${unit}` : `${num(done)} of ${num(total)} ${unit}`;
  const bar = total === null ? `<progress aria-label="${esc(what)}"></progress>`
    : `<progress aria-label="${esc(what)}" max="${total}" value="${done}"></progress>`;
  const cancelling = state.job?.cancelled;
  $("#results").innerHTML = `<div class="res-head"><h2>${esc(what)}</h2><span class="muted">job ${esc(status.id)} · ${esc(status.status)}</span></div>
    <div class="job" role="status" aria-live="polite">${bar}<span class="count">${esc(count)}</span>
    <button type="button" id="job-cancel"${cancelling ? " disabled" : ""}>${cancelling ? "Cancelling…" : "Cancel"}</button></div>`;
  $("#job-cancel").addEventListener("click", () => cancelJob());
}

/** Asks the server to stop the job being followed (DELETE /api/jobs/{id}). */
async function cancelJob() {
  const job = state.job;
  if (!job || job.cancelled) return;
  job.cancelled = true;
  const b = $("#job-cancel");
  if (b) { b.disabled = true; b.textContent = "Cancelling…"; }
  try {
    // null: it had finished and the server forgot it, so no answer is kept.
    job.next = (await api.cancelJob(job.id)) ?? { status: "cancelled" };
  } catch (e) {
    console.warn(e); // the next poll says what became of it
  }
  job.wake?.();
}

/** Stops following the current job (a new network): the server stops it too. */
function stopJob() {
  const job = state.job;
  if (!job) return;
  state.job = null;
  if (!job.cancelled) api.cancelJob(job.id).catch(() => {});
  job.wake?.();
}

/**
 * Follows a job from its POST's 202 answer: polls `GET /api/jobs/{id}`
 * (every 200 ms at first, then up to every second), showing its progress,
 * until it is done (its `result`, the CLI's JSON), failed (thrown, in the
 * API's words) or cancelled (null, said in the results panel).
 */
async function followJob(status, what) {
  const job = { id: status.id, cancelled: false, wake: null, next: null };
  state.job = job;
  let wait = 200;
  for (;;) {
    if (state.job !== job) return null; // dropped for another network
    if (status.status === "done") break;
    if (status.status === "failed") {
      const e = status.error || {};
      throw new ApiError("job failed", e.error || "the job failed", e.field ?? null, e.obstacles ?? null);
    }
    if (status.status === "cancelled") break;
    showJob(status, what);
    await new Promise((resolve) => {
      const t = setTimeout(resolve, wait);
      job.wake = () => { clearTimeout(t); resolve(); };
    });
    job.wake = null;
    wait = Math.min(1000, wait * 1.5);
    if (state.job !== job) return null;
    try {
      status = job.next || (await api.job(job.id));
      job.next = null;
    } catch (e) {
      // A cancel that found the job finished made the server forget it.
      if (job.cancelled && e instanceof ApiError && e.status === 404) { status = { status: "cancelled" }; continue; }
      throw e;
    }
  }
  state.job = null;
  if (status.status === "done") return status.result;
  $("#results").innerHTML = `<div class="job cancelled" role="status"><strong>${esc(what)}: cancelled.</strong> No partial answer is kept; ask again to start over.</div>`;
  return null;
}

/** Where an element of the network is drawn: a link's line, a point's position. */
function elementGeometry(kind, id) {
  const c = state.index;
  if (kind === "link") {
    const coords = c.links.get(id)?.coords;
    if (!coords?.length) return null;
    return { type: Array.isArray(coords[0][0]) ? "MultiLineString" : "LineString", coordinates: coords };
  }
  const at = c.positionOf(kind, id);
  return at ? { type: "Point", coordinates: at } : null;
}

/** The elements whose closure changes something, ranked, as map features. */
function criticalityGeojson(r) {
  const features = [];
  r.elements.forEach((e, i) => {
    if (!R.hasEffect(e)) return;
    const geometry = elementGeometry(e.kind, e.id);
    if (!geometry) return;
    features.push({ type: "Feature", geometry, properties: { ...e, rank: i + 1, cut_off: e.cut_off.join(" ") } });
  });
  return { type: "FeatureCollection", features };
}

/**
 * Asks a long question of the capacity panel as a job (`post` sends it)
 * and follows it: its answer (the CLI's JSON), or null when it was
 * cancelled or refused (the panel then says so).
 */
async function askJob(post, what) {
  state.results.capacity = null;
  cmap.clearOverlay();
  updateLegend();
  try {
    return await busy((async () => followJob(await post(), what))());
  } catch (e) {
    showError(e, "capacity");
    return null;
  }
}

async function runCriticality() {
  clearInvalid();
  let q;
  try { q = capacityQuery(); } catch (e) { return showError(e, "capacity"); }
  const name = state.net.name;
  const what = "Criticality (N−1)";
  const r = await askJob(() => api.criticality(name, q), what);
  if (!r) return;
  const geo = criticalityGeojson(r);
  const stem = `criticality-${name}-${r.commodity}`;
  const downloads = [geojsonDl(`${stem}.geojson`, geo), csvDl(`${stem}.csv`, () => R.criticalityCsv(r)), jsonDl(`${stem}.json`, r)];
  const sub = `${r.commodity} from ${r.from.join(", ")} to ${r.to.join(", ")}: each element closed in turn${r.scenarios.length ? ` · scenarios: ${r.scenarios.join(" + ")}` : ""}`;
  const badges = geo.features.slice(0, 8).map((f) => {
    const e = f.properties;
    return { kind: e.kind, id: e.id, share: e.lost_share, text: `#${e.rank} ${R.pctText(e.lost_share)}`, cls: "crit", title: `${e.name}: closing it loses ${R.pctText(e.lost_share)} of the maximum flow` };
  });
  present("capacity", {
    show() {
      $("#results").innerHTML = resultHeader(what, sub, downloads) + R.criticalityView(r).__raw;
      bindDownloads($("#results"), downloads);
      focusRows($("#results"));
      cmap.showCriticality(geo, badges);
      updateLegend();
      cmap.fitOverlay();
    },
  });
}

// ---------------------------------------------------------------- sweep (a job)

async function runSweep() {
  clearInvalid();
  let q;
  try {
    const c = capacityQuery();
    if (!c.scenarios.length) throw new ApiError(0, "scenarios: tick the scenarios to sweep (the base is always the first point)", "scenarios");
    q = { from: c.from, to: c.to, commodities: [c.commodity], minimize: c.minimize, scenarios: c.scenarios, grid: $("#sweep-grid").checked };
  } catch (e) { return showError(e, "capacity"); }
  const name = state.net.name;
  const what = `Sweep of ${q.scenarios.join(", ")}${q.grid ? " (every combination)" : ""}`;
  const r = await askJob(() => api.sweep(name, q), what);
  if (!r) return;
  const best = R.bestSweepRow(r);
  const stem = `sweep-${name}${r.grid ? "-grid" : ""}`;
  const downloads = [csvDl(`${stem}.csv`, () => R.sweepCsv(r)), jsonDl(`${stem}.json`, r)];
  const sub = `maximum flow from ${r.from.join(", ")} to ${r.to.join(", ")}, cheapest by ${r.minimize}; the map shows the chosen point`;
  let selected = best;
  // One point's flows and bottlenecks: the capacity question of that row.
  const draw = async (i) => {
    const row = r.rows[i];
    const mine = state.results.capacity;
    if (!row || row.error) {
      cmap.clearOverlay();
      updateLegend();
      return;
    }
    let ans;
    try {
      ans = await busy(api.capacity(name, { from: q.from, to: q.to, commodity: row.commodity, minimize: q.minimize, scenarios: row.scenarios }));
    } catch (e) {
      if (state.results.capacity === mine) showError(e, "capacity");
      return;
    }
    if (state.results.capacity !== mine || selected !== i || state.mode !== "capacity") return; // asked again meanwhile
    const c = ans.result;
    mine.point = c;
    cmap.showCapacity(ans.geojson, c.bottlenecks.map((b) => ({ kind: b.kind, id: b.id, share: b.share, text: R.pctText(b.share), title: `${b.name}: ${R.pctText(b.share)} of the cut` })));
    updateLegend();
    cmap.fitOverlay();
    $("#sweep-point").textContent = `Map: ${R.sweepLabel(row)} (${row.commodity}), ${num(c.max_flow)} ${c.unit}`;
  };
  const select = (i) => {
    selected = i;
    for (const tr of $$("#results table.sweep tr[data-i]")) {
      const on = Number(tr.dataset.i) === i;
      tr.classList.toggle("sel", on);
      tr.setAttribute("aria-selected", String(on));
    }
    state.results.capacity.selected = i;
    return draw(i);
  };
  present("capacity", {
    show() {
      $("#results").innerHTML = resultHeader(what, sub, downloads) + R.sweepView(r, best, selected).__raw
        + `<p class="muted" id="sweep-point" role="status"></p>`;
      bindDownloads($("#results"), downloads);
      for (const tr of $$("#results table.sweep tr[data-i]")) {
        const go = () => select(Number(tr.dataset.i));
        tr.addEventListener("click", go);
        tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
      }
      cmap.clearOverlay();
      updateLegend();
      draw(selected);
    },
  });
}

// ---------------------------------------------------------------- invest (a job)

/**
 * The elements the projects change or add (the /projects answer's
 * `elements`), as map features: drawn where the network has them, else at
 * the node(s) they stand at.
 */
function projectsGeojson(r, elements) {
  const chosen = new Set(r.best?.projects || []);
  const features = [];
  for (const p of r.projects) {
    for (const e of elements?.[p.name] || []) {
      let geometry = elementGeometry(e.kind, e.id);
      if (!geometry) {
        const at = e.at.map((n) => state.index.nodes.get(n)?.coords).filter(Boolean);
        geometry = at.length > 1 ? { type: "LineString", coordinates: at } : at.length ? { type: "Point", coordinates: at[0] } : null;
      }
      if (!geometry) continue;
      features.push({ type: "Feature", geometry, properties: { project: p.name, chosen: chosen.has(p.name), kind: e.kind, id: e.id, cost: p.cost, added: p.added, note: p.note || "" } });
    }
  }
  return { type: "FeatureCollection", features };
}

async function runInvest() {
  clearInvalid();
  let q;
  try {
    const c = capacityQuery();
    const ticked = new Set($$("input[name=project]:checked").map((i) => i.value));
    const projects = (state.projects?.projects || []).filter((p) => ticked.has(p.name));
    if (!projects.length) throw new ApiError(0, "projects: tick at least one project", "projects");
    const text = $("#invest-budget").value.trim();
    if (!text) throw new ApiError(0, "budget: give the most the chosen projects may cost together", "budget");
    // A number the browser cannot read is refused here; any other (a
    // negative budget) is the server's to refuse, in its words.
    const budget = Number(text);
    if (!Number.isFinite(budget)) throw new ApiError(0, `budget: "${text}" is not a number`, "budget");
    q = { from: c.from, to: c.to, commodity: c.commodity, minimize: c.minimize, projects, budget };
    if (state.projects.cost_unit) q.cost_unit = state.projects.cost_unit;
  } catch (e) { return showError(e, "capacity"); }
  const name = state.net.name;
  const elements = state.projects.elements;
  const what = `Invest: budget ${num(q.budget, 2)}${q.cost_unit ? " " + q.cost_unit : ""}`;
  const r = await askJob(() => api.invest(name, q), what);
  if (!r) return;
  const geo = projectsGeojson(r, elements);
  const stem = `invest-${name}-${r.commodity}`;
  const downloads = [geojsonDl(`${stem}.geojson`, geo), csvDl(`${stem}.csv`, () => R.investCsv(r)), jsonDl(`${stem}.json`, r)];
  const sub = `${r.commodity} from ${r.from.join(", ")} to ${r.to.join(", ")}; the map marks what the chosen projects build`;
  const badges = geo.features.filter((f) => f.properties.chosen).map((f) => {
    const p = f.properties;
    return { kind: p.kind, id: p.id, share: p.added ?? 0, text: p.project, cls: "invest", title: `${p.project}: ${p.note}` };
  });
  present("capacity", {
    show() {
      $("#results").innerHTML = resultHeader(what, sub, downloads) + R.investView(r).__raw;
      bindDownloads($("#results"), downloads);
      for (const tr of $$("#results tr[data-project]")) {
        const go = () => {
          const f = geo.features.find((x) => x.properties.project === tr.dataset.project);
          const at = f && cmap.positionOf(f.properties.kind, f.properties.id, [geo]);
          if (at) cmap.map.easeTo({ center: at, zoom: Math.max(cmap.map.getZoom(), 6), duration: 400 });
          $$("#results tr.sel").forEach((x) => x.classList.remove("sel"));
          tr.classList.add("sel");
        };
        tr.addEventListener("click", go);
        tr.addEventListener("keydown", (e) => { if (e.key === "Enter") go(); });
      }
      cmap.showProjects(geo, badges);
      updateLegend();
      cmap.fitOverlay();
    },
  });
}

// ---------------------------------------------------------------- assignment

async function runAssign() {
  clearInvalid();
  let q;
  try {
    const { rows, errors } = parseDemand($("#assign-demand").value);
    if (errors.length) throw new ApiError(0, `demand: ${errors.join("; ")}`, "demand");
    if (!rows.length) throw new ApiError(0, "demand: give at least one row origin,destination,commodity,t_per_day", "demand");
    q = {
      demand: rows,
      method: $("#assign-method").value,
      gap: numberField("#assign-gap", "gap"),
      max_iter: numberField("#assign-maxiter", "max_iter", { min: 1, integer: true }),
      minimize: $("#assign-minimize").value,
      scenarios: scenarios(),
    };
  } catch (e) {
    return showError(e, "assign");
  }
  try {
    const ans = await busy(api.assign(state.net.name, q));
    const a = ans.result;
    const stem = `assign-${state.net.name}-${a.method}`;
    const downloads = [geojsonDl(`${stem}.geojson`, ans.geojson), csvDl(`${stem}.csv`, () => R.assignCsv(a)), jsonDl(`${stem}.json`, a)];
    const sub = `${q.demand.length} demand rows, ${a.method} minimising ${a.minimize}${q.scenarios.length ? ` · scenarios: ${q.scenarios.join(" + ")}` : ""}`;
    present("assign", {
      show() {
        $("#results").innerHTML = resultHeader("Assignment", sub, downloads) + R.assignView(a, ctx()).__raw;
        bindDownloads($("#results"), downloads);
        focusRows($("#results"));
        cmap.showFlows(ans.geojson);
        updateLegend();
        cmap.fitOverlay();
      },
    });
  } catch (e) {
    showError(e, "assign");
  }
}

// ---------------------------------------------------------------- test hook

window.corridorApp = {
  state,
  get map() { return cmap?.map; },
  get cmap() { return cmap; },
  ready: false,
  /** Resolves once the map has drawn what it was last given. */
  idle: () => cmap.idle(),
};

start();
