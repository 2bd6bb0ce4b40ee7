#!/usr/bin/env python3
"""Max flow and min-cost max-flow: Corridor vs OR-Tools and networkx on the
same generated instances, in one run.

Instances are layered "corridor" graphs (a super-source feeding the first
layer, each vertex sending 4 arcs to nearby vertices of the next layer and
1 arc inside its layer, the last layer draining into a super-sink), integer
capacities 1..1000 and costs 1..100, seeded. The large instance has more
than 1 million arcs.

Corridor and OR-Tools alternate run by run (one solve per process, median
of --repeats, default 3) so that both see the same load on a shared
machine; the 1-minute load average is logged before and after every run.
networkx runs on the tiny instance only (it needs minutes beyond).

Timed: the solve only. Corridor: `max_flow` / `min_cost_max_flow` including
residual-graph construction (the `flow_bench` example, release build; CSR
construction and file reading not timed). OR-Tools: `solve()` /
`solve_max_flow_with_min_cost()` after arcs are added. networkx:
`maximum_flow` (preflow-push) / `max_flow_min_cost` on a prebuilt DiGraph,
one run, in a subprocess with a time limit. Time limits: 120 s for max
flow, 900 s for min-cost flow (OR-Tools needs minutes on "large").

Usage: python3 bench/flows.py [--quick] [--repeats R] [--only tiny,large]
Writes bench/flows-results.json (or flows-results-NAMES.json with --only)
and prints a Markdown table.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "examples", "flow_bench")


def generate(layers, width, seed):
    rng = np.random.default_rng(seed)
    n = 2 + layers * width

    def vid(layer, i):
        return 2 + layer * width + i

    tails, heads = [], []
    base = np.arange(width)
    for layer in range(layers - 1):
        for _ in range(4):
            j = np.clip(base + rng.integers(-20, 21, size=width), 0, width - 1)
            tails.append(vid(layer, base))
            heads.append(vid(layer + 1, j))
        tails.append(vid(layer, base))
        heads.append(vid(layer, rng.integers(0, width, size=width)))
    caps = [rng.integers(1, 1001, size=len(t)) for t in tails]
    costs = [rng.integers(1, 101, size=len(t)) for t in tails]
    tails.append(np.zeros(width, dtype=np.int64))
    heads.append(vid(0, base))
    caps.append(np.full(width, 5000))
    costs.append(np.zeros(width, dtype=np.int64))
    tails.append(vid(layers - 1, base))
    heads.append(np.ones(width, dtype=np.int64))
    caps.append(np.full(width, 5000))
    costs.append(np.zeros(width, dtype=np.int64))
    return (
        n,
        np.concatenate(tails).astype(np.int64),
        np.concatenate(heads).astype(np.int64),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )


def write_instance(inst, path):
    n, t, h, c, k = inst
    with open(path, "w") as f:
        f.write(f"{n} {len(t)} 0 1\n")
        np.savetxt(f, np.stack([t, h, c, k], axis=1), fmt="%d")


def run_limited(cmd, limit):
    """Runs a command; returns (stdout, None) or (None, 'timeout')."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    if p.returncode != 0:
        return None, p.stderr.strip()[-300:]
    return p.stdout, None


def corridor(path, what, repeats, limit):
    out, err = run_limited([BIN, path, str(repeats), what], limit)
    if err:
        return {"error": err}
    return json.loads(out.strip().splitlines()[-1])


ORTOOLS_SNIPPET = r"""
import json, sys, time, statistics
import numpy as np
from ortools.graph.python import max_flow, min_cost_flow
d = np.load(sys.argv[1]); what = sys.argv[2]; repeats = int(sys.argv[3])
t, h, c, k = d["t"], d["h"], d["c"], d["k"]
res = {}
if what == "maxflow":
    times = []
    for _ in range(repeats):
        mf = max_flow.SimpleMaxFlow()
        mf.add_arcs_with_capacity(t, h, c)
        t0 = time.perf_counter(); st = mf.solve(0, 1); times.append(time.perf_counter() - t0)
        assert st == mf.OPTIMAL, st
        res["max_flow"] = mf.optimal_flow()
    res["max_flow_s"] = statistics.median(times)
else:
    times = []
    big = int(c[t == 0].sum())
    for _ in range(repeats):
        mc = min_cost_flow.SimpleMinCostFlow()
        mc.add_arcs_with_capacity_and_unit_cost(t, h, c, k)
        mc.set_node_supply(0, big); mc.set_node_supply(1, -big)
        t0, c0 = time.perf_counter(), time.process_time()
        st = mc.solve_max_flow_with_min_cost()
        times.append(time.perf_counter() - t0); cpu = time.process_time() - c0
        assert st == mc.OPTIMAL, st
        res["min_cost_cpu_s"] = cpu
        res["mcmf_flow"] = mc.maximum_flow(); res["mcmf_cost"] = mc.optimal_cost()
    res["min_cost_s"] = statistics.median(times)
print(json.dumps(res))
"""

NETWORKX_SNIPPET = r"""
import json, sys, time
import numpy as np
import networkx as nx
d = np.load(sys.argv[1]); what = sys.argv[2]
g = nx.DiGraph()
# networkx DiGraph has no parallel arcs: a repeated arc goes through its own
# extra vertex (same capacity, cost on the first half), which changes
# neither the maximum flow nor the cheapest cost.
for i, (u, v, c, k) in enumerate(zip(d["t"].tolist(), d["h"].tolist(), d["c"].tolist(), d["k"].tolist())):
    if g.has_edge(u, v):
        x = ("x", i)
        g.add_edge(u, x, capacity=c, weight=k); g.add_edge(x, v, capacity=c, weight=0)
    else:
        g.add_edge(u, v, capacity=c, weight=k)
res = {}
t0 = time.perf_counter()
if what == "maxflow":
    res["max_flow"] = nx.maximum_flow_value(g, 0, 1)
    res["max_flow_s"] = time.perf_counter() - t0
else:
    flow = nx.max_flow_min_cost(g, 0, 1)
    res["min_cost_s"] = time.perf_counter() - t0
    res["mcmf_cost"] = nx.cost_of_flow(g, flow)
print(json.dumps(res))
"""


def peer(snippet, npz, what, repeats, limit, extra=()):
    out, err = run_limited([sys.executable, "-c", snippet, npz, what, str(repeats), *extra], limit)
    if err:
        return {"error": err}
    return json.loads(out.strip().splitlines()[-1])


def machine():
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:20]
    return {
        "nproc": os.cpu_count(),
        "lscpu": lscpu,
        "python": platform.python_version(),
    }


def fmt_time(t):
    return "—" if t is None else f"{t:.3f} s"


def med(xs):
    return statistics.median(xs) if xs else None


# name, layers, width. "large" is deep (10 layers) and hard for cost
# scaling: OR-Tools needs minutes on it. "wide" is shallow (4 layers) and
# also has more than a million arcs.
SIZES = [("tiny", 5, 1_000), ("small", 10, 2_000), ("wide", 4, 60_000), ("large", 10, 25_000)]


def main():
    quick = "--quick" in sys.argv
    repeats = 3
    if "--repeats" in sys.argv:
        repeats = int(sys.argv[sys.argv.index("--repeats") + 1])
    limit_mf, limit_mc = 120.0, 900.0
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release -p corridor-graph --example flow_bench")
    sizes = SIZES[:1] if quick else SIZES
    only = None
    if "--only" in sys.argv:
        only = sys.argv[sys.argv.index("--only") + 1].split(",")
        sizes = [x for x in SIZES if x[0] in only]
    results = {"machine": machine(), "repeats": repeats, "instances": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name, layers, width in sizes:
            inst = generate(layers, width, seed=20261125)
            path = os.path.join(tmp, f"{name}.txt")
            npz = os.path.join(tmp, f"{name}.npz")
            write_instance(inst, path)
            n, t, h, c, k = inst
            np.savez(npz, t=t, h=h, c=c, k=k)
            row = {"name": name, "layers": layers, "width": width, "n": int(n), "m": int(len(t)), "runs": []}
            print(f"[{name}] n={n} m={len(t)}", file=sys.stderr)
            # Corridor and OR-Tools alternate, one solve per process, so
            # both see the same machine load; the load average is logged
            # with every run.
            for what, key, limit in [("maxflow", "max_flow_s", limit_mf), ("mincost", "min_cost_s", limit_mc)]:
                for rep in range(repeats):
                    for who in ["corridor", "ortools"]:
                        load = os.getloadavg()[0]
                        if who == "corridor":
                            r = corridor(path, what, 1, limit)
                        else:
                            r = peer(ORTOOLS_SNIPPET, npz, what, 1, limit)
                        r.update({"who": who, "what": what, "rep": rep, "load_before": load,
                                  "load_after": os.getloadavg()[0]})
                        row["runs"].append(r)
                        print(json.dumps(r), file=sys.stderr)
            if name == "tiny":
                for what in ["maxflow", "mincost"]:
                    r = peer(NETWORKX_SNIPPET, npz, what, 1, 120.0)
                    r.update({"who": "networkx", "what": what, "rep": 0})
                    row["runs"].append(r)
            summary = {}
            for who in ["corridor", "ortools", "networkx"]:
                for what, key in [("maxflow", "max_flow_s"), ("mincost", "min_cost_s")]:
                    ts = [r[key] for r in row["runs"] if r["who"] == who and r["what"] == what and key in r]
                    summary[f"{who}_{what}"] = med(ts)
            for who in ["corridor", "ortools"]:
                ts = [r["min_cost_cpu_s"] for r in row["runs"] if r["who"] == who and "min_cost_cpu_s" in r]
                summary[f"{who}_mincost_cpu"] = med(ts)
            for what, key in [("maxflow", "max_flow"), ("mincost", "mcmf_cost")]:
                vals = {r[key] for r in row["runs"] if r["what"] == what and key in r and r["who"] != "networkx"}
                summary[f"agree_{key}"] = len(vals) == 1
                summary[key] = sorted(vals)
            loads = [r["load_before"] for r in row["runs"] if "load_before" in r]
            summary["load_min_max"] = [min(loads), max(loads)] if loads else None
            row["summary"] = summary
            results["instances"].append(row)
            print(json.dumps(summary), file=sys.stderr)
    out = "flows-results.json" if only is None else f"flows-results-{'-'.join(only)}.json"
    with open(os.path.join(ROOT, "bench", out), "w") as f:
        json.dump(results, f, indent=1)
    print("| instance | vertices | arcs | Corridor max flow | OR-Tools | ratio | Corridor min-cost | OR-Tools | ratio | CPU-time ratio | costs agree | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in results["instances"]:
        sm = row["summary"]

        def ratio(what):
            a, b = sm.get(f"corridor_{what}"), sm.get(f"ortools_{what}")
            return "—" if a is None or b is None else f"{a / b:.2f}×"

        print(
            f"| {row['name']} ({row['layers']} × {row['width']:,}) | {row['n']:,} | {row['m']:,} "
            f"| {fmt_time(sm['corridor_maxflow'])} | {fmt_time(sm['ortools_maxflow'])} | {ratio('maxflow')} "
            f"| {fmt_time(sm['corridor_mincost'])} | {fmt_time(sm['ortools_mincost'])} | {ratio('mincost')} | {ratio('mincost_cpu')} "
            f"| {'yes' if sm['agree_mcmf_cost'] and sm['agree_max_flow'] else 'NO'} "
            f"| {sm['load_min_max'][0]:.1f}–{sm['load_min_max'][1]:.1f} |"
        )


if __name__ == "__main__":
    main()
