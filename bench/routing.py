#!/usr/bin/env python3
"""Routing benchmark: Corridor vs scipy.sparse.csgraph and igraph, one run.

Builds and runs the Corridor side (crates/corridor-engine/examples/
routing_bench.rs), which generates a synthetic multimodal network of about
1.2 million links, lowers it for grain minimising hours, times its own
queries and dumps the lowered graph's usable arcs and the query vertices to
bench/out/. This script then loads that very graph into scipy and igraph,
runs the same one-to-all sources and one-to-one pairs, checks that every
engine finds the same distances, and prints medians and ratios as JSON and
as a Markdown table (also written to bench/out/routing.md).

    python3 bench/routing.py            # full size (a few minutes)
    python3 bench/routing.py --small    # a 65k-link smoke run

Needs numpy, scipy and igraph (pip install numpy scipy igraph).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()


def machine():
    model = ""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    return {
        "cpu": model,
        "nproc": sh("nproc"),
        "rustc": sh("rustc --version"),
        "python": platform.python_version(),
    }


def timed(f, reps):
    out = []
    result = None
    for _ in range(reps):
        t = time.perf_counter()
        result = f()
        out.append(time.perf_counter() - t)
    return out, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--sources", type=int, default=5)
    ap.add_argument("--pairs", type=int, default=30)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)

    build = ["cargo", "build", "--release", "-q", "-p", "corridor-engine",
             "--example", "routing_bench"]
    subprocess.run(build, cwd=ROOT, check=True)
    exe = ROOT / "target" / "release" / "examples" / "routing_bench"
    cmd = [str(exe), "--out", str(out), "--sources", str(a.sources),
           "--pairs", str(a.pairs), "--reps", str(a.reps)]
    if a.small:
        cmd.append("--small")
    print("running", " ".join(cmd), file=sys.stderr)
    corridor = json.loads(subprocess.run(cmd, cwd=ROOT, check=True,
                                         capture_output=True, text=True).stdout)

    tail = np.load(out / "tail.npy").astype(np.int64)
    head = np.load(out / "head.npy").astype(np.int64)
    weight = np.load(out / "weight.npy")
    sources = np.load(out / "sources.npy").astype(np.int64)
    pairs = np.load(out / "pairs.npy").astype(np.int64).reshape(-1, 2)
    n = corridor["vertices"]

    import scipy
    import scipy.sparse
    from scipy.sparse.csgraph import dijkstra
    import igraph

    # scipy: a sparse matrix sums parallel arcs and drops zeros, so keep the
    # cheapest of parallel arcs and lift zero weights to a value far below
    # any float sum's rounding.
    order = np.lexsort((weight, head, tail))
    t_s, h_s, w_s = tail[order], head[order], weight[order]
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = (t_s[1:] != t_s[:-1]) | (h_s[1:] != h_s[:-1])
    w_keep = np.where(w_s[keep] == 0.0, 1e-300, w_s[keep])
    mat = scipy.sparse.csr_matrix((w_keep, (t_s[keep], h_s[keep])), shape=(n, n))

    g = igraph.Graph(n=n, edges=np.column_stack((tail, head)).tolist(), directed=True)
    g.es["w"] = weight.tolist()

    res = {"machine": machine(), "corridor": corridor,
           "versions": {"scipy": scipy.__version__, "igraph": igraph.__version__,
                        "numpy": np.__version__}}

    # One-to-all, checked against Corridor's distances.
    sc_t, ig_t, max_diff = [], [], 0.0
    for i, s in enumerate(sources):
        ours = np.load(out / f"corridor_dist_{i}.npy")
        ts, d_sc = timed(lambda: dijkstra(mat, directed=True, indices=int(s)), a.reps)
        ti, d_ig = timed(lambda: g.distances(source=[int(s)], weights="w", mode="out"), a.reps)
        sc_t += ts
        ig_t += ti
        d_ig = np.asarray(d_ig[0], dtype=float)
        for d in (d_sc, d_ig):
            fin = np.isfinite(ours)
            if not np.array_equal(fin, np.isfinite(d)):
                raise SystemExit(f"source {s}: reachable sets differ")
            rel = np.abs(d[fin] - ours[fin]) / np.maximum(np.abs(ours[fin]), 1.0)
            max_diff = max(max_diff, float(rel.max(initial=0.0)))
    res["one_to_all"] = {
        "corridor_s": corridor["one_to_all_s"],
        "scipy_s": statistics.median(sc_t),
        "igraph_s": statistics.median(ig_t),
        "max_rel_diff": max_diff,
    }

    # One-to-one: igraph's single-pair Dijkstra (scipy has no target stop).
    ours_pairs = np.load(out / "corridor_pair_dist.npy")
    ig_pt, max_diff = [], 0.0
    wlist = weight
    for (s, t), want in zip(pairs, ours_pairs):
        ti, path = timed(lambda: g.get_shortest_path(int(s), to=int(t), weights="w",
                                                     mode="out", output="epath"), a.reps)
        ig_pt += ti
        if np.isfinite(want):
            got = float(wlist[path].sum()) if path else 0.0
            max_diff = max(max_diff, abs(got - want) / max(abs(want), 1.0))
        elif path:
            raise SystemExit(f"{s} -> {t}: igraph found a path Corridor did not")
    res["one_to_one"] = {
        "corridor_dijkstra_s": corridor["one_to_one_dijkstra_s"],
        "corridor_bidirectional_s": corridor["one_to_one_bidirectional_s"],
        "corridor_astar_s": corridor["one_to_one_astar_s"],
        "corridor_alt_s": corridor["one_to_one_alt_s"],
        "igraph_s": statistics.median(ig_pt),
        "max_rel_diff": max_diff,
    }

    o, p = res["one_to_all"], res["one_to_one"]
    ms = lambda x: f"{x * 1e3:.1f} ms"
    best = min(p["corridor_dijkstra_s"], p["corridor_bidirectional_s"], p["corridor_astar_s"],
               p["corridor_alt_s"])
    touched = corridor["one_to_one_touched_mean"]
    md = [
        f"Graph: {corridor['links']:,} links -> {corridor['vertices']:,} vertices, "
        f"{corridor['arcs']:,} arcs ({corridor['usable_arcs']:,} usable for grain); "
        f"objective: hours.",
        "",
        "| query | Corridor | scipy | igraph | igraph / Corridor | scipy / Corridor |",
        "|---|---|---|---|---|---|",
        f"| one-to-all (median of {len(sc_t)}) | {ms(o['corridor_s'])} | {ms(o['scipy_s'])} | "
        f"{ms(o['igraph_s'])} | {o['igraph_s'] / o['corridor_s']:.1f}x | "
        f"{o['scipy_s'] / o['corridor_s']:.1f}x |",
        f"| one-to-one Dijkstra, stop at target (median of {len(ig_pt)}) | "
        f"{ms(p['corridor_dijkstra_s'])} | n/a | {ms(p['igraph_s'])} | "
        f"{p['igraph_s'] / p['corridor_dijkstra_s']:.1f}x | |",
        f"| one-to-one bidirectional Dijkstra | {ms(p['corridor_bidirectional_s'])} | | | "
        f"{p['igraph_s'] / p['corridor_bidirectional_s']:.1f}x | |",
        f"| one-to-one A* (great-circle bound) | {ms(p['corridor_astar_s'])} | | | "
        f"{p['igraph_s'] / p['corridor_astar_s']:.1f}x | |",
        f"| one-to-one A* (ALT, {corridor['landmarks']} landmarks) | {ms(p['corridor_alt_s'])} | | | "
        f"{p['igraph_s'] / p['corridor_alt_s']:.1f}x | |",
        "",
        f"Routing graph: {corridor['routing_bytes_per_arc']:.1f} bytes/arc (CSR + f64 weights); "
        f"with the lowering's maps back to the model {corridor['lowered_bytes_per_arc']:.1f} "
        f"bytes/arc; the reverse graph for bidirectional search adds "
        f"{corridor['reverse_bytes_per_arc']:.1f}. Lowering {corridor['lower_s']:.2f} s + "
        f"weights {corridor['weights_s']:.2f} s; generating the network "
        f"{corridor['generate_s']:.2f} s; landmarks {corridor['landmarks_s']:.2f} s and "
        f"{corridor['landmarks_bytes_per_vertex']:.0f} bytes/vertex. Vertices reached per "
        f"one-to-one query (mean): Dijkstra {touched[0]:,}, bidirectional {touched[1]:,}, "
        f"A* great-circle {touched[2]:,}, ALT {touched[3]:,}. Distances agree: one-to-all max relative "
        f"difference {o['max_rel_diff']:.1e}, one-to-one {p['max_rel_diff']:.1e}; "
        f"Corridor's one-to-one algorithms disagreed on "
        f"{corridor['one_to_one_mismatches']} pairs. Best one-to-one: {ms(best)}.",
    ]
    res["markdown"] = "\n".join(md)
    tmp = out / "routing.json.tmp"
    tmp.write_text(json.dumps(res, indent=2))
    os.replace(tmp, out / "routing.json")
    tmp = out / "routing.md.tmp"
    tmp.write_text(res["markdown"] + "\n")
    os.replace(tmp, out / "routing.md")
    print(json.dumps({k: v for k, v in res.items() if k != "markdown"}, indent=2))
    print(res["markdown"])


if __name__ == "__main__":
    main()
