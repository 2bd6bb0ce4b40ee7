#!/usr/bin/env python3
"""System-optimum benchmark: `corridor optimise` vs scipy's linprog (HiGHS)
on the very same LP.

For the grain example and generated networks of about 10k and 100k links
with 10 and 100 commodities, this runs Corridor (lowering + LP) in each
formulation (`--formulations arc-node,paths`: the arc-node LP and column
generation over paths; each run stopped after --timeout seconds) and
records the time and the LP's size; then it has Corridor write the
arc-node LP as arrays (`--write-lp` / `optimise_bench --write-lp`) and
solves that LP with `scipy.optimize.linprog(method="highs")`, so the
comparison is the same LP (skipped above --scipy-max-columns columns:
the arrays alone are GBs). It prints one Markdown table and writes
bench/optimise-results.json.

Usage: bench/optimise.py [--quick] [--sizes 10000,100000] [--commodities 10,100]
                         [--pairs 1] [--formulations arc-node,paths]
                         [--no-scipy] [--scipy-max-columns 5000000] [--timeout 1800]
Build first (release, with HiGHS):
  cargo build --release -p corridor-cli --features highs
  cargo build --release -p corridor-engine --features highs --example optimise_bench
`--quick` runs tiny sizes with whatever build exists (a smoke test: the
lead re-runs the real one on a quiet machine). Needs numpy and scipy
(`pip install numpy scipy`) unless --no-scipy.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def binary(name, example=False):
    for profile in ["release", "debug"]:
        p = ROOT / "target" / profile / ("examples" if example else "") / name
        if p.exists():
            return p
    sys.exit(f"build {name} first (see --help)")


def scipy_solve(lp_dir):
    """Solves the LP Corridor wrote into lp_dir with linprog(highs)."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csc_matrix

    d = Path(lp_dir)
    meta = json.loads((d / "lp.json").read_text())
    f64 = lambda n: np.fromfile(d / n, dtype="<f8")
    cost, upper = f64("cost.f64"), f64("col_upper.f64")
    lo, hi, val = f64("row_lower.f64"), f64("row_upper.f64"), f64("value.f64")
    start = np.fromfile(d / "col_start.u64", dtype="<u8").astype(np.int64)
    rows = np.fromfile(d / "row_index.u32", dtype="<u4").astype(np.int64)
    t0 = time.perf_counter()
    a = csc_matrix((val, rows, start), shape=(meta["rows"], meta["columns"])).tocsr()
    eq = lo == hi
    bounds = np.column_stack([np.zeros_like(upper), np.where(np.isinf(upper), np.inf, upper)])
    r = linprog(cost, A_ub=a[~eq], b_ub=hi[~eq], A_eq=a[eq], b_eq=hi[eq],
                bounds=bounds, method="highs")
    secs = time.perf_counter() - t0
    return {"seconds": secs, "status": int(r.status), "objective": float(r.fun) if r.status == 0 else None,
            "columns": meta["columns"], "rows": meta["rows"], "nonzeros": meta["nonzeros"]}


def run(cmd, timeout):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    secs = time.perf_counter() - t0
    if out.returncode != 0:
        return None, secs, out.stderr.strip().splitlines()[-1:] or ["failed"]
    return out.stdout, secs, None


def grain(args, tmp):
    """One row per formulation; the arc-node LP written for scipy."""
    net = ROOT / "examples" / "grain-corridors"
    demand = net / "demand.csv"
    cli = binary("corridor")
    rows = []
    for f in args.formulations:
        out, secs, err = run([cli, "optimise", net, "--demand", demand, "--format", "json",
                              "--formulation", f], args.timeout)
        row = {"case": "grain-corridors", "corridor_seconds": secs, "error": err, "formulation": f}
        if out:
            r = json.loads(out)
            row.update({k: r["lp"][k] for k in ["formulation", "solver", "columns", "rows", "nonzeros", "rounds", "flows"]})
            row["objective"] = r["objective"]
        rows.append(row)
    lp = Path(tmp) / "grain-lp"
    run([cli, "optimise", net, "--demand", demand, "--write-lp", lp], args.timeout)
    return rows, lp


def generated(args, tmp, links, k):
    """One row per formulation (a timeout is recorded as such); the
    arc-node LP written for scipy unless it is too large."""
    ex = binary("optimise_bench", example=True)
    lp = Path(tmp) / f"lp-{links}-{k}"
    base = [ex, "--links", str(links), "--commodities", str(k), "--pairs", str(args.pairs)]
    rows = []
    arc_node_columns = None
    for f in args.formulations:
        case = f"generated {links} links, {k} commodities" + (f", {args.pairs} pairs each" if args.pairs > 1 else "")
        trace = ["--trace"] if f == "paths" else []
        last = None
        try:
            out, secs, err = run(base + ["--formulation", f] + trace, args.timeout)
        except subprocess.TimeoutExpired as e:
            out, secs, err = None, float(args.timeout), [f"timeout after {args.timeout} s"]
            # Column generation's last trace line: how far it got.
            text = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
            last = (text.strip().splitlines() or [None])[-1]
        row = {"case": case, "corridor_seconds": secs, "error": err, "formulation": f}
        if last:
            row["last_round"] = last
        if out:
            row.update(json.loads(out))
            if row["formulation"] == "arc-node":
                arc_node_columns = row["columns"]
        rows.append(row)
    small_enough = arc_node_columns is not None and arc_node_columns <= args.scipy_max_columns
    if not args.no_scipy and small_enough:
        try:
            run(base + ["--formulation", "arc-node", "--write-lp", lp, "--no-solve"], args.timeout)
        except subprocess.TimeoutExpired:
            pass
    return rows, lp


def split(r):
    """Column generation's time in the master's solves and in pricing."""
    if r.get("formulation") != "paths" or "seconds_master" not in r:
        return ""
    return f"{r['seconds_master']:.2f} / {r['seconds_pricing']:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--commodities", default="10,100")
    ap.add_argument("--pairs", type=int, default=1, help="demand rows per commodity")
    ap.add_argument("--formulations", default="arc-node,paths")
    ap.add_argument("--no-scipy", action="store_true")
    ap.add_argument("--scipy-max-columns", type=int, default=5_000_000)
    ap.add_argument("--timeout", type=int, default=1800)
    args = ap.parse_args()
    args.formulations = args.formulations.split(",")
    sizes = [300] if args.quick else [int(x) for x in args.sizes.split(",")]
    ks = [3] if args.quick else [int(x) for x in args.commodities.split(",")]
    print(f"# machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = [grain(args, tmp)] + [generated(args, tmp, n, k) for n in sizes for k in ks]
        for case_rows, lp in cases:
            scipy = None
            if not args.no_scipy and (Path(lp) / "lp.json").exists():
                try:
                    scipy = scipy_solve(lp)
                except ImportError:
                    sys.exit("numpy and scipy are needed (pip install numpy scipy), or pass --no-scipy")
            for row in case_rows:
                if scipy is not None and row.get("formulation") == "arc-node":
                    row["scipy"] = scipy
            # Every formulation that finished must reach one objective.
            done = [r["objective"] for r in case_rows if r.get("objective") is not None]
            if scipy and scipy.get("objective") is not None:
                done.append(scipy["objective"])
            for row in case_rows:
                row["objectives_agree"] = all(abs(z - done[0]) <= 1e-6 * (1 + abs(done[0])) for z in done)
            rows.extend(case_rows)
    print("| case | formulation | columns | rows | rounds (row-only) | simplex iterations | corridor s | master s / pricing s | scipy linprog(highs) s | objectives agree |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        s = r.get("scipy") or {}
        what = r.get("formulation") if not r.get("error") else f"{r.get('formulation')}: {r['error'][0]}"
        agree = "yes" if r.get("objectives_agree") else "NO"
        rounds = f"{r['rounds']} ({r['row_rounds']})" if "row_rounds" in r else r.get("rounds", "")
        print(f"| {r['case']} | {what} | {r.get('columns', '')} | {r.get('rows', '')} | {rounds} | {r.get('iterations', '')} "
              f"| {r['corridor_seconds']:.2f} | {split(r)} | {s.get('seconds', float('nan')):.2f} | {agree} |")
        if r.get("last_round"):
            print(f"|  | (stopped at: {r['last_round']}) | | | | | | | | |")
    out = ROOT / "bench" / ("optimise-results-quick.json" if args.quick else "optimise-results.json")
    out.write_text(json.dumps(rows, indent=1) + "\n")
    print(f"wrote {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
