// The Pareto set as a cost-vs-time chart, drawn as plain SVG: one point per
// non-dominated itinerary, joined by the trade-off front. Points are
// focusable buttons (Tab, Enter or Space) so the keyboard can pick a route
// as the mouse does.

import { esc, num } from "./util.js";

const W = 300, H = 210, M = { l: 58, r: 14, t: 12, b: 38 };

function ticks(lo, hi, n = 4) {
  if (hi <= lo) return [lo];
  const step0 = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= step0);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(v);
  return out;
}

function compact(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${num(v / 1e6, 1)}M`;
  if (a >= 1e3) return `${num(v / 1e3, a >= 1e5 ? 0 : 1)}k`;
  return num(v, 0);
}

/**
 * Renders into `el`; `onSelect(i)` is called with an itinerary's index.
 * `points` are [{cost, hours, label}], sorted by cost as the API gives them.
 */
export function paretoChart(el, points, selected, currency, onSelect) {
  const xs = points.map((p) => p.cost), ys = points.map((p) => p.hours);
  const pad = (lo, hi) => { const d = (hi - lo) || Math.abs(hi) || 1; return [lo - 0.08 * d, hi + 0.08 * d]; };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const X = (v) => M.l + ((v - x0) / (x1 - x0)) * (W - M.l - M.r);
  const Y = (v) => H - M.b - ((v - y0) / (y1 - y0)) * (H - M.t - M.b);
  let s = `<svg viewBox="0 0 ${W} ${H}" role="group" aria-label="Pareto set: cost against time, ${points.length} itineraries">`;
  for (const t of ticks(x0, x1)) s += `<line class="grid" x1="${X(t)}" x2="${X(t)}" y1="${M.t}" y2="${H - M.b}"/><text x="${X(t)}" y="${H - M.b + 14}" text-anchor="middle">${compact(t)}</text>`;
  for (const t of ticks(y0, y1)) s += `<line class="grid" x1="${M.l}" x2="${W - M.r}" y1="${Y(t)}" y2="${Y(t)}"/><text x="${M.l - 6}" y="${Y(t) + 3.5}" text-anchor="end">${num(t, t < 10 ? 1 : 0)}</text>`;
  s += `<line class="axis" x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}"/><line class="axis" x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${H - M.b}"/>`;
  s += `<text x="${(M.l + W - M.r) / 2}" y="${H - 6}" text-anchor="middle">cost (${esc(currency || "money")}) →</text>`;
  s += `<text transform="translate(13 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">hours →</text>`;
  // the front: a staircase through the sorted points
  let d = "";
  points.forEach((p, i) => { d += i === 0 ? `M${X(p.cost)} ${Y(p.hours)}` : `H${X(p.cost)}V${Y(p.hours)}`; });
  s += `<path class="front" d="${d}"/>`;
  points.forEach((p, i) => {
    const sel = i === selected;
    s += `<g class="pt${sel ? " sel" : ""}" data-i="${i}" tabindex="0" role="button" aria-pressed="${sel}" aria-label="Itinerary ${i + 1}: ${esc(p.label)}, ${num(p.cost)} ${esc(currency)}, ${num(p.hours, 1)} hours">`
      + `<circle cx="${X(p.cost)}" cy="${Y(p.hours)}" r="${sel ? 8 : 7}"/>`
      + `<text class="lbl" x="${X(p.cost)}" y="${Y(p.hours) + 3.5}" text-anchor="middle">${i + 1}</text>`
      + `<title>${esc(p.label)}: ${num(p.cost)} ${esc(currency)}, ${num(p.hours, 1)} h</title></g>`;
  });
  s += "</svg>";
  el.innerHTML = s;
  el.querySelectorAll(".pt").forEach((g) => {
    const pick = () => onSelect(Number(g.dataset.i));
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); }
    });
  });
}
