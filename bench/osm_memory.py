#!/usr/bin/env python3
"""Peak memory of `corridor import osm` on a generated 10-million-element
OSM XML file, one pass (every node's coordinates kept) against two (only the
coordinates of nodes the kept ways use).

Generates the file with bench/gen_osm.py unless it exists, then runs the
release binary with `--passes 1` and `--passes 2` (and, with --old BINARY,
an older build, which reads in one pass), each in its own process, and
prints a Markdown table: elements, wall s, peak RSS MB (the child's
`ru_maxrss`), and bytes of peak RSS per element. The networks written by
the runs are compared and must be byte-identical.

Usage: python3 bench/osm_memory.py [--elements 10000000] [--file /tmp/osm10m.osm]
                                   [--runs 1] [--old path/to/old/corridor]
"""

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = ("import resource,subprocess,sys,time,json;"
         "t=time.perf_counter();"
         "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
         "w=time.perf_counter()-t;"
         "print(json.dumps([p.returncode,w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,p.stdout,p.stderr]))")


def run(cmd):
    out = subprocess.run([sys.executable, "-c", PROBE] + cmd, capture_output=True, text=True,
                         check=True).stdout
    rc, wall, rss_kb, stdout, stderr = json.loads(out)
    if rc != 0:
        sys.exit(f"{' '.join(cmd)} failed ({rc}):\n{stderr}")
    return wall, rss_kb / 1024.0, stdout


def same_dirs(a, b):
    names = sorted(os.listdir(a))
    if names != sorted(os.listdir(b)):
        return False
    return all(filecmp.cmp(os.path.join(a, n), os.path.join(b, n), shallow=False) for n in names)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elements", type=int, default=10_000_000)
    ap.add_argument("--file", default=os.path.join(tempfile.gettempdir(), "corridor-osm10m.osm"))
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--old", help="an older corridor binary (reads in one pass)")
    a = ap.parse_args()
    binary = os.path.join(ROOT, "target/release/corridor")
    if not os.path.exists(binary):
        sys.exit("build first: cargo build --release -p corridor-cli")
    if not os.path.exists(a.file):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench/gen_osm.py"),
                        "--elements", str(a.elements), a.file], check=True)
    cases = [("one pass (`--passes 1`)", [binary], ["--passes", "1"]),
             ("two passes (`--passes 2`)", [binary], ["--passes", "2"])]
    if a.old:
        cases.insert(0, ("old build", [a.old], []))
    print(f"file: {a.file}, {os.path.getsize(a.file) / 1e6:.0f} MB\n")
    print("| import | elements | wall s | peak RSS MB | bytes per element |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        outs = []
        for k, (name, exe, extra) in enumerate(cases):
            walls, peaks = [], []
            for r in range(a.runs):
                out = os.path.join(tmp, f"{k}-{r}")
                w, m, stdout = run(exe + ["import", "osm", a.file, "--out", out] + extra)
                walls.append(w)
                peaks.append(m)
            outs.append(out)
            line = stdout.splitlines()[0]
            n = sum(int(x) for x in line.replace(",", "").split() if x.isdigit())
            peak = statistics.median(peaks)
            print(f"| {name} | {n:,} | {statistics.median(walls):.1f} | {peak:.0f} "
                  f"| {peak * 1024 * 1024 / n:.1f} |")
        for o in outs[1:]:
            if not same_dirs(outs[0], o):
                sys.exit(f"networks differ: {outs[0]} and {o}")
        print("\nnetworks written: byte-identical")


if __name__ == "__main__":
    main()
