#!/usr/bin/env python3
"""A synthetic OpenStreetMap XML file of about N elements, for measuring the
memory of `corridor import osm` on a country-sized file.

The file looks like a real extract to the importer: nodes first (sorted by
id), then ways, then relations. Most of it is what the importer reads past
(buildings, residential streets, building multipolygons: about 90 % of the
nodes are used by no kept way, as in a real regional extract), the rest a
road grid whose every tenth row and column is a primary road, a few rail
lines with stations, and one freight port. Coordinates lie in Lower Austria
(lon 14.6-16.2, lat 47.9-48.5), so the country layer gives every node AT.

Deterministic (no randomness): the same N gives the same bytes.

Usage: python3 bench/gen_osm.py [--elements 10000000] OUT.osm
Then, for peak memory (see docs/benchmarks.md):
  /usr/bin/time -v target/release/corridor import osm OUT.osm --passes 1 --out /tmp/a
  /usr/bin/time -v target/release/corridor import osm OUT.osm --passes 2 --out /tmp/b
"""

import argparse
import math
import sys

LON0, LAT0, LON_SPAN, LAT_SPAN = 14.6, 47.9, 1.6, 0.6


def plan(total):
    """Sizes of the parts for about `total` elements.

    A building is 4 nodes + 1 way (5 elements); 1 in 10 buildings is also
    a multipolygon relation. The road grid is G x G nodes with 2G ways of G
    nodes; rail is R lines of G nodes, each line one way.
    """
    g = max(10, int(math.sqrt(total * 0.12)))
    rails = max(1, g // 50)
    rest = total - g * g - 2 * g - rails * (g + 1) - 1
    buildings = max(0, int(rest / 5.1))
    return g, rails, buildings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elements", type=int, default=10_000_000)
    ap.add_argument("out")
    a = ap.parse_args()
    g, rails, buildings = plan(a.elements)
    relations = buildings // 10
    w = open(a.out, "w", buffering=1 << 20)
    w.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    w.write('<osm version="0.6" generator="corridor bench/gen_osm.py">\n')
    nid = 0
    counts = {"nodes": 0, "ways": 0, "relations": 0}

    def node(lon, lat, tags=()):
        nonlocal nid
        nid += 1
        counts["nodes"] += 1
        if tags:
            w.write(f' <node id="{nid}" lat="{lat:.7f}" lon="{lon:.7f}">\n')
            for k, v in tags:
                w.write(f'  <tag k="{k}" v="{v}"/>\n')
            w.write(" </node>\n")
        else:
            w.write(f' <node id="{nid}" lat="{lat:.7f}" lon="{lon:.7f}"/>\n')
        return nid

    dx, dy = LON_SPAN / g, LAT_SPAN / g
    # Road grid: node (i, j) has id grid0 + i * g + j.
    grid0 = nid + 1
    for i in range(g):
        for j in range(g):
            node(LON0 + j * dx, LAT0 + i * dy)
    # Rail lines, half a cell north of a primary row; a station every 100
    # nodes.
    rail0 = nid + 1
    rows = [10 * int((r + 0.5) * g / rails / 10) for r in range(rails)]
    for r in range(rails):
        row = rows[r]
        for j in range(g):
            tags = (("railway", "station"), ("name", f"Station {r}-{j}")) if j % 100 == 50 else ()
            node(LON0 + j * dx, LAT0 + row * dy + dy / 2, tags)
    # One port by the first rail line.
    port = node(LON0 + 10 * (g // 20) * dx, LAT0 + rows[0] * dy + dy / 4,
                (("landuse", "port"), ("name", "Synthetic port")))
    # Buildings: a small square each, inside the grid cells.
    bld0 = nid + 1
    per_cell = max(1, buildings // (g * g) + 1)
    s = min(dx, dy) / (2 * per_cell + 2)
    for b in range(buildings):
        cell, k = divmod(b, per_cell)
        ci, cj = divmod(cell % (g * g), g)
        x = LON0 + cj * dx + (2 * k + 1) * s
        y = LAT0 + ci * dy + s
        node(x, y)
        node(x + s, y)
        node(x + s, y + s)
        node(x, y + s)
    assert port < bld0
    wid = 0

    def way(refs, tags):
        nonlocal wid
        wid += 1
        counts["ways"] += 1
        w.write(f' <way id="{wid}">\n')
        for r in refs:
            w.write(f'  <nd ref="{r}"/>\n')
        for k, v in tags:
            w.write(f'  <tag k="{k}" v="{v}"/>\n')
        w.write(" </way>\n")
        return wid

    for i in range(g):
        kind = "primary" if i % 10 == 0 else "residential"
        way([grid0 + i * g + j for j in range(g)], (("highway", kind), ("name", f"Row {i}")))
    for j in range(g):
        kind = "primary" if j % 10 == 0 else "residential"
        way([grid0 + i * g + j for i in range(g)], (("highway", kind), ("name", f"Column {j}")))
    for r in range(rails):
        way([rail0 + r * g + j for j in range(g)],
            (("railway", "rail"), ("gauge", "1435"), ("usage", "main")))
    bway0 = wid + 1
    for b in range(buildings):
        n0 = bld0 + 4 * b
        way([n0, n0 + 1, n0 + 2, n0 + 3, n0], (("building", "yes"),))
    for r in range(relations):
        counts["relations"] += 1
        w.write(f' <relation id="{r + 1}">\n')
        w.write(f'  <member type="way" ref="{bway0 + 10 * r}" role="outer"/>\n')
        w.write('  <tag k="type" v="multipolygon"/>\n  <tag k="building" v="yes"/>\n')
        w.write(" </relation>\n")
    w.write("</osm>\n")
    w.close()
    total = sum(counts.values())
    print(f"{a.out}: {total:,} elements ({counts['nodes']:,} nodes, {counts['ways']:,} ways, "
          f"{counts['relations']:,} relations); grid {g} x {g}, {rails} rail lines, "
          f"{buildings:,} buildings", file=sys.stderr)


if __name__ == "__main__":
    main()
