// Unit tests of the map page's geometry helpers (web/js/util.js) without a
// browser: lines split at ±180° (MultiLineStrings, RFC 7946 § 3.1.9) get a
// middle point on the line and bounds the short way round. Run with
// `node --test` (run.sh does, before the browser test).

import assert from "node:assert/strict";
import test from "node:test";
import { boundsAround, lineMiddle, lineParts, positions } from "../../web/js/util.js";

const near = (a, b, what) => assert.ok(Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9, `${what}: ${a} vs ${b}`);

test("a LineString's middle is halfway along it", () => {
  near(lineMiddle([[0, 0], [10, 0], [10, 10]]), [10, 0], "corner");
  near(lineMiddle([[0, 0], [4, 0]]), [2, 0], "straight");
});

test("a MultiLineString's middle is halfway along its parts, on one of them", () => {
  // 178 → 180 then -180 → -172: 2° + 8°, so the middle is 3° into the second part.
  const parts = [[[178, -18], [180, -18]], [[-180, -18], [-172, -18]]];
  near(lineMiddle(parts), [-177, -18], "split at 180");
  assert.deepEqual(lineParts({ type: "MultiLineString", coordinates: parts }), parts);
  assert.deepEqual(lineParts({ type: "LineString", coordinates: parts[0] }), [parts[0]]);
  assert.deepEqual(lineParts({ type: "Point", coordinates: [0, 0] }), []);
  assert.equal(positions({ type: "MultiLineString", coordinates: parts }).length, 4);
});

test("degenerate lines give their first point, or null", () => {
  near(lineMiddle([[5, 5], [5, 5]]), [5, 5], "zero length");
  assert.equal(lineMiddle([]), null);
});

test("bounds take the short way round in longitude", () => {
  assert.deepEqual(boundsAround([[10, 40], [30, 55]]), [[10, 40], [30, 55]]);
  assert.deepEqual(boundsAround([[178, -18], [-172, -13], [-175, -21]]), [[178, -21], [188, -13]]);
  assert.deepEqual(boundsAround([[-100, 0], [100, 0], [0, 0]]), [[-100, 0], [100, 0]]); // across 0°, not ±180°
  assert.equal(boundsAround([]), null);
});
