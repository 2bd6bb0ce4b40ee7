// Small shared helpers: number formatting in a planner's precision, HTML
// escaping for the tables, and client-side downloads (Blob + <a download>),
// so every result can leave the page as GeoJSON or CSV without a server trip.

const nf = (digits) => new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const f0 = nf(0), f1 = nf(1), f2 = nf(2);

/** A number with thousands separators; `digits` after the point. */
export function num(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return (digits === 0 ? f0 : digits === 1 ? f1 : digits === 2 ? f2 : nf(digits)).format(x);
}

export function pct(x, digits = 1) {
  return x === null || x === undefined ? "–" : `${num(100 * x, digits)}%`;
}

const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ESC[c]);
}

/** Tagged template: escapes every interpolated value except nested html`` results. */
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => {
    const part = Array.isArray(v) ? v.map((x) => (x && x.__raw !== undefined ? x.__raw : esc(x))).join("")
      : v && v.__raw !== undefined ? v.__raw : esc(v);
    out += part + strings[i + 1];
  });
  return { __raw: out };
}

/** Rows (arrays of objects) to RFC 4180 CSV with the given columns. */
export function toCsv(columns, rows) {
  const cell = (v) => {
    if (v === null || v === undefined) return "";
    const s = Array.isArray(v) ? v.join(" ") : typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** Offers `text` as a file download, entirely in the browser. */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Splits "a, b ,c" into ["a","b","c"]. */
export function list(s) {
  return String(s || "").split(",").map((x) => x.trim()).filter(Boolean);
}

/**
 * A line geometry's parts: a LineString is one part, a MultiLineString (a
 * line the export split at the ±180° meridian, RFC 7946 § 3.1.9) several.
 */
export function lineParts(g) {
  if (g?.type === "LineString") return [g.coordinates];
  if (g?.type === "MultiLineString") return g.coordinates;
  return [];
}

/** Every position of a Point, MultiPoint, LineString or MultiLineString. */
export function positions(g) {
  if (g?.type === "Point") return [g.coordinates];
  if (g?.type === "MultiPoint") return g.coordinates;
  return lineParts(g).flat();
}

/**
 * The point halfway along a line (by planar length, fine for a label):
 * `cs` is a LineString's coordinates or a MultiLineString's parts, measured
 * one after the other, so the middle of a split line lies on one of them.
 */
export function lineMiddle(cs) {
  const parts = Array.isArray(cs?.[0]?.[0]) ? cs : [cs];
  const segs = [];
  let total = 0;
  for (const part of parts) {
    for (let i = 1; i < part.length; i++) {
      const d = Math.hypot(part[i][0] - part[i - 1][0], part[i][1] - part[i - 1][1]);
      segs.push([part[i - 1], part[i], d]);
      total += d;
    }
  }
  let half = total / 2;
  for (const [a, b, d] of segs) {
    if (half <= d && d > 0) {
      const t = half / d;
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    }
    half -= d;
  }
  return parts.find((p) => p.length)?.[0] || null;
}

/**
 * [[west, south], [east, north]] around the positions, taking the
 * narrower way round in longitude: points on both sides of ±180° give an
 * east edge beyond 180 (e.g. 178 … 188.2), which MapLibre fits as one view.
 * Null for no positions.
 */
export function boundsAround(pts) {
  if (!pts.length) return null;
  let w = Infinity, e = -Infinity, w2 = Infinity, e2 = -Infinity, s = Infinity, n = -Infinity;
  for (const [x, y] of pts) { // a loop, not Math.min(...): networks have 10⁵ nodes
    const x2 = x < 0 ? x + 360 : x;
    w = Math.min(w, x); e = Math.max(e, x);
    w2 = Math.min(w2, x2); e2 = Math.max(e2, x2);
    s = Math.min(s, y); n = Math.max(n, y);
  }
  return e2 - w2 < e - w ? [[w2, s], [e2, n]] : [[w, s], [e, n]];
}
