#!/usr/bin/env python3
"""Two builds of Corridor side by side: did a change make anything slower?

Runs the same benchmarks with an OLD and a NEW checkout's release binaries,
alternating run by run so both see the same machine load, and prints one
Markdown table of medians and NEW/OLD ratios:

- routing: `examples/routing_bench` (the million-link generated network:
  lowering, one-to-all, one-to-one Dijkstra, bidirectional, A*, ALT);
- flows: `examples/flow_bench` on the generated layered instances of
  bench/flows.py (max flow and min-cost max flow, "small" and "wide");
- assignment: `corridor assign` on the TNTP networks (Algorithm B and
  bi-conjugate Frank-Wolfe to 1e-4 and 1e-6, all-or-nothing; 1 thread;
  the assignment's own `seconds`).

Usage: bench/compare_builds.py --old /path/to/old/checkout [--new .] [--repeat 3]
                               [--only routing,flows,assign]
Build both first: `cargo build --release -p corridor-cli`, `-p corridor-engine
--example routing_bench`, `-p corridor-graph --example flow_bench` in each.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def run_json(cmd):
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def routing(build, out):
    exe = build / "target/release/examples/routing_bench"
    r = run_json([str(exe), "--out", str(out), "--sources", "5", "--pairs", "30", "--reps", "3"])
    return {k: v for k, v in r.items() if k.endswith("_s")}


def flows(build, inst):
    exe = build / "target/release/examples/flow_bench"
    res = {}
    for name, path in inst.items():
        for what, key in [("maxflow", "max_flow_s"), ("mincost", "min_cost_s")]:
            if name == "wide" and what == "mincost":
                continue  # 45 s a run; "small" shows the same code
            out = subprocess.run([str(exe), str(path), "1", what], check=True, capture_output=True, text=True).stdout
            res[f"{name} {what}"] = json.loads(out.strip().splitlines()[-1])[key]
    return res


def assign(build, data):
    exe = build / "target/release/corridor"
    res = {}
    for name, stem in [("Anaheim", "Anaheim"), ("Berlin-Center", "berlin-center")]:
        d = data / name
        for method, gaps in [("algb", [1e-4, 1e-6]), ("bfw", [1e-4]), ("aon", [1.0])]:
            for g in gaps:
                cmd = [str(exe), "assign", str(d / f"{stem}_net.tntp"), "--demand", str(d / f"{stem}_trips.tntp"),
                       "--method", method, "--gap", f"{g:g}", "--max-iter", "100000", "--threads", "1",
                       "--format", "json"]
                r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
                label = f"{name} {method}" + ("" if method == "aon" else f" to {g:g}")
                res[label] = r["seconds"]
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", default=str(ROOT))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="routing,flows,assign")
    a = ap.parse_args()
    old, new = Path(a.old).resolve(), Path(a.new).resolve()
    only = a.only.split(",")
    print(subprocess.run("lscpu | grep -E 'Model name|^CPU\\(s\\)'; uptime", shell=True,
                         capture_output=True, text=True).stdout, flush=True)
    times = {"old": {}, "new": {}}
    tmp = Path(tempfile.mkdtemp(prefix="compare-builds-"))
    inst = {}
    if "flows" in only:
        import flows as fl
        for name, layers, width in fl.SIZES:
            if name in ("small", "wide"):
                p = tmp / f"{name}.txt"
                fl.write_instance(fl.generate(layers, width, seed=20261125), str(p))
                inst[name] = p
    data = Path(os.environ.get("CORRIDOR_TNTP_DIR", ROOT.parent / "shared" / "data" / "tntp"))
    for rep in range(a.repeat):
        for who, build in [("old", old), ("new", new)]:
            got = {}
            if "routing" in only:
                got.update({f"routing {k}": v for k, v in routing(build, tmp / who).items()})
            if "flows" in only:
                got.update({f"flows {k}": v for k, v in flows(build, inst).items()})
            if "assign" in only:
                got.update({f"assign {k}": v for k, v in assign(build, data).items()})
            for k, v in got.items():
                times[who].setdefault(k, []).append(v)
            print(f"run {rep + 1} {who}: load {os.getloadavg()[0]:.2f}", file=sys.stderr, flush=True)
    print("| benchmark | old (s) | new (s) | new / old |")
    print("|---|---:|---:|---:|")
    for k in times["new"]:
        if k not in times["old"]:
            continue
        o, n = statistics.median(times["old"][k]), statistics.median(times["new"][k])
        print(f"| {k} | {o:.4f} | {n:.4f} | {n / o:.2f} |")


if __name__ == "__main__":
    main()
