#!/usr/bin/env python3
"""Column generation's limits: time to a certified gap and to the optimum.

For each generated network (`optimise_bench`: about --sizes links, one
demand row per commodity, --commodities commodities) and each gap in
--gaps (0: the exact optimum), this runs

    optimise_bench --links L --commodities K --formulation paths --gap G --time-limit T

under `/usr/bin/time -v` and records wall and CPU seconds, peak RSS, master
solves, simplex iterations, the status (`optimal`, `gap reached`, `time
limit`), objective, lower bound and gap reached. A run stopped by the time
limit says how far it got. It prints one Markdown table and writes
bench/optimise-gap-results.json (do not commit results of a busy run).

Usage: bench/optimise_gap.py [--sizes 10000,100000] [--commodities 10,100]
                             [--gaps 1e-2,1e-3,0] [--time-limit 1800] [--seed 1]
Build first (release, with HiGHS):
  cargo build --release -p corridor-engine --features highs --example optimise_bench
"""
import argparse, json, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench():
    p = ROOT / "target" / "release" / "examples" / "optimise_bench"
    if not p.exists():
        sys.exit("build optimise_bench first (see --help)")
    return p


def one(links, k, gap, limit, seed):
    cmd = ["/usr/bin/time", "-v", str(bench()), "--links", str(links), "--commodities", str(k),
           "--seed", str(seed), "--formulation", "paths", "--time-limit", str(limit)]
    if gap > 0:
        cmd += ["--gap", str(gap)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        return {"links": links, "commodities": k, "gap_asked": gap,
                "error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    r = json.loads(out.stdout.strip().splitlines()[-1])
    grab = lambda pat: re.search(pat, out.stderr).group(1)
    r["gap_asked"] = gap
    wall = grab(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)").split(":")
    r["wall_s"] = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
    r["cpu_s"] = float(grab(r"User time \(seconds\): (\S+)")) + float(grab(r"System time \(seconds\): (\S+)"))
    r["peak_rss_mb"] = int(grab(r"Maximum resident set size \(kbytes\): (\d+)")) / 1024
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--commodities", default="10,100")
    ap.add_argument("--gaps", default="1e-2,1e-3,0")
    ap.add_argument("--time-limit", type=float, default=1800)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rows = []
    print("| links | groups | gap asked | status | gap reached | wall s | CPU s | master solves | iterations | objective | lower bound | peak RSS MB |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for links in map(int, a.sizes.split(",")):
        for k in map(int, a.commodities.split(",")):
            for gap in map(float, a.gaps.split(",")):
                r = one(links, k, gap, a.time_limit, a.seed)
                rows.append(r)
                if "error" in r:
                    print(f"| {links} | {k} | {gap:g} | error: {r['error']} |")
                else:
                    print(f"| {r['links']} | {k} | {gap:g} | {r['status']} | {r['gap']:.2e} | {r['wall_s']:.1f} | "
                          f"{r['cpu_s']:.1f} | {r['rounds']} | {r['iterations']} | {r['objective']:.6e} | "
                          f"{r['lower_bound']:.6e} | {r['peak_rss_mb']:.0f} |", flush=True)
    (ROOT / "bench" / "optimise-gap-results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
