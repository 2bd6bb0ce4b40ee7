// The map legend: what each colour, dash, symbol and width on the map means,
// redrawn whenever the network or the overlay changes so it never lists
// something the map does not show.

import { iconSvg, layerColor, LOST_RAMP, PROJECT_CHOSEN, PROJECT_OTHER, widthFor } from "./map.js";
import { esc, num } from "./util.js";

const LAYER_NAMES = {
  "rail:1520": "rail 1520 mm",
  "rail:1435": "rail 1435 mm",
  road: "road",
  sea: "sea",
  river: "river",
};

function niceFlows(max) {
  const mag = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 5, 10].map((k) => k * mag).filter((v) => v <= max).pop() || max;
  return [top, top / 4, top / 20].filter((v) => v >= 1).map((v) => Number(v.toPrecision(2)));
}

function widthRows(max, lo, hi, unit) {
  return niceFlows(max).map((v) => {
    const w = widthFor(v, max, lo, hi).toFixed(1);
    return `<li><svg width="30" height="16" aria-hidden="true"><line x1="2" x2="28" y1="8" y2="8" stroke="#2f7fd1" stroke-width="${w}" stroke-linecap="round"/></svg>${num(v)} ${esc(unit)}</li>`;
  }).join("");
}

const UTIL_RAMP_CSS = "linear-gradient(90deg,#9ec5fe 0%,#2f7fd1 50%,#f79009 85%,#d92d20 100%)";
/** map.js's ramp of the flow lost, as a CSS gradient (the same stops). */
const LOST_RAMP_CSS = `linear-gradient(90deg,${LOST_RAMP.reduce((a, v, i) => (i % 2 ? [...a, `${v} ${100 * LOST_RAMP[i - 1]}%`] : a), []).join(",")})`;

/**
 * `index`: the NetworkIndex; `overlay`: null | "route" | "capacity" |
 * "flows" | "criticality" | "invest"; `flowMax` the largest flow drawn (for widths); `labels` whether
 * node names are on.
 */
let collapsed = false;

export function renderLegend(el, { index, overlay, flowMax, labels, onLabels, compare }) {
  if (!index) { el.innerHTML = ""; return; }
  let h = `<h3>Network</h3><ul>`;
  for (const layer of index.layers()) {
    const dash = layer === "sea" || layer === "river" ? " dash" : "";
    h += `<li><span class="sw${dash}" style="border-color:${layerColor(layer)}"></span>${esc(LAYER_NAMES[layer] || layer.replace(":", " "))}</li>`;
  }
  h += `</ul><ul>`;
  const c = index.roleCounts();
  if (c.border) h += `<li>${iconSvg("border")}border crossing</li>`;
  if (c.port) h += `<li>${iconSvg("port")}port</li>`;
  if (c.terminal) h += `<li>${iconSvg("terminal")}terminal</li>`;
  if (c.node) h += `<li>${iconSvg("node")}node</li>`;
  if (c.closed) h += `<li>${iconSvg("terminal", true)}closed</li>`;
  h += `</ul>`;
  if (overlay === "route") {
    h += `<h3>Itinerary</h3><ul class="one">
      <li><svg width="26" height="12" aria-hidden="true"><line x1="2" x2="24" y1="6" y2="6" stroke="#111827" stroke-width="9" stroke-linecap="round"/><line x1="2" x2="24" y1="6" y2="6" stroke="#c2410c" stroke-width="5" stroke-linecap="round"/></svg>route, coloured by layer</li>
      <li><svg width="18" height="18" aria-hidden="true"><circle cx="9" cy="9" r="6.5" fill="#fff7ed" stroke="#b45309" stroke-width="3"/></svg>transfer (gauge or mode change)</li>
      <li><svg width="18" height="18" aria-hidden="true"><circle cx="9" cy="9" r="5" fill="#fff" stroke="#b42318" stroke-width="3"/></svg>border crossing on the route</li>
      ${compare ? `<li><svg width="26" height="10" aria-hidden="true"><line x1="2" x2="24" y1="5" y2="5" stroke="#475467" stroke-width="4" stroke-dasharray="4 4"/></svg>base route (without scenarios)</li>` : ""}
    </ul>`;
  } else if (overlay === "capacity" || overlay === "flows") {
    h += `<h3>${overlay === "capacity" ? "Maximum flow" : "Assigned flow"} (t/day)</h3><ul class="one">${widthRows(flowMax, overlay === "capacity" ? 2 : 1.5, overlay === "capacity" ? 12 : 14, "t/day")}</ul>`;
    h += `<h3>Use of capacity</h3><ul class="one"><li><span class="ramp" style="background:${UTIL_RAMP_CSS}"></span></li>
      <li style="justify-content:space-between"><span>0%</span><span>50%</span><span>100%</span></li></ul>`;
    if (overlay === "capacity") {
      h += `<ul class="one"><li><span class="share-badge">18%</span>bottleneck, share of the cut</li>`;
      if (compare) h += `<li><span class="share-badge new">12%</span>new in the scenario</li><li><span class="share-badge gone">9%</span>no longer a bottleneck</li>`;
      h += `</ul>`;
    }
  }
  if (overlay === "criticality") {
    h += `<h3>Maximum flow lost when closed</h3><ul class="one"><li><span class="ramp" style="background:${LOST_RAMP_CSS}"></span></li>
      <li style="justify-content:space-between"><span>0%</span><span>50%</span><span>100%</span></li>
      <li><span class="share-badge crit">#1 67%</span>rank, share lost</li>
      <li><svg width="18" height="18" aria-hidden="true"><circle cx="9" cy="9" r="6" fill="#912018" stroke="#101828" stroke-width="3"/></svg>closing it disconnects</li></ul>`;
  }
  if (overlay === "invest") {
    h += `<h3>Investments</h3><ul class="one">
      <li><svg width="18" height="18" aria-hidden="true"><circle cx="9" cy="9" r="7" fill="${PROJECT_CHOSEN}" stroke="#fff" stroke-width="2"/></svg>what a chosen project builds</li>
      <li><svg width="18" height="18" aria-hidden="true"><circle cx="9" cy="9" r="5" fill="${PROJECT_OTHER}" stroke="#fff" stroke-width="2"/></svg>what a project not chosen would</li>
      <li><span class="share-badge invest">project</span>chosen within the budget</li></ul>`;
  }
  h += `<div class="toggles"><label><input type="checkbox" id="legend-labels" ${labels ? "checked" : ""}> node names</label></div>`;
  el.innerHTML = `<button type="button" class="lg-toggle" aria-expanded="${!collapsed}" aria-controls="legend-body">Legend</button>
    <div id="legend-body" ${collapsed ? "hidden" : ""}>${h}</div>`;
  el.querySelector("#legend-labels").addEventListener("change", (e) => onLabels(e.target.checked));
  el.querySelector(".lg-toggle").addEventListener("click", (e) => {
    collapsed = !collapsed;
    e.target.setAttribute("aria-expanded", String(!collapsed));
    el.querySelector("#legend-body").hidden = collapsed;
  });
}
