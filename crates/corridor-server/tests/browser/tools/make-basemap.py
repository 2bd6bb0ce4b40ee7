#!/usr/bin/env python3
"""Builds the map page's offline base layer, web/data/countries.geojson.

The page has no tile server, so it draws countries as vector polygons from
one small GeoJSON embedded in the binary. Europe and its neighbours come from
the repository's Natural Earth 1:50m layer (data/natural_earth, the same
countries `corridor import osm` uses for borders); the rest of the world from
Natural Earth 1:110m, without the countries the 1:50m layer already has, so
the two never overlap. Both are simplified (Douglas-Peucker) and rounded so
the file stays well under 500 KB. Natural Earth is public domain.

    python3 crates/corridor-server/tests/browser/tools/make-basemap.py \
        [--world ../shared/data/natural_earth/ne_110m_admin_0_countries.geojson]
"""
import argparse
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[5]


def simplify(points, tol):
    """Douglas-Peucker on one ring, iteratively (rings can be long)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        ax, ay = points[a]
        bx, by = points[b]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        worst, worst_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
            d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d > worst:
                worst, worst_i = d, i
        if worst > tol * tol:
            keep[worst_i] = True
            stack += [(a, worst_i), (worst_i, b)]
    return [p for p, k in zip(points, keep) if k]


def features(path, tol, decimals, detail, skip=frozenset()):
    data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    for f in data["features"]:
        p = f["properties"]
        if p.get("ADM0_A3") in skip:
            continue
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                r = []
                for x, y in simplify(ring, tol):
                    q = [round(x, decimals), round(y, decimals)]
                    if not r or r[-1] != q:
                        r.append(q)
                if len(r) >= 4:
                    rings.append(r)
                elif not rings:
                    break  # the outer ring vanished: drop the islet with its holes
            if rings:
                out.append(rings)
        if out:
            yield {
                "type": "Feature",
                "properties": {"name": p.get("NAME"), "adm0_a3": p.get("ADM0_A3"), "detail": detail},
                "geometry": {"type": "MultiPolygon", "coordinates": out},
            }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--europe", default=ROOT / "data/natural_earth/ne_50m_admin_0_countries_europe.geojson")
    ap.add_argument("--world", default=ROOT.parent / "shared/data/natural_earth/ne_110m_admin_0_countries.geojson")
    ap.add_argument("--out", default=ROOT / "crates/corridor-server/web/data/countries.geojson")
    a = ap.parse_args()
    europe = list(features(a.europe, 0.02, 3, "50m"))
    have = {f["properties"]["adm0_a3"] for f in europe}
    world = list(features(a.world, 0.05, 2, "110m", skip=have))
    doc = {
        "type": "FeatureCollection",
        "attribution": "Made with Natural Earth (public domain): 1:50m for Europe and its neighbours, 1:110m elsewhere",
        "features": europe + world,
    }
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    pathlib.Path(a.out).write_text(text + "\n", encoding="utf-8")
    print(f"{a.out}: {len(europe)} + {len(world)} countries, {len(text.encode()):,} bytes")


if __name__ == "__main__":
    main()
