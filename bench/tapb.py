#!/usr/bin/env python3
"""Algorithm B against tap-b (spartalab/tap-b, Algorithm B in C), whole process.

For each TNTP network (Anaheim, Berlin-Center) and each relative gap
(1e-4 .. 1e-10) this runs tap-b's `bin/tap` on a parameters file and our
release binary (`corridor assign NET --demand TRIPS --method algb --gap G
--threads 1`), one after the other, REPEAT times alternating, and reports
the median wall time of each whole process (reading the files included,
which is what a user waits for) and the ratio, plus all-or-nothing on the
same networks (ours only; `--method aon`).

Usage: bench/tapb.py --tap PATH/TO/tap-b/bin/tap [--repeat 3]
                     [--networks Anaheim,Berlin-Center] [--gaps 1e-4,1e-6,1e-8,1e-10]
Build tap-b from source first (https://github.com/spartalab/tap-b, MIT:
`make` in its folder) and ours with `cargo build --release -p corridor-cli`.
Reads the data from $CORRIDOR_TNTP_DIR (default ../shared/data/tntp). Both
programs run with one thread; tap-b's "gap" is the same relative gap
(TSTT - SPTT) / SPTT. Machine details are printed first.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from assign import NETS, data_dir  # noqa: E402  (one place finds the TNTP data)


def tapb(tap, work, gap):
    (work / "params.txt").write_text(
        "<NETWORK FILE> net.tntp\n<TRIPS FILE> trips.tntp\n"
        f"<CONVERGENCE GAP> {gap:g}\n<MAX ITERATIONS> 100000\n<NUMBER OF THREADS> 1\n"
        "<FILE PATH> ./\n<FLOWS FILE> flows.txt\n")
    t0 = time.perf_counter()
    out = subprocess.run([str(tap), "params.txt"], cwd=work, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    its = re.findall(r"Iteration (\d+): gap ([0-9.eE+-]+)", out)
    return wall, (int(its[-1][0]), float(its[-1][1])) if its else (-1, float("nan"))


def ours(exe, net, trips, gap, method="algb"):
    cmd = [str(exe), "assign", str(net), "--demand", str(trips), "--method", method,
           "--gap", f"{gap:g}", "--max-iter", "100000", "--threads", "1", "--format", "json"]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    r = json.loads(out)
    return wall, (r["iterations"], r["relative_gap"]), r["seconds"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tap", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--networks", default="Anaheim,Berlin-Center")
    ap.add_argument("--gaps", default="1e-4,1e-6,1e-8,1e-10")
    ap.add_argument("--corridor", default=str(ROOT / "target" / "release" / "corridor"))
    a = ap.parse_args()
    gaps = [float(g) for g in a.gaps.split(",")]
    print(subprocess.run("lscpu | grep -E 'Model name|^CPU\\(s\\)'; nproc; uptime", shell=True,
                         capture_output=True, text=True).stdout, flush=True)
    rows, aon = [], []
    for name in a.networks.split(","):
        d = data_dir() / name
        net, trips = d / f"{NETS[name]}_net.tntp", d / f"{NETS[name]}_trips.tntp"
        work = Path(tempfile.mkdtemp(prefix="tapb-"))
        shutil.copy(net, work / "net.tntp")
        shutil.copy(trips, work / "trips.tntp")
        for g in gaps:
            tt, ot, os_ = [], [], []
            for rep in range(a.repeat):
                w, (ti, tg) = tapb(a.tap, work, g)
                tt.append(w)
                w2, (oi, og), s = ours(a.corridor, net, trips, g)
                ot.append(w2)
                os_.append(s)
                print(f"{name} {g:g} run {rep + 1}: tap-b {w:.2f} s ({ti} it, gap {tg:.2e}); "
                      f"ours {w2:.2f} s ({oi} it, gap {og:.2e}, assignment {s:.2f} s); "
                      f"load {open('/proc/loadavg').read().split()[0]}", flush=True)
            rows.append((name, g, statistics.median(tt), ti, statistics.median(ot), statistics.median(os_), oi))
        aw, asec = [], []
        for _ in range(a.repeat):
            w, _, s = ours(a.corridor, net, trips, 1.0, "aon")
            aw.append(w)
            asec.append(s)
        aon.append((name, statistics.median(aw), statistics.median(asec)))
        shutil.rmtree(work)
    print("\n| network | gap | tap-b (s) | tap-b iterations | ours (s) | ours: assignment only (s) | ours iterations | tap-b / ours |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n, g, t, ti, o, s, oi in rows:
        print(f"| {n} | {g:g} | {t:.4f} | {ti} | {o:.4f} | {s:.4f} | {oi} | {t / o:.2f}x |")
    print("\n| network | all-or-nothing, whole process (s) | all-or-nothing, assignment only (s) |")
    print("|---|---:|---:|")
    for n, w, s in aon:
        print(f"| {n} | {w:.3f} | {s:.3f} |")


if __name__ == "__main__":
    main()
