#!/usr/bin/env python3
"""Max flow and min-cost max-flow: Corridor vs OR-Tools and networkx on the
same generated instances, in one run.

Instances are layered "corridor" graphs (a super-source feeding the first
layer, each vertex sending 4 arcs to nearby vertices of the next layer and
1 arc inside its layer, the last layer draining into a super-sink), integer
capacities 1..1000 and costs 1..100, seeded. The large instance has more
than 1 million arcs.

Timed: the solve only. Corridor: `max_flow` / `min_cost_max_flow` including
residual-graph construction (the `flow_bench` example, release build; CSR
construction and file reading not timed). OR-Tools: `solve()` /
`solve_max_flow_with_min_cost()` after arcs are added. networkx:
`maximum_flow` (preflow-push) / `max_flow_min_cost` on a prebuilt DiGraph,
one run, in a subprocess with a time limit. Each solver runs under a time
limit; one that does not finish is reported as "> limit".

Usage: python3 bench/flows.py [--quick] [--limit SECONDS]
Writes bench/flows-results.json and prints a Markdown table.
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
        t0 = time.perf_counter(); st = mc.solve_max_flow_with_min_cost(); times.append(time.perf_counter() - t0)
        assert st == mc.OPTIMAL, st
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
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:12]
    return {
        "nproc": os.cpu_count(),
        "lscpu": lscpu,
        "python": platform.python_version(),
    }


def fmt(r, key, limit):
    if "error" in r:
        return f"> {limit:.0f} s" if r["error"] == "timeout" else "error"
    return f"{r[key]:.3f} s"


def main():
    quick = "--quick" in sys.argv
    limit = 60.0
    if "--limit" in sys.argv:
        limit = float(sys.argv[sys.argv.index("--limit") + 1])
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release -p corridor-graph --example flow_bench")
    sizes = [("tiny", 5, 1_000), ("small", 10, 2_000), ("large", 10, 25_000)]
    if quick:
        sizes = [("tiny", 5, 1_000)]
    # A solver that timed out on a smaller instance is not run on larger ones.
    timed_out = set()
    results = {"machine": machine(), "instances": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name, layers, width in sizes:
            inst = generate(layers, width, seed=20261125)
            path = os.path.join(tmp, f"{name}.txt")
            npz = os.path.join(tmp, f"{name}.npz")
            write_instance(inst, path)
            n, t, h, c, k = inst
            np.savez(npz, t=t, h=h, c=c, k=k)
            repeats = 3
            row = {"name": name, "n": int(n), "m": int(len(t))}
            print(f"[{name}] n={n} m={len(t)}", file=sys.stderr)
            runs = {
                "corridor_maxflow": lambda: corridor(path, "maxflow", repeats, limit),
                "ortools_maxflow": lambda: peer(ORTOOLS_SNIPPET, npz, "maxflow", repeats, limit),
                "networkx_maxflow": lambda: peer(NETWORKX_SNIPPET, npz, "maxflow", 1, limit),
                "corridor_mincost": lambda: corridor(path, "mincost", 1, limit),
                "ortools_mincost": lambda: peer(ORTOOLS_SNIPPET, npz, "mincost", 1, limit),
                "networkx_mincost": lambda: peer(NETWORKX_SNIPPET, npz, "mincost", 1, limit),
            }
            for key, fn in runs.items():
                if key in timed_out:
                    row[key] = {"error": "timeout", "skipped": True}
                    continue
                row[key] = fn()
                if row[key].get("error") == "timeout":
                    timed_out.add(key)
            # Same answers where both finished.
            for a, b, key in [
                ("corridor_maxflow", "ortools_maxflow", "max_flow"),
                ("corridor_mincost", "ortools_mincost", "mcmf_cost"),
            ]:
                if key in row[a] and key in row[b]:
                    row[f"agree_{key}"] = abs(row[a][key] - row[b][key]) < 1e-6 * max(1, abs(row[b][key]))
            results["instances"].append(row)
            print(json.dumps(row), file=sys.stderr)
    with open(os.path.join(ROOT, "bench", "flows-results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("| instance | arcs | solver | max flow | min-cost max-flow |")
    print("|---|---|---|---|---|")
    for row in results["instances"]:
        for who in ["corridor", "ortools", "networkx"]:
            print(
                f"| {row['name']} | {row['m']:,} | {who} | {fmt(row[who + '_maxflow'], 'max_flow_s', limit)} "
                f"| {fmt(row[who + '_mincost'], 'min_cost_s', limit)} |"
            )
        for key, label in [("max_flow_s", "max flow"), ("min_cost_s", "min-cost")]:
            ours = row["corridor_" + ("maxflow" if key == "max_flow_s" else "mincost")]
            ort = row["ortools_" + ("maxflow" if key == "max_flow_s" else "mincost")]
            if key in ours and key in ort:
                print(f"| {row['name']} | | corridor / OR-Tools ({label}) | {ours[key] / ort[key]:.2f}× | |")


if __name__ == "__main__":
    main()
