// The map: an offline MapLibre GL map whose base layer is the embedded
// Natural Earth countries, the network drawn from `GET .../geojson` (links
// coloured by mode and gauge, sites as symbols), and one overlay at a time
// for a result: an itinerary, a capacity run (bottlenecks with their share
// of the cut), assignment flows (line widths) or a criticality run (the
// elements whose closure changes something, coloured by the flow lost) or
// an investment screening (what the chosen projects build). Owns the legend, because
// the legend must say exactly what the map draws.

import * as maplibregl from "../vendor/maplibre-gl.js";
import { boundsAround, esc, lineMiddle, lineParts, num, pct, positions } from "./util.js";

maplibregl.setWorkerUrl(new URL("../vendor/maplibre-gl-worker.js", import.meta.url).href);

export const COLORS = {
  "rail:1520": "#c2410c",
  "rail:1435": "#1d4ed8",
  rail: "#7c3aed",
  road: "#6b7280",
  sea: "#0e7490",
  river: "#38a3d1",
  other: "#344054",
};
const UTIL_RAMP = [0, "#9ec5fe", 0.5, "#2f7fd1", 0.85, "#f79009", 1, "#d92d20"];
const BOTTLENECK = "#d92d20";
// What a chosen project builds, and what the others would.
export const PROJECT_CHOSEN = "#067647";
export const PROJECT_OTHER = "#98a2b3";
// Share of the maximum flow lost when the element is closed.
export const LOST_RAMP = [0, "#fedf89", 0.1, "#fdb022", 0.3, "#f04438", 0.6, "#912018", 1, "#55160c"];
const lostColorExpr = ["interpolate", ["linear"], ["coalesce", ["get", "lost_share"], 0], ...LOST_RAMP];

/** Colour of a layer name such as "rail:1520", "road", "sea". */
export function layerColor(layer) {
  if (!layer) return COLORS.other;
  if (COLORS[layer]) return COLORS[layer];
  return layer.startsWith("rail") ? COLORS.rail : COLORS.other;
}

const layerColorExpr = [
  "match", ["coalesce", ["get", "layer"], ""],
  "rail:1520", COLORS["rail:1520"],
  "rail:1435", COLORS["rail:1435"],
  "road", COLORS.road,
  "sea", COLORS.sea,
  "river", COLORS.river,
  ["case", ["==", ["slice", ["coalesce", ["get", "layer"], ""], 0, 4], "rail"], COLORS.rail, COLORS.other],
];
const utilColorExpr = ["interpolate", ["linear"], ["coalesce", ["get", "utilisation"], 0], ...UTIL_RAMP];
const EMPTY = { type: "FeatureCollection", features: [] };
// Links across ±180° arrive as MultiLineStrings; a filter on "LineString"
// alone would drop them wherever MapLibre reports the multi type.
const IS_LINE = ["in", ["geometry-type"], ["literal", ["LineString", "MultiLineString"]]];

// ---------------------------------------------------------------- icons

const ICON_PX = 2; // drawn at twice the CSS size for sharp symbols

function drawIcon(size, paint) {
  const c = document.createElement("canvas");
  c.width = c.height = size * ICON_PX;
  const g = c.getContext("2d");
  g.scale(ICON_PX, ICON_PX);
  paint(g, size);
  return { width: c.width, height: c.height, data: g.getImageData(0, 0, c.width, c.height).data };
}

const ICONS = {
  border: (fill) => drawIcon(16, (g, s) => {
    g.beginPath(); g.moveTo(s / 2, 1); g.lineTo(s - 1, s / 2); g.lineTo(s / 2, s - 1); g.lineTo(1, s / 2); g.closePath();
    g.fillStyle = fill; g.fill(); g.lineWidth = 1.6; g.strokeStyle = "#fff"; g.stroke();
  }),
  port: (fill) => drawIcon(18, (g, s) => {
    g.beginPath(); g.arc(s / 2, s / 2, s / 2 - 1, 0, 2 * Math.PI); g.fillStyle = fill; g.fill();
    g.lineWidth = 1.3; g.strokeStyle = "#fff"; g.stroke();
    g.lineWidth = 1.5; g.lineCap = "round";
    g.beginPath(); g.moveTo(9, 4.5); g.lineTo(9, 13.5); g.moveTo(6.3, 7); g.lineTo(11.7, 7); g.stroke();
    g.beginPath(); g.arc(9, 9.5, 4, 0.15 * Math.PI, 0.85 * Math.PI); g.stroke();
    g.beginPath(); g.arc(9, 4.3, 1.2, 0, 2 * Math.PI); g.stroke();
  }),
  terminal: (fill) => drawIcon(14, (g, s) => {
    g.fillStyle = fill; g.strokeStyle = "#fff"; g.lineWidth = 1.6;
    g.beginPath(); g.roundRect(1.5, 1.5, s - 3, s - 3, 2); g.fill(); g.stroke();
    g.fillStyle = "#fff"; g.fillRect(s / 2 - 1.5, s / 2 - 1.5, 3, 3);
  }),
};
const ICON_FILL = { border: "#b42318", port: "#1d3557", terminal: "#b45309" };
const CLOSED_FILL = "#98a2b3";

/** The same symbols as SVG, for the legend and the tables. */
export function iconSvg(role, closed = false) {
  const fill = closed ? CLOSED_FILL : ICON_FILL[role];
  if (role === "border") return `<svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1 15 8 8 15 1 8Z" fill="${fill}" stroke="#fff" stroke-width="1.6"/></svg>`;
  if (role === "port") return `<svg width="15" height="15" viewBox="0 0 18 18" aria-hidden="true"><circle cx="9" cy="9" r="8" fill="${fill}"/><path d="M9 4.5V13.5M6.3 7H11.7M5.3 10.8A4 4 0 0 0 12.7 10.8" stroke="#fff" stroke-width="1.5" fill="none" stroke-linecap="round"/></svg>`;
  if (role === "terminal") return `<svg width="13" height="13" viewBox="0 0 14 14" aria-hidden="true"><rect x="1.5" y="1.5" width="11" height="11" rx="2" fill="${fill}" stroke="#fff" stroke-width="1.6"/><rect x="5.5" y="5.5" width="3" height="3" fill="#fff"/></svg>`;
  return `<svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="3.5" fill="#fff" stroke="#344054" stroke-width="1.5"/></svg>`;
}

// ---------------------------------------------------------------- the map

export class CorridorMap {
  constructor(container, { onPick, onReady }) {
    this.onPick = onPick;
    this.markers = { labels: [], badges: [], ends: [] };
    this.showLabels = true;
    this.overlay = null; // "route" | "capacity" | "flows" | "criticality" | "invest" | null
    this.flowMax = 0;
    this.map = new maplibregl.Map({
      container,
      style: baseStyle(),
      center: [20, 50],
      zoom: 3.5,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    this.map.addControl(new FitControl(() => this.fitNetwork()), "top-right");
    this.map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
    this.map.addControl(new maplibregl.AttributionControl({
      compact: true,
      customAttribution: "Countries: Natural Earth (public domain)",
    }), "bottom-right");
    this.map.touchZoomRotate.disableRotation();
    this.map.on("load", () => {
      for (const role of Object.keys(ICONS)) {
        this.map.addImage(`i-${role}`, ICONS[role](ICON_FILL[role]), { pixelRatio: ICON_PX });
        this.map.addImage(`i-${role}-closed`, ICONS[role](CLOSED_FILL), { pixelRatio: ICON_PX });
      }
      this.map.getContainer().querySelector(".maplibregl-compact-show")?.classList.remove("maplibregl-compact-show");
      this.addLayers();
      this.bindEvents();
      onReady?.(this);
    });
  }

  addLayers() {
    const m = this.map;
    for (const id of ["net-links", "net-sites", "route", "route-base", "cap", "flows", "crit", "proj"]) {
      m.addSource(id, { type: "geojson", data: EMPTY });
    }
    // network
    m.addLayer({
      id: "net-links-casing", type: "line", source: "net-links",
      filter: ["==", ["slice", ["coalesce", ["get", "layer"], ""], 0, 4], "rail"],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": "#ffffff", "line-width": ["interpolate", ["linear"], ["zoom"], 4, 4, 9, 8], "line-opacity": 0.9 },
    });
    m.addLayer({
      id: "net-links", type: "line", source: "net-links",
      filter: ["match", ["get", "mode"], ["sea", "river"], false, true],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": layerColorExpr,
        "line-width": ["interpolate", ["linear"], ["zoom"], 4,
          ["match", ["get", "mode"], "rail", 2.4, "road", 1.8, 1.5], 9,
          ["match", ["get", "mode"], "rail", 5, "road", 3.5, 3]],
        "line-opacity": ["case", ["get", "open"], 0.95, 0.35],
      },
    });
    m.addLayer({
      id: "net-water", type: "line", source: "net-links",
      filter: ["match", ["get", "mode"], ["sea", "river"], true, false],
      layout: { "line-join": "round" },
      paint: {
        "line-color": layerColorExpr,
        "line-width": ["interpolate", ["linear"], ["zoom"], 4, 1.6, 9, 3],
        "line-dasharray": [2.5, 1.5],
        "line-opacity": ["case", ["get", "open"], 0.95, 0.35],
      },
    });
    m.addLayer({
      id: "net-nodes", type: "circle", source: "net-sites",
      filter: ["==", ["get", "role"], "node"],
      paint: { "circle-radius": 3.5, "circle-color": "#fff", "circle-stroke-color": "#344054", "circle-stroke-width": 1.5 },
    });
    m.addLayer({
      id: "net-sites", type: "symbol", source: "net-sites",
      filter: ["!=", ["get", "role"], "node"],
      layout: {
        "icon-image": ["concat", "i-", ["get", "role"], ["case", ["get", "closed"], "-closed", ""]],
        "icon-allow-overlap": true, "icon-ignore-placement": true,
        "symbol-sort-key": ["match", ["get", "role"], "border", 3, "port", 2, 1],
      },
    });
    // capacity and flow overlays (under the route, above the network)
    m.addLayer({
      id: "cap-halo", type: "line", source: "cap", filter: ["all", IS_LINE, ["get", "bottleneck"]],
      layout: { "line-cap": "round" },
      paint: { "line-color": BOTTLENECK, "line-opacity": 0.28, "line-width": ["+", 10, ["*", 12, ["coalesce", ["get", "share_of_cut"], 0]]] },
    });
    m.addLayer({
      id: "cap-line", type: "line", source: "cap",
      filter: ["all", IS_LINE, [">", ["coalesce", ["get", "flow"], 0], 0]],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": ["case", ["get", "bottleneck"], BOTTLENECK, utilColorExpr], "line-width": 3 },
    });
    m.addLayer({
      id: "cap-points", type: "circle", source: "cap",
      filter: ["all", ["==", ["geometry-type"], "Point"], ["any", ["get", "bottleneck"], [">", ["coalesce", ["get", "flow"], 0], 0]]],
      paint: {
        "circle-radius": ["case", ["get", "bottleneck"], 8, 5],
        "circle-color": ["case", ["get", "bottleneck"], BOTTLENECK, utilColorExpr],
        "circle-opacity": 0.9,
        "circle-stroke-color": ["case", ["get", "bottleneck"], "#7a271a", "#ffffff"],
        "circle-stroke-width": ["case", ["get", "bottleneck"], 2.5, 1.2],
      },
    });
    m.addLayer({
      id: "flow-line", type: "line", source: "flows",
      filter: ["all", IS_LINE, [">", ["coalesce", ["get", "flow"], 0], 0]],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": utilColorExpr, "line-width": 2, "line-opacity": 0.9 },
    });
    m.addLayer({
      id: "flow-points", type: "circle", source: "flows",
      filter: ["all", ["==", ["geometry-type"], "Point"], [">", ["coalesce", ["get", "flow"], 0], 0]],
      paint: { "circle-color": utilColorExpr, "circle-radius": 4, "circle-stroke-color": "#fff", "circle-stroke-width": 1.2 },
    });
    // criticality: lines wider and darker the more flow their closure loses
    m.addLayer({
      id: "crit-line", type: "line", source: "crit", filter: IS_LINE,
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": lostColorExpr,
        "line-width": ["interpolate", ["linear"], ["coalesce", ["get", "lost_share"], 0], 0, 2.5, 1, 10],
      },
    });
    m.addLayer({
      id: "crit-points", type: "circle", source: "crit", filter: ["==", ["geometry-type"], "Point"],
      paint: {
        "circle-color": lostColorExpr,
        "circle-radius": ["interpolate", ["linear"], ["coalesce", ["get", "lost_share"], 0], 0, 5, 1, 13],
        "circle-stroke-color": ["case", ["get", "connected"], "#ffffff", "#101828"],
        "circle-stroke-width": ["case", ["get", "connected"], 1.5, 3],
        "circle-opacity": 0.92,
      },
    });
    // investments: what each project changes or adds, the chosen ones strong
    const projColor = ["case", ["get", "chosen"], PROJECT_CHOSEN, PROJECT_OTHER];
    m.addLayer({
      id: "proj-line", type: "line", source: "proj", filter: IS_LINE,
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": projColor, "line-width": ["case", ["get", "chosen"], 8, 4], "line-opacity": 0.9 },
    });
    m.addLayer({
      id: "proj-points", type: "circle", source: "proj", filter: ["==", ["geometry-type"], "Point"],
      paint: {
        "circle-color": projColor,
        "circle-radius": ["case", ["get", "chosen"], 11, 7],
        "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 2.5,
        "circle-opacity": 0.92,
      },
    });
    // route
    m.addLayer({
      id: "route-base", type: "line", source: "route-base", filter: ["==", ["get", "element"], "leg"],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": "#475467", "line-width": 4, "line-dasharray": [1.2, 1.2], "line-opacity": 0.75 },
    });
    m.addLayer({
      id: "route-casing", type: "line", source: "route", filter: ["==", ["get", "element"], "leg"],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": "#111827", "line-width": 11, "line-opacity": 0.85 },
    });
    m.addLayer({
      id: "route-line", type: "line", source: "route", filter: ["==", ["get", "element"], "leg"],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: { "line-color": layerColorExpr, "line-width": 6.5 },
    });
    m.addLayer({
      id: "route-points", type: "circle", source: "route",
      filter: ["match", ["get", "element"], ["transfer", "crossing"], true, false],
      paint: {
        "circle-radius": ["match", ["get", "element"], "transfer", 9, 6],
        "circle-color": ["match", ["get", "element"], "transfer", "#fff7ed", "#fff"],
        "circle-stroke-color": ["match", ["get", "element"], "transfer", "#b45309", "#b42318"],
        "circle-stroke-width": 3,
      },
    });
    this.routeLayers = ["route-casing", "route-line", "route-points"];
  }

  bindEvents() {
    const m = this.map;
    const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, maxWidth: "320px", offset: 10 });
    const hoverable = ["net-sites", "net-nodes", "net-links", "net-water", "cap-points", "cap-line", "flow-line", "flow-points", "crit-points", "crit-line", "proj-points", "proj-line", "route-points", "route-line"];
    m.on("mousemove", (e) => {
      const layers = hoverable.filter((l) => m.getLayer(l));
      const f = m.queryRenderedFeatures(e.point, { layers })[0];
      m.getCanvas().style.cursor = this.pickTarget ? "crosshair" : f ? "pointer" : "";
      if (!f) return popup.remove();
      popup.setLngLat(e.lngLat).setHTML(describe(f, this)).addTo(m);
    });
    m.on("mouseout", () => popup.remove());
    m.on("moveend", () => this.declutter());
    m.on("click", (e) => {
      const node = this.nearestNode(e.point);
      if (node) this.onPick?.(node);
    });
  }

  /** The network node nearest to a screen point (any distance). */
  nearestNode(point) {
    let best = null, bestD = Infinity;
    for (const n of this.nodes || []) {
      const p = this.projectNear(n.coords);
      const d = (p.x - point.x) ** 2 + (p.y - point.y) ** 2;
      if (d < bestD) { bestD = d; best = n; }
    }
    return best;
  }

  /**
   * Screen position of a [lon, lat] in the world copy nearest the view's
   * centre, as MapLibre draws markers: near ±180° a node at -179° is shown
   * next to one at 179°, not a world away.
   */
  projectNear([lng, lat]) {
    const c = this.map.getCenter().lng;
    return this.map.project([lng + 360 * Math.round((c - lng) / 360), lat]);
  }

  /** Draws a network (the export GeoJSON) and fits the map to its bbox. */
  setNetwork(geo, bbox, index) {
    this.index = index;
    this.nodes = [...index.nodes.values()];
    const links = geo.features.filter((f) => f.properties.element === "link");
    this.map.getSource("net-links").setData({ type: "FeatureCollection", features: links });
    this.map.getSource("net-sites").setData({ type: "FeatureCollection", features: index.siteFeatures() });
    // The nodes' bounds the narrow way round ±180° (the summary's bbox
    // spans the whole world for a network on both sides of it).
    const around = boundsAround(this.nodes.map((n) => n.coords));
    this.bbox = around ? [...around[0], ...around[1]] : bbox;
    this.clearOverlay();
    this.drawLabels();
    this.fitNetwork();
  }

  fitNetwork() {
    const b = this.bbox;
    if (!b) return;
    this.map.resize();
    this.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: this.padding(), duration: 0, maxZoom: 8 });
    this.declutter();
  }

  drawLabels() {
    this.markers.labels.forEach((mk) => mk.remove());
    this.markers.labels = [];
    if (!this.showLabels || !this.nodes || this.nodes.length > 300) return;
    const rank = (n) => {
      const role = this.index.role(this.index.sites.get(n.id)).role;
      return (n.kind === "port" ? 40 : n.kind === "city" ? 30 : 0) + (role === "border" ? 20 : role === "terminal" ? 10 : 0);
    };
    const nodes = [...this.nodes].sort((a, b) => rank(b) - rank(a) || a.name.length - b.name.length);
    for (const n of nodes) {
      const el = document.createElement("div");
      el.className = "node-label";
      el.textContent = n.name;
      this.markers.labels.push(new maplibregl.Marker({ element: el }).setLngLat(n.coords).addTo(this.map));
    }
    this.declutter();
  }

  /**
   * Places badges (by share, largest first) and then node names where they
   * overlap nothing already placed, trying four sides of their point; what
   * does not fit is hidden until the next zoom. Node symbols count as taken.
   */
  declutter() {
    const taken = [];
    const free = (r) => !taken.some((p) => r.x < p.x + p.w && r.x + r.w > p.x && r.y < p.y + p.h && r.y + r.h > p.y);
    for (const n of this.nodes || []) {
      const p = this.projectNear(n.coords);
      taken.push({ x: p.x - 6, y: p.y - 6, w: 12, h: 12 });
    }
    const ends = this.markers.ends.map((mk) => this.map.project(mk.getLngLat()));
    for (const p of ends) taken.push({ x: p.x - 13, y: p.y - 13, w: 26, h: 26 });
    const place = (mk, near) => {
      const el = mk.getElement();
      const w = (el._w ||= el.offsetWidth || 60), h = (el._h ||= el.offsetHeight || 14);
      const p = this.map.project(mk.getLngLat());
      const gap = ends.some((e) => Math.abs(e.x - p.x) < 2 && Math.abs(e.y - p.y) < 2) ? 15 : near; // clear an A/B marker
      const sides = [[0, -(h / 2 + gap)], [w / 2 + gap, 0], [0, h / 2 + gap], [-(w / 2 + gap), 0]];
      if (el.classList.contains("node-label")) sides.unshift(sides.splice(1, 1)[0]); // names prefer the right
      for (const [dx, dy] of sides) {
        const r = { x: p.x + dx - w / 2, y: p.y + dy - h / 2, w, h };
        if (free(r)) {
          taken.push(r);
          mk.setOffset([dx, dy]);
          el.style.visibility = "";
          return;
        }
      }
      el.style.visibility = "hidden";
    };
    for (const mk of this.markers.badges) place(mk, 9);
    for (const mk of this.markers.labels) place(mk, 7);
  }

  setLabels(on) {
    this.showLabels = on;
    this.drawLabels();
  }

  clearOverlay() {
    this.fitTarget = null;
    for (const s of ["route", "route-base", "cap", "flows", "crit", "proj"]) this.map.getSource(s)?.setData(EMPTY);
    this.clearMarkers("badges");
    this.clearMarkers("ends");
    this.overlay = null;
    this.dimNetwork(false);
  }

  clearMarkers(kind) {
    this.markers[kind].forEach((mk) => mk.remove());
    this.markers[kind] = [];
  }

  dimNetwork(on) {
    for (const l of ["net-links", "net-water"]) {
      this.map.setPaintProperty(l, "line-opacity", on ? ["case", ["get", "open"], 0.35, 0.15] : ["case", ["get", "open"], 0.95, 0.35]);
    }
    this.map.setPaintProperty("net-links-casing", "line-opacity", on ? 0.3 : 0.9);
  }

  /** An itinerary (or a Pareto set) from the route endpoint's GeoJSON. */
  showRoute(geojson, { itinerary = null, base = null, fit = true } = {}) {
    this.clearOverlay();
    this.overlay = "route";
    this.dimNetwork(true);
    this.map.getSource("route").setData(geojson);
    this.map.getSource("route-base").setData(base || EMPTY);
    this.selectItinerary(itinerary);
    for (const f of geojson.features) {
      const e = f.properties.element;
      if ((e === "origin" || e === "destination") && (itinerary === null || f.properties.itinerary === undefined || f.properties.itinerary === itinerary)) {
        const el = document.createElement("div");
        el.className = `end-marker ${e === "origin" ? "from" : "to"}`;
        el.textContent = e === "origin" ? "A" : "B";
        this.markers.ends.push(new maplibregl.Marker({ element: el }).setLngLat(f.geometry.coordinates).addTo(this.map));
      }
    }
    if (fit) this.fitTarget = { collections: [geojson, base], keep: () => true };
  }

  /** Shows one itinerary of a Pareto set (null: all features). */
  selectItinerary(i) {
    const only = (f) => (i === null ? f : ["all", f, ["==", ["coalesce", ["get", "itinerary"], i], i]]);
    this.map.setFilter("route-casing", only(["==", ["get", "element"], "leg"]));
    this.map.setFilter("route-line", only(["==", ["get", "element"], "leg"]));
    this.map.setFilter("route-points", only(["match", ["get", "element"], ["transfer", "crossing"], true, false]));
  }

  /** A capacity run's GeoJSON; `badges` are [{id, share, cls}] drawn as labels. */
  showCapacity(geojson, badges) {
    this.clearOverlay();
    this.overlay = "capacity";
    this.dimNetwork(true);
    const max = Math.max(1, ...geojson.features.map((f) => f.properties.flow || 0));
    this.flowMax = max;
    this.map.setPaintProperty("cap-line", "line-width", widthExpr(max, 2, 12));
    this.map.getSource("cap").setData(geojson);
    this.drawBadges(badges, geojson);
    this.fitTarget = { collections: [geojson], keep: (f) => (f.properties.flow || 0) > 0 || f.properties.bottleneck };
  }

  /** Assignment flows as widths (sqrt scale so small flows stay visible). */
  showFlows(geojson) {
    this.clearOverlay();
    this.overlay = "flows";
    this.dimNetwork(true);
    const max = Math.max(1, ...geojson.features.map((f) => f.properties.flow || 0));
    this.flowMax = max;
    this.map.setPaintProperty("flow-line", "line-width", widthExpr(max, 1.5, 14));
    this.map.setPaintProperty("flow-points", "circle-radius", widthExpr(max, 3, 10));
    this.map.getSource("flows").setData(geojson);
    this.fitTarget = { collections: [geojson], keep: (f) => (f.properties.flow || 0) > 0 };
  }

  /**
   * A criticality run: `geojson` holds the elements whose closure changes
   * something (properties as the report's elements, with `rank`);
   * `badges` label the most critical.
   */
  showCriticality(geojson, badges) {
    this.clearOverlay();
    this.overlay = "criticality";
    this.dimNetwork(true);
    this.map.getSource("crit").setData(geojson);
    this.drawBadges(badges, geojson);
    this.fitTarget = { collections: [geojson], keep: () => true };
  }

  /**
   * An investment screening: `geojson` holds what each project changes or
   * adds (properties `project`, `chosen`, `kind`, `id`); `badges` name the
   * chosen projects.
   */
  showProjects(geojson, badges) {
    this.clearOverlay();
    this.overlay = "invest";
    this.dimNetwork(true);
    this.map.getSource("proj").setData(geojson);
    this.drawBadges(badges, geojson);
    const chosen = geojson.features.some((f) => f.properties.chosen);
    // A few sites close together: not so close that their names do not fit.
    this.fitTarget = { collections: [geojson], keep: (f) => !chosen || f.properties.chosen, maxZoom: 6 };
  }

  drawBadges(badges, ...extra) {
    this.clearMarkers("badges");
    for (const b of [...badges].sort((x, y) => (y.share || 0) - (x.share || 0))) {
      const at = this.positionOf(b.kind, b.id, extra);
      if (!at) continue;
      const el = document.createElement("div");
      el.className = `share-badge ${b.cls || ""}`;
      el.textContent = b.text;
      el.dataset.id = b.id;
      el.title = b.title || "";
      this.markers.badges.push(new maplibregl.Marker({ element: el }).setLngLat(at).addTo(this.map));
    }
  }

  /** Where to put a label for an element: a point's position, a line's middle. */
  positionOf(kind, id, extra = []) {
    for (const fc of extra) {
      for (const f of fc?.features || []) {
        const p = f.properties;
        if (p.id === id && (p.kind === kind || p.element === kind || (!p.kind && !p.element))) return anchorOf(f.geometry);
      }
    }
    return this.index?.positionOf(kind, id) || null;
  }

  /**
   * Fits the map to the last overlay drawn. Called once the results panel
   * is filled, because that panel's height decides the map's.
   */
  fitOverlay() {
    const t = this.fitTarget;
    this.map.resize();
    if (!t) return this.declutter();
    const pts = [];
    for (const fc of t.collections) {
      for (const f of fc?.features || []) {
        if (t.keep(f)) pts.push(...positions(f.geometry));
      }
    }
    const b = boundsAround(pts);
    if (b) this.map.fitBounds(b, { padding: this.padding(), duration: 0, maxZoom: t.maxZoom ?? 8 });
    this.declutter();
  }

  /** Room around a fitted view so the legend does not hide what was fitted. */
  padding() {
    const pad = { top: 40, bottom: 40, left: 50, right: 60 };
    const legend = document.querySelector("#legend");
    const box = this.map.getContainer().getBoundingClientRect();
    if (legend && legend.offsetWidth) {
      const r = legend.getBoundingClientRect();
      if (r.height > box.height * 0.45) pad.left = Math.min(box.width / 3, r.right - box.left + 24);
      else pad.bottom = Math.min(box.height / 3, box.bottom - r.top + 16);
    }
    return pad;
  }

  /** Resolves when the map has drawn everything it was given. */
  idle() {
    return new Promise((resolve) => {
      if (this.map.loaded() && !this.map.isMoving()) {
        this.map.once("idle", resolve);
        this.map.triggerRepaint();
      } else this.map.once("idle", resolve);
    });
  }
}

/** A map button that zooms back to the whole network. */
class FitControl {
  constructor(onFit) { this.onFit = onFit; }
  onAdd() {
    this.el = document.createElement("div");
    this.el.className = "maplibregl-ctrl maplibregl-ctrl-group";
    this.el.innerHTML = `<button type="button" class="fit-network" title="Zoom to the whole network" aria-label="Zoom to the whole network">
      <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" style="margin:auto;display:block"><path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4" fill="none" stroke="#344054" stroke-width="1.8"/></svg></button>`;
    this.el.querySelector("button").addEventListener("click", this.onFit);
    return this.el;
  }
  onRemove() { this.el.remove(); }
}

function baseStyle() {
  return {
    version: 8,
    sources: {
      countries: { type: "geojson", data: new URL("data/countries.geojson", document.baseURI).href },
    },
    layers: [
      { id: "sea", type: "background", paint: { "background-color": "#dce8f2" } },
      { id: "land", type: "fill", source: "countries", paint: { "fill-color": "#f8f7f3", "fill-outline-color": "#f8f7f3" } },
      { id: "borders", type: "line", source: "countries", paint: { "line-color": "#b8b2a7", "line-width": 0.7 } },
    ],
  };
}

function widthExpr(max, lo, hi) {
  return ["interpolate", ["linear"], ["sqrt", ["coalesce", ["get", "flow"], 0]], 0, lo, Math.sqrt(max), hi];
}

/** Width in pixels the flow layers give to `flow` (mirrors widthExpr). */
export function widthFor(flow, max, lo, hi) {
  return lo + (hi - lo) * Math.sqrt(Math.max(0, flow) / max);
}

function anchorOf(g) {
  if (g?.type === "Point") return g.coordinates;
  const parts = lineParts(g);
  return parts.length ? lineMiddle(parts) : null;
}

/** Hover text for any feature on the map. */
function describe(f, cm) {
  const p = f.properties;
  const rows = [];
  const row = (k, v) => v !== undefined && v !== null && v !== "" && rows.push(`<span class="muted">${esc(k)}</span> ${esc(v)}`);
  const layer = f.layer.id;
  if (layer === "net-sites" || layer === "net-nodes") {
    const site = cm.index?.sites.get(p.id);
    let h = `<b>${esc(p.name)}</b>${esc(p.id)} · ${esc(p.kind)}${p.country ? " · " + esc(p.country) : ""}`;
    for (const t of site?.terminals || []) h += `<br>${iconSvg("terminal", !t.open)} ${esc(t.name || t.id)}: ${esc((t.connects || []).join(", "))}${t.open ? "" : " (closed)"}`;
    for (const b of site?.borders || []) h += `<br>${iconSvg("border", !b.open)} ${esc(b.name || b.id)}: ${esc((b.countries || []).join("–"))}${b.open ? "" : " (closed)"}`;
    return h;
  }
  if (layer === "net-links" || layer === "net-water") {
    row("layer", p.layer);
    row("length", `${num(p.length_km, 0)} km`);
    row("capacity", p.capacity_t_per_day ? `${num(p.capacity_t_per_day)} t/day` : "not limited");
    if (!p.open) rows.push("<span class=\"delta-down\">closed</span>");
    return `<b>${esc(p.id)}</b>${esc(cm.index?.nodeName(p.from))} – ${esc(cm.index?.nodeName(p.to))}<br>${rows.join("<br>")}`;
  }
  if (layer.startsWith("route")) {
    if (p.element === "leg") return `<b>${esc(p.layer)}</b>${esc(cm.index?.nodeName(p.from))} → ${esc(cm.index?.nodeName(p.to))}<br>${num(p.km, 0)} km · ${num(p.hours, 1)} h`;
    if (p.element === "transfer") return `<b>transfer ${esc(p.from_layer)} → ${esc(p.to_layer)}</b>${esc(p.terminal)} · ${num(p.hours, 1)} h`;
    return `<b>border crossing</b>${esc(p.border)} · ${num(p.hours, 1)} h`;
  }
  if (layer.startsWith("proj")) {
    row("project", p.project);
    row("cost", num(p.cost, 2));
    row("adds alone", p.added === null || p.added === undefined ? undefined : `${num(p.added)} t/day`);
    rows.push(p.chosen ? `<span class="delta-up">chosen within the budget</span>` : `<span class="muted">not chosen</span>`);
    return `<b>${esc(p.note || p.project)}</b>${esc(p.kind)} ${esc(p.id)}<br>${rows.join("<br>")}`;
  }
  if (layer.startsWith("crit")) {
    row("rank", `#${p.rank}`);
    row("lost when closed", `${num(p.lost)} t/day (${pct(p.lost_share)})`);
    row("cost change", p.cost_change === null || p.cost_change === undefined ? undefined : `${p.cost_change > 0 ? "+" : ""}${num(p.cost_change, 2)} per t`);
    if (!p.connected) rows.push("<span class=\"delta-down\">disconnects the origins from the destinations</span>");
    else if (p.cut_off) rows.push(`<span class="delta-down">cuts ${esc(p.cut_off)}</span>`);
    return `<b>${esc(p.name || p.id)}</b>${esc(p.kind)} ${esc(p.id)}<br>${rows.join("<br>")}`;
  }
  // capacity and flow overlays
  const name = p.name || p.id;
  row("flow", p.flow !== undefined ? `${num(p.flow)} t/day` : undefined);
  row("capacity", p.capacity ?? p.capacity_t_per_day ? `${num(p.capacity ?? p.capacity_t_per_day)} t/day` : "not limited");
  row("use", p.utilisation !== undefined ? pct(p.utilisation) : undefined);
  if (p.bottleneck) rows.push(`<span class="delta-down">bottleneck: ${pct(p.share_of_cut)} of the cut</span>`);
  return `<b>${esc(name)}</b>${esc(p.kind || p.element || "")} ${esc(p.id)}<br>${rows.join("<br>")}`;
}
