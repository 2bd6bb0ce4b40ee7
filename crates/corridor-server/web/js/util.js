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

/** The point halfway along a polyline (by planar length, fine for a label). */
export function lineMiddle(cs) {
  let total = 0;
  const seg = [];
  for (let i = 1; i < cs.length; i++) {
    const d = Math.hypot(cs[i][0] - cs[i - 1][0], cs[i][1] - cs[i - 1][1]);
    seg.push(d); total += d;
  }
  let half = total / 2;
  for (let i = 0; i < seg.length; i++) {
    if (half <= seg[i] && seg[i] > 0) {
      const t = half / seg[i];
      return [cs[i][0] + t * (cs[i + 1][0] - cs[i][0]), cs[i][1] + t * (cs[i + 1][1] - cs[i][1])];
    }
    half -= seg[i];
  }
  return cs[0];
}
