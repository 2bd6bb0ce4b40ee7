// What the page knows about the loaded network, read once from the export
// GeoJSON: nodes by id (for names, search suggestions and click-to-pick),
// the terminals and border crossings at each node (one map symbol per site:
// border crossing over port over terminal), and where any element is, so
// results that only carry ids can be labelled on the map.

import { lineMiddle } from "./util.js";

export class NetworkIndex {
  constructor(geo) {
    this.currency = geo.currency || "";
    this.nodes = new Map();
    this.links = new Map();
    this.terminals = new Map();
    this.borders = new Map();
    this.sites = new Map();
    for (const f of geo.features) {
      const p = f.properties;
      if (p.element === "node") {
        this.nodes.set(p.id, { id: p.id, name: p.name || p.id, kind: p.kind, country: p.country, open: p.open, coords: f.geometry.coordinates });
      } else if (p.element === "link") {
        // A LineString's coordinates, or a MultiLineString's parts for a
        // lane split at ±180°; lineMiddle takes either.
        this.links.set(p.id, { ...p, coords: f.geometry.coordinates });
      } else if (p.element === "terminal") {
        this.terminals.set(p.id, { ...p, coords: f.geometry.coordinates });
      } else if (p.element === "border") {
        this.borders.set(p.id, { ...p, coords: f.geometry.coordinates });
      }
    }
    for (const n of this.nodes.values()) this.sites.set(n.id, { node: n, terminals: [], borders: [] });
    for (const t of this.terminals.values()) this.sites.get(t.node)?.terminals.push(t);
    for (const b of this.borders.values()) this.sites.get(b.node)?.borders.push(b);
  }

  nodeName(id) {
    return this.nodes.get(id)?.name || id;
  }

  /** "Kyiv (kyiv)" when name and id differ, else the id. */
  label(id) {
    const n = this.nodes.get(id);
    return n && n.name !== id ? `${n.name} (${id})` : id;
  }

  /** The site symbol of a node and whether everything there is closed. */
  role(site) {
    const { node, terminals, borders } = site;
    if (borders.length) return { role: "border", closed: borders.every((b) => !b.open) };
    if (node.kind === "port") return { role: "port", closed: !node.open || (terminals.length > 0 && terminals.every((t) => !t.open)) };
    if (terminals.length) return { role: "terminal", closed: terminals.every((t) => !t.open) };
    return { role: "node", closed: !node.open };
  }

  siteFeatures() {
    return [...this.sites.values()].map((site) => {
      const n = site.node;
      const { role, closed } = this.role(site);
      return {
        type: "Feature",
        geometry: { type: "Point", coordinates: n.coords },
        properties: { id: n.id, name: n.name, kind: n.kind, country: n.country, role, closed },
      };
    });
  }

  /** Counts of sites by symbol, for the legend. */
  roleCounts() {
    const c = { border: 0, port: 0, terminal: 0, node: 0, closed: 0 };
    for (const site of this.sites.values()) {
      const r = this.role(site);
      c[r.role]++;
      if (r.closed) c.closed++;
    }
    return c;
  }

  positionOf(kind, id) {
    if (kind === "link" && this.links.has(id)) return lineMiddle(this.links.get(id).coords);
    if (kind === "terminal" && this.terminals.has(id)) return this.terminals.get(id).coords;
    if (kind === "border" && this.borders.has(id)) return this.borders.get(id).coords;
    if (this.nodes.has(id)) return this.nodes.get(id).coords;
    return null;
  }

  /** The layers present, in a stable order, for the legend. */
  layers() {
    const seen = new Set();
    for (const l of this.links.values()) seen.add(l.layer);
    const order = ["rail:1520", "rail:1435", "road", "sea", "river"];
    return [...seen].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  }
}
