// Results as a planner reads them: summary cards, the itinerary's
// leg/transfer/border table with totals, bottleneck and flow tables, base
// against scenario side by side, and the same rows as CSV. Every function
// takes the API's JSON unchanged (the CLI's `--format json`) plus a context
// with the network index (names) and currency.

import { layerColor } from "./map.js";
import { html, num, pct, toCsv } from "./util.js";

const layerOfLeg = (l) => (l.mode === "rail" && l.gauge ? `rail:${l.gauge}` : l.mode);

export function layerTag(layer) {
  return html`<span class="layer"><i style="border-color:${layerColor(layer)}"></i>${layer}</span>`;
}

function card(k, v, unit = "", cls = "") {
  return html`<div class="card ${cls}"><div class="k">${k}</div><div class="v">${v}${unit ? html`<small>${unit}</small>` : ""}</div></div>`;
}

/** The itinerary's steps in travel order, each with its table cells. */
export function steps(it, ctx) {
  const ix = ctx.index;
  return it.steps.map((s, n) => {
    if (s.kind === "leg") {
      const l = it.legs[s.index];
      return { n: n + 1, kind: "leg", where: `${ix.nodeName(l.from)} → ${ix.nodeName(l.to)}`, ids: `${l.from} → ${l.to}`,
        layer: layerOfLeg(l), km: l.km, hours: l.hours, cost: l.cost, co2_kg: l.co2_kg, detail: l.links.join(" ") };
    }
    if (s.kind === "transfer") {
      const t = it.transfers[s.index];
      const name = ix.terminals.get(t.terminal)?.name || t.terminal;
      return { n: n + 1, kind: "transfer", where: `${name}`, ids: `${t.at} (${t.terminal})`,
        layer: `${t.from_layer} → ${t.to_layer}`, from_layer: t.from_layer, to_layer: t.to_layer,
        km: null, hours: t.hours, cost: t.cost, co2_kg: t.co2_kg, detail: t.terminal };
    }
    const b = it.borders[s.index];
    const name = ix.borders.get(b.border)?.name || b.border;
    return { n: n + 1, kind: "border", where: `${name} (${b.countries.join("–")})`, ids: `${b.at} (${b.border})`,
      layer: b.mode, km: null, hours: b.hours, cost: b.fees + (b.waiting_cost ?? 0), co2_kg: null, detail: b.border };
  });
}

export function totalsCards(it, ctx, cls = "") {
  const t = it.totals;
  return html`<div class="cards">
    ${card("Total cost", num(t.cost), ctx.currency, cls)}
    ${card("Per tonne", num(t.cost / (it.tonnes || 1), 2), `${ctx.currency}/t`)}
    ${card("Time", num(t.hours, 1), t.hours >= 48 ? `h · ${num(t.hours / 24, 1)} d` : "h", cls)}
    ${card("Distance", num(t.km), "km")}
    ${card("CO₂", num(t.co2_kg / 1000, 1), "t")}
    ${card("Generalised", num(t.generalised), ctx.currency)}
  </div>`;
}

export function legTable(it, ctx) {
  const rows = steps(it, ctx);
  const t = it.totals;
  return html`<table class="t legs" aria-label="Itinerary: legs, transfers and border crossings">
    <thead><tr><th>#</th><th>step</th><th>where</th><th>layer</th><th class="n">km</th><th class="n">hours</th><th class="n">cost ${ctx.currency}</th><th class="n">CO₂ kg</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr data-kind="${r.kind}">
      <td>${r.n}</td><td><span class="kind ${r.kind}">${r.kind}</span></td>
      <td title="${r.ids}">${r.where}</td>
      <td>${r.kind === "transfer" ? html`${layerTag(r.from_layer)} → ${layerTag(r.to_layer)}` : r.kind === "leg" ? layerTag(r.layer) : r.layer}</td>
      <td class="n">${r.km === null ? "" : num(r.km, 1)}</td><td class="n">${num(r.hours, 1)}</td>
      <td class="n">${num(r.cost, 2)}</td><td class="n">${r.co2_kg === null ? "" : num(r.co2_kg, 1)}</td></tr>`)}</tbody>
    <tfoot><tr><td></td><td colspan="3">total · ${num(it.tonnes)} t of ${it.commodity}${it.minimize === "pareto" ? "" : `, minimising ${it.minimize}`}</td>
      <td class="n">${num(t.km, 1)}</td><td class="n">${num(t.hours, 1)}</td><td class="n">${num(t.cost, 2)}</td><td class="n">${num(t.co2_kg, 1)}</td></tr></tfoot>
  </table>`;
}

/** "rail:1520 → rail:1435" for a whole itinerary, repeated layers merged. */
export function layersSummary(it) {
  const out = [];
  for (const l of it.legs) {
    const layer = layerOfLeg(l);
    if (out[out.length - 1] !== layer) out.push(layer);
  }
  return out.join(" → ");
}

export function paretoTable(set, selected, ctx) {
  return html`<table class="t pareto" aria-label="Pareto set">
    <thead><tr><th>#</th><th>layers</th><th class="n">cost ${ctx.currency}</th><th class="n">hours</th><th class="n">km</th><th class="n">CO₂ t</th></tr></thead>
    <tbody>${set.itineraries.map((it, i) => html`<tr tabindex="0" data-i="${i}" class="${i === selected ? "sel" : ""}" aria-selected="${i === selected}">
      <td>${i + 1}</td><td>${layersSummary(it)}</td><td class="n">${num(it.totals.cost)}</td><td class="n">${num(it.totals.hours, 1)}</td>
      <td class="n">${num(it.totals.km)}</td><td class="n">${num(it.totals.co2_kg / 1000, 1)}</td></tr>`)}</tbody>
  </table>`;
}

/** "rail:1520 Poltava → Izmail · sea Izmail → Constanța": legs of one layer merged. */
export function pathSummary(it, ctx) {
  const parts = [];
  for (const l of it.legs) {
    const layer = layerOfLeg(l);
    const last = parts[parts.length - 1];
    if (last && last.layer === layer) last.to = l.to;
    else parts.push({ layer, from: l.from, to: l.to });
  }
  return parts.map((p) => `${p.layer} ${ctx.index.nodeName(p.from)} → ${ctx.index.nodeName(p.to)}`).join(" · ");
}

const linkPath = (it) => it.legs.flatMap((l) => l.links).join(" ");

/** Base against scenario for one shipment: the way taken, totals and the change. */
export function routeDiff(base, scen, ctx) {
  const row = (k, a, b, digits, unit) => {
    const d = b - a;
    const same = Math.abs(d) < 1e-9;
    const cls = same ? "" : d < 0 ? "delta-up" : "delta-down";
    return html`<tr><td>${k}</td><td class="n">${num(a, digits)}</td><td class="n">${num(b, digits)}</td><td class="n ${cls}">${same ? "=" : (d > 0 ? "+" : "") + num(d, digits)}</td><td>${unit}</td></tr>`;
  };
  const changed = linkPath(base) !== linkPath(scen);
  return html`<table class="t diff" aria-label="Route: base against scenario">
    <thead><tr><th></th><th class="n">base</th><th class="n">scenario</th><th class="n">change</th><th></th></tr></thead>
    <tbody>
      <tr><td>way (base)</td><td colspan="4">${pathSummary(base, ctx)}</td></tr>
      <tr><td>way (scenario)</td><td colspan="4">${pathSummary(scen, ctx)} <span class="mark ${changed ? "new" : "gone"}" style="text-decoration:none">${changed ? "route changed" : "same route"}</span></td></tr>
      ${row("cost", base.totals.cost, scen.totals.cost, 0, ctx.currency)}
      ${row("time", base.totals.hours, scen.totals.hours, 1, "h")}
      ${row("distance", base.totals.km, scen.totals.km, 0, "km")}
      ${row("CO₂", base.totals.co2_kg / 1000, scen.totals.co2_kg / 1000, 1, "t")}
    </tbody></table>`;
}

// ---------------------------------------------------------------- capacity

function shareBar(share) {
  return html`<div class="barwrap" title="${pct(share)} of the cut"><div class="bar"><span style="width:${Math.min(100, 100 * (share || 0)).toFixed(1)}%"></span></div><em>${pct(share)}</em></div>`;
}
function utilBar(u) {
  const over = (u || 0) > 1;
  return html`<div class="barwrap"><div class="bar util${over ? " over" : ""}"><span style="width:${Math.min(100, 100 * (u || 0)).toFixed(1)}%"></span></div><em>${pct(u, 0)}</em></div>`;
}

/** `compact`: name and id in one cell, for tables side by side. */
export function bottleneckTable(list, unit, label = "Bottlenecks", marks = {}, compact = false) {
  if (!list.length) return html`<p class="muted">No bottleneck: nothing limits this flow.</p>`;
  const mark = (b) => (marks[b.id] ? html` <span class="mark ${marks[b.id]}">${marks[b.id]}</span>` : "");
  return html`<table class="t bottlenecks" aria-label="${label}">
    <thead><tr><th>kind</th>${compact ? html`<th>element</th>` : html`<th>id</th><th>name</th>`}<th class="n">capacity ${unit}</th><th>share of the cut</th></tr></thead>
    <tbody>${list.map((b) => html`<tr tabindex="0" data-kind="${b.kind}" data-id="${b.id}">
      <td><span class="kind ${b.kind}">${b.kind}</span></td>
      ${compact ? html`<td>${b.name}${mark(b)}<br><small class="muted">${b.id}</small></td>` : html`<td>${b.id}${mark(b)}</td><td>${b.name}</td>`}
      <td class="n">${num(b.capacity)}</td><td>${shareBar(b.share)}</td></tr>`)}</tbody>
  </table>`;
}

export function capacityCards(c, cls = "") {
  return html`<div class="cards">
    ${card("Maximum flow", num(c.max_flow), c.unit, cls)}
    ${c.max_flow_mt_per_year !== undefined ? card("Per year", num(c.max_flow_mt_per_year, 2), "Mt") : ""}
    ${c.cost_per_unit !== undefined && c.cost_per_unit !== null ? card(`Average cost (${c.minimize})`, num(c.cost_per_unit, 2), "per t") : ""}
    ${card("Bottlenecks", c.bottlenecks.length)}
  </div>`;
}

export function elementsTable(elements, unit) {
  const rows = [...elements].sort((a, b) => (b.utilisation || 0) - (a.utilisation || 0));
  return html`<table class="t elements" aria-label="Flows on elements">
    <thead><tr><th>kind</th><th>id</th><th>name</th><th class="n">flow ${unit}</th><th class="n">capacity</th><th>use</th></tr></thead>
    <tbody>${rows.map((e) => html`<tr><td><span class="kind ${e.kind}">${e.kind}</span></td><td>${e.id}</td><td>${e.name}</td>
      <td class="n">${num(e.flow)}</td><td class="n">${e.capacity === null ? "∞" : num(e.capacity)}</td><td>${utilBar(e.utilisation)}</td></tr>`)}</tbody>
  </table>`;
}

export function notes(list) {
  return list?.length ? html`<ul class="notes">${list.map((n) => html`<li>${n}</li>`)}</ul>` : "";
}

// ---------------------------------------------------------------- compare

function routeOutcome(o, ctx) {
  if (!o?.itinerary) return html`<p class="muted">${o?.no_route || "no route"}</p>`;
  const it = o.itinerary;
  return html`<p><b>${num(it.totals.cost, 2)} ${ctx.currency}/t</b>, ${num(it.totals.hours, 1)} h, ${num(it.totals.km)} km<br>
    <span class="muted">${it.legs.map((l) => `${layerOfLeg(l)} ${l.from}→${l.to}`).join(", ")}</span></p>`;
}

export function compareView(r, ctx) {
  const b = r.base, s = r.scenario;
  const appeared = Object.fromEntries(r.bottlenecks_appeared.map((x) => [x.id, "new"]));
  const gone = Object.fromEntries(r.bottlenecks_disappeared.map((x) => [x.id, "gone"]));
  const routeChanged = JSON.stringify(r.route_before?.itinerary?.legs) !== JSON.stringify(r.route_after?.itinerary?.legs);
  return html`
    <div class="cards">
      ${card("Base capacity", num(b.max_flow), b.unit)}
      ${card(`With ${r.scenarios.join(" + ")}`, num(s.max_flow), s.unit, "hi")}
      <div class="card hi"><div class="k">Capacity ratio</div><div class="v ratio">× ${num(r.ratio, 2)}</div></div>
      ${card("New bottlenecks", r.bottlenecks_appeared.length)}
      ${card("Route", routeChanged ? "changed" : "unchanged")}
    </div>
    <div class="sides">
      <div><h3>Base: ${num(b.max_flow_mt_per_year, 2)} Mt/year</h3>${bottleneckTable(b.bottlenecks, b.unit, "Base bottlenecks", gone, true)}
        <h3>Best route, base (${r.route_before?.itinerary?.from ?? ""} → ${r.route_before?.itinerary?.to ?? ""})</h3>${routeOutcome(r.route_before, ctx)}${notes(b.notes)}</div>
      <div><h3>Scenario: ${num(s.max_flow_mt_per_year, 2)} Mt/year</h3>${bottleneckTable(s.bottlenecks, s.unit, "Scenario bottlenecks", appeared, true)}
        <h3>Best route, scenario</h3>${routeOutcome(r.route_after, ctx)}${notes(s.notes)}</div>
    </div>
    <h3>Largest flow changes (${b.unit})</h3>
    <table class="t changes" aria-label="Flow changes"><thead><tr><th>kind</th><th>id</th><th>name</th><th class="n">base</th><th class="n">scenario</th><th class="n">change</th></tr></thead>
    <tbody>${r.flow_changes.map((c) => html`<tr><td><span class="kind ${c.kind}">${c.kind}</span></td><td>${c.id}</td><td>${c.name}</td><td class="n">${num(c.before)}</td><td class="n">${num(c.after)}</td>
      <td class="n ${c.change >= 0 ? "delta-up" : "delta-down"}">${c.change >= 0 ? "+" : ""}${num(c.change)}</td></tr>`)}</tbody></table>`;
}

// ---------------------------------------------------------------- assignment

/** Links, terminals and borders of an assignment as one list of rows. */
export function assignRows(a) {
  const rows = [];
  for (const [kind, list] of [["link", a.links], ["terminal", a.terminals], ["border", a.borders]]) {
    for (const e of list || []) rows.push({ kind, ...e });
  }
  return rows;
}

export function assignView(a, ctx) {
  const rows = assignRows(a).filter((r) => r.flow > 0).sort((x, y) => (y.utilisation || 0) - (x.utilisation || 0)).slice(0, 15);
  const comms = a.commodities || [];
  return html`
    <div class="cards">
      ${card("Method", a.method)}
      ${card("Iterations", a.iterations)}
      ${card("Relative gap", a.relative_gap.toExponential(2), a.converged ? "reached" : "not reached")}
      ${card("Objective", num(a.objective))}
      ${comms.length ? card("Demand", num(comms.reduce((s, c) => s + c.t_per_day, 0)), "t/day") : ""}
    </div>
    ${comms.length ? html`<table class="t commodities" aria-label="By commodity"><thead><tr><th>commodity</th><th class="n">t/day</th><th class="n">no path t/day</th><th class="n">total cost/day ${ctx.currency}</th><th class="n">gap</th></tr></thead>
      <tbody>${comms.map((c) => html`<tr><td>${c.commodity}</td><td class="n">${num(c.t_per_day, 1)}</td><td class="n">${num(c.unreachable_t_per_day, 1)}</td><td class="n">${num(c.total_cost, 1)}</td><td class="n">${c.relative_gap.toExponential(2)}</td></tr>`)}</tbody></table>` : ""}
    <h3>Busiest elements</h3>
    <table class="t busiest" aria-label="Busiest elements"><thead><tr><th>kind</th><th>id</th><th>name</th><th class="n">t/day</th><th class="n">load</th><th class="n">capacity</th><th>use</th><th class="n">hours</th></tr></thead>
    <tbody>${rows.map((e) => html`<tr tabindex="0" data-kind="${e.kind}" data-id="${e.id}"><td><span class="kind ${e.kind}">${e.kind}</span></td><td>${e.id}</td>
      <td>${elementName(e, ctx)}</td><td class="n">${num(e.flow, 1)}</td><td class="n">${num(e.load, 1)}</td><td class="n">${e.capacity_t_per_day ? num(e.capacity_t_per_day) : "∞"}</td>
      <td>${utilBar(e.utilisation)}</td><td class="n">${num(e.hours, 1)}</td></tr>`)}</tbody></table>`;
}

function elementName(e, ctx) {
  const ix = ctx.index;
  if (e.kind === "link") return `${ix.nodeName(e.from)} – ${ix.nodeName(e.to)}`;
  if (e.kind === "terminal") return ix.terminals.get(e.id)?.name || e.id;
  return ix.borders.get(e.id)?.name || e.id;
}

// ---------------------------------------------------------------- criticality

/** Whether closing the element changes anything (as the CLI's report counts). */
export function hasEffect(e) {
  return e.lost !== 0 || (e.cost_change !== null && e.cost_change !== 0) || !e.connected || e.cut_off.length > 0;
}

function signed(x, digits) {
  if (x === null || x === undefined) return "–";
  return `${x > 0 ? "+" : ""}${num(x, digits)}`;
}

/** The criticality report: the base, then the elements ranked, most critical first. */
export function criticalityView(r) {
  const effect = r.elements.filter(hasEffect);
  const shown = effect.slice(0, 25);
  const row = (e) => html`<tr tabindex="0" data-kind="${e.kind}" data-id="${e.id}">
    <td class="n">${r.elements.indexOf(e) + 1}</td><td><span class="kind ${e.kind}">${e.kind}</span></td>
    <td>${e.name}<br><small class="muted">${e.id}</small></td>
    <td class="n">${num(e.lost)}</td><td>${lostBar(e.lost_share)}</td><td class="n">${signed(e.cost_change, 2)}</td>
    <td>${e.connected ? (e.cut_off.length ? html`yes, cuts ${e.cut_off.join(", ")}` : "yes") : html`<span class="delta-down">no</span>`}</td></tr>`;
  return html`<div class="cards">
      ${card("Base maximum flow", num(r.base.max_flow), r.unit, "hi")}
      ${card(`Base cost per unit (${r.minimize})`, num(r.base.cost_per_unit, 2))}
      ${card("Elements closed", num(r.elements.length))}
      ${card("Change something", num(effect.length))}
    </div>
    ${effect.length ? html`<h3>Most critical first${effect.length > shown.length ? html` (the first ${shown.length} of ${effect.length}; the CSV has every element)` : ""}</h3>
    <table class="t criticality" aria-label="Elements ranked by what closing each costs">
      <thead><tr><th class="n">#</th><th>kind</th><th>element</th><th class="n">lost ${r.unit}</th><th>lost</th><th class="n">cost change</th><th>connected</th></tr></thead>
      <tbody>${shown.map(row)}</tbody></table>` : html`<p class="muted">No single closure changes the maximum flow, its cost or who is connected.</p>`}
    ${notes(r.notes)}`;
}

function lostBar(share) {
  return html`<div class="barwrap" title="${pct(share)} of the maximum flow lost"><div class="bar crit"><span style="width:${Math.min(100, 100 * (share || 0)).toFixed(1)}%"></span></div><em>${pct(share)}</em></div>`;
}

// ---------------------------------------------------------------- sweep

/** A sweep row's scenarios in words: "base" for none. */
export const sweepLabel = (row) => (row.scenarios.length ? row.scenarios.join(" + ") : "base");

/**
 * The best point of a sweep: the largest maximum flow, the cheapest of
 * equal ones (rows that failed are never best); -1 for none.
 */
export function bestSweepRow(r) {
  let best = -1;
  r.rows.forEach((row, i) => {
    if (row.error || row.max_flow === null || row.max_flow === undefined) return;
    const b = r.rows[best];
    if (best < 0 || row.max_flow > b.max_flow || (row.max_flow === b.max_flow && (row.cost_per_unit ?? Infinity) < (b.cost_per_unit ?? Infinity))) best = i;
  });
  return best;
}

export function sweepView(r, best, selected) {
  const ok = r.rows.filter((x) => !x.error);
  const b = r.rows[best];
  return html`<div class="cards">
      ${card("Points", num(r.rows.length), r.grid ? "every combination" : "base and each alone")}
      ${b ? card("Best maximum flow", num(b.max_flow), r.unit, "hi") : ""}
      ${b ? card("Best point", sweepLabel(b), b.commodity) : ""}
      ${b ? card("Against the base", `× ${num(b.ratio, 2)}`) : ""}
      ${ok.length < r.rows.length ? card("Failed", num(r.rows.length - ok.length)) : ""}
    </div>
    <h3>Each point of the sweep: choose one to draw its flows and bottlenecks</h3>
    <table class="t sweep" aria-label="Sweep: one maximum flow per point">
      <thead><tr><th>#</th><th>scenarios</th><th>commodity</th><th class="n">max flow ${r.unit}</th><th class="n">× base</th><th class="n">cost per t (${r.minimize})</th><th>bottleneck</th></tr></thead>
      <tbody>${r.rows.map((row, i) => html`<tr tabindex="0" data-i="${i}" class="${[i === best ? "best" : "", i === selected ? "sel" : ""].join(" ").trim()}" aria-selected="${i === selected}">
        <td>${i + 1}</td><td>${sweepLabel(row)}${i === best ? html` <span class="mark best">best</span>` : ""}</td><td>${row.commodity}</td>
        ${row.error ? html`<td colspan="4" class="delta-down">${row.error}</td>` : html`<td class="n">${num(row.max_flow)}</td><td class="n">${num(row.ratio, 2)}</td>
        <td class="n">${num(row.cost_per_unit, 2)}</td><td>${row.bottleneck ? html`${row.bottleneck.name} <small class="muted">${pct(row.bottleneck.share)}</small>` : "–"}</td>`}</tr>`)}</tbody>
    </table>`;
}

/** The columns of `corridor sweep --format csv`. */
export function sweepCsv(r) {
  const rows = r.rows.map((row) => ({
    ...row, scenarios: row.scenarios.join("+"), unit: r.unit,
    bottleneck_kind: row.bottleneck?.kind, bottleneck_id: row.bottleneck?.id, bottleneck_capacity: row.bottleneck?.capacity,
  }));
  return toCsv(["commodity", "scenarios", "max_flow", "unit", "ratio", "cost_per_unit", "exact", "bottleneck_kind", "bottleneck_id", "bottleneck_capacity", "error"], rows);
}

// ---------------------------------------------------------------- invest

/** The projects each alone, the best value for money first (failed last). */
export function investRanking(r) {
  return [...r.projects].sort((a, b) => (b.added_per_cost ?? -Infinity) - (a.added_per_cost ?? -Infinity));
}

export function investView(r) {
  const chosen = new Set(r.best?.projects || []);
  const unit = r.cost_unit || "";
  const best = r.best;
  const byName = Object.fromEntries(r.projects.map((p) => [p.name, p]));
  return html`<div class="cards">
      ${card("Budget", num(r.budget, 2), unit)}
      ${best ? card("Chosen cost", num(best.cost, 2), unit) : ""}
      ${card("Base maximum flow", num(r.base_max_flow), r.unit)}
      ${best ? card("With the chosen projects", num(best.max_flow), r.unit, "hi") : ""}
      ${best ? card("Gain", `+${num(best.added)}`, r.unit, "hi") : ""}
    </div>
    ${best ? html`<h3>The chosen portfolio: ${best.projects.length ? best.projects.join(" + ") : "no project"} <small class="muted">(${best.method}, ${best.exact ? "proven best" : "not proven best"}; ${num(best.evaluated)} sets evaluated)</small></h3>
    <table class="t portfolio" aria-label="The chosen projects">
      <thead><tr><th>project</th><th class="n">cost ${unit}</th><th class="n">added alone ${r.unit}</th><th>note</th></tr></thead>
      <tbody>${best.projects.map((n) => html`<tr tabindex="0" data-project="${n}"><td>${n}</td><td class="n">${num(byName[n]?.cost, 2)}</td><td class="n">${num(byName[n]?.added)}</td><td>${byName[n]?.note || ""}</td></tr>`)}</tbody>
      <tfoot><tr><td>together</td><td class="n">${num(best.cost, 2)}</td><td class="n">+${num(best.added)}</td><td>maximum flow ${num(best.max_flow)} ${r.unit}</td></tr></tfoot>
    </table>` : html`<p class="muted">No set of projects could be evaluated.</p>`}
    <h3>Each project alone, most capacity per ${unit || "unit of cost"} first</h3>
    <table class="t ranking" aria-label="Each project alone, ranked by capacity added per cost">
      <thead><tr><th>#</th><th>project</th><th class="n">cost ${unit}</th><th class="n">added ${r.unit}</th><th class="n">${r.unit} per ${unit || "cost"}</th><th>chosen</th></tr></thead>
      <tbody>${investRanking(r).map((p, i) => html`<tr tabindex="0" data-project="${p.name}" class="${chosen.has(p.name) ? "best" : ""}">
        <td>${i + 1}</td><td>${p.name}${p.note ? html`<br><small class="muted">${p.note}</small>` : ""}</td><td class="n">${num(p.cost, 2)}</td>
        ${p.error ? html`<td colspan="2" class="delta-down">${p.error}</td>` : html`<td class="n">${num(p.added)}</td><td class="n">${num(p.added_per_cost, 1)}</td>`}
        <td>${chosen.has(p.name) ? html`<span class="mark chosen">chosen</span>` : ""}</td></tr>`)}</tbody>
    </table>
    ${notes(r.notes)}`;
}

/** The columns of `corridor invest --format csv`. */
export function investCsv(r) {
  const chosen = new Set(r.best?.projects || []);
  const rows = r.projects.map((p) => ({ ...p, chosen: chosen.has(p.name) }));
  return toCsv(["project", "scenario", "cost", "max_flow", "added", "added_per_cost", "raises_only", "chosen", "error", "note"], rows.map((p) => ({ ...p, project: p.name })));
}

// ---------------------------------------------------------------- CSV

export function routeCsv(result, ctx) {
  const list = result.itineraries || [result];
  const rows = [];
  list.forEach((it, i) => {
    for (const s of steps(it, ctx)) {
      rows.push({ itinerary: i + 1, step: s.n, kind: s.kind, where: s.ids, layer: s.layer, km: s.km, hours: s.hours, cost: s.cost, co2_kg: s.co2_kg, elements: s.detail });
    }
    const t = it.totals;
    rows.push({ itinerary: i + 1, step: "", kind: "total", where: `${it.from} → ${it.to}`, layer: "", km: t.km, hours: t.hours, cost: t.cost, co2_kg: t.co2_kg, elements: "" });
  });
  return toCsv(["itinerary", "step", "kind", "where", "layer", "km", "hours", "cost", "co2_kg", "elements"], rows);
}

export function capacityCsv(c) {
  const share = Object.fromEntries(c.bottlenecks.map((b) => [`${b.kind}/${b.id}`, b.share]));
  const rows = c.elements.map((e) => ({ ...e, bottleneck: `${e.kind}/${e.id}` in share, share_of_cut: share[`${e.kind}/${e.id}`] ?? "" }));
  for (const b of c.bottlenecks) {
    if (!c.elements.some((e) => e.kind === b.kind && e.id === b.id)) rows.push({ ...b, flow: b.capacity, bottleneck: true, share_of_cut: b.share });
  }
  return toCsv(["kind", "id", "name", "flow", "capacity", "utilisation", "bottleneck", "share_of_cut"], rows);
}

export function compareCsv(r) {
  const key = (e) => `${e.kind}/${e.id}`;
  const rows = new Map();
  const get = (e) => rows.get(key(e)) || rows.set(key(e), { kind: e.kind, id: e.id, name: e.name }).get(key(e));
  for (const e of r.base.elements) Object.assign(get(e), { flow_base: e.flow, capacity_base: e.capacity });
  for (const e of r.scenario.elements) Object.assign(get(e), { flow_scenario: e.flow, capacity_scenario: e.capacity });
  for (const b of r.base.bottlenecks) get(b).share_base = b.share;
  for (const b of r.scenario.bottlenecks) get(b).share_scenario = b.share;
  for (const v of rows.values()) v.change = (v.flow_scenario || 0) - (v.flow_base || 0);
  return toCsv(["kind", "id", "name", "flow_base", "flow_scenario", "change", "capacity_base", "capacity_scenario", "share_base", "share_scenario"], [...rows.values()]);
}

/** The columns of `corridor criticality --format csv`, every element ranked. */
export function criticalityCsv(r) {
  const rows = r.elements.map((e, i) => ({ rank: i + 1, ...e, cut_off: e.cut_off.join(";") }));
  return toCsv(["rank", "kind", "id", "name", "used", "max_flow", "lost", "lost_share", "cost_per_unit", "cost_change", "connected", "cut_off", "exact"], rows);
}

export function assignCsv(a) {
  const rows = assignRows(a);
  const comms = [...new Set(rows.flatMap((r) => Object.keys(r.flow_by_commodity || {})))];
  const flat = rows.map((r) => {
    const o = { ...r };
    for (const c of comms) o[`flow_${c}`] = r.flow_by_commodity?.[c] ?? "";
    return o;
  });
  return toCsv(["kind", "id", "from", "to", "node", "flow", "load", "capacity_t_per_day", "utilisation", "hours", ...comms.map((c) => `flow_${c}`)], flat);
}

/** A share as "21.8%". */
export const pctText = (share) => pct(share);
