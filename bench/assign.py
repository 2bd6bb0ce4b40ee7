#!/usr/bin/env python3
"""Traffic assignment benchmark: corridor vs AequilibraE (bfw), side by side.

For each TNTP network (Anaheim, Berlin-Center by default) this runs
AequilibraE's TrafficAssignment with bi-conjugate Frank-Wolfe to relative gap
1e-6 (its convergence report gives the time at which 1e-4 was reached too),
then our release binary with each method asked for (to 1e-4 and to 1e-6),
all with the same thread count, and prints a Markdown table with times,
ratios and the final flows' relative RMSE on links with b > 0.

Usage: bench/assign.py [--threads 1] [--methods bfw,algb] [--networks Anaheim,Berlin-Center]
Reads the data from $CORRIDOR_TNTP_DIR (default ../shared/data/tntp); build
first with `cargo build --release -p corridor-cli`.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("AEQ_SHOW_PROGRESS", "FALSE")

ROOT = Path(__file__).resolve().parent.parent
NETS = {"Anaheim": "Anaheim", "Berlin-Center": "berlin-center", "SiouxFalls": "SiouxFalls"}


def data_dir():
    if "CORRIDOR_TNTP_DIR" in os.environ:
        return Path(os.environ["CORRIDOR_TNTP_DIR"])
    for a in [ROOT, *ROOT.parents]:
        d = a / "shared" / "data" / "tntp"
        if d.is_dir():
            return d
    sys.exit("TNTP data not found: set CORRIDOR_TNTP_DIR")


def read_net(path):
    meta, links, header = {}, [], True
    for line in open(path):
        t = line.strip()
        if header:
            if t.startswith("<END OF METADATA>"):
                header = False
            elif t.startswith("<"):
                k, v = t[1:].split(">", 1)
                meta[k.strip()] = v.strip()
            continue
        if not t or t.startswith("~"):
            continue
        c = t.rstrip(";").split()
        links.append([int(c[0]), int(c[1])] + [float(x) for x in c[2:7]])
    return meta, links


def read_trips(path, zones):
    import numpy as np
    od = np.zeros((zones, zones))
    o = None
    header = True
    for line in open(path):
        t = line.strip()
        if header:
            header = not t.startswith("<END OF METADATA>")
            continue
        if t.startswith("Origin"):
            o = int(t.split()[1])
            continue
        for pair in t.split(";"):
            if ":" in pair:
                d, f = pair.split(":")
                od[o - 1, int(d) - 1] = float(f)
    np.fill_diagonal(od, 0.0)
    return od


def aequilibrae_run(net_path, trips_path, threads, gap):
    import numpy as np, pandas as pd
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass
    from aequilibrae.matrix import AequilibraeMatrix

    meta, links = read_net(net_path)
    zones = int(meta["NUMBER OF ZONES"])
    df = pd.DataFrame(links, columns=["a_node", "b_node", "capacity", "length", "free_flow_time", "b", "power"])
    # AequilibraE rejects free-flow time 0 and power < 1: map them where b = 0
    # (constant-cost links), where they change nothing.
    df.loc[df.free_flow_time <= 0, "free_flow_time"] = 1e-9
    df.loc[(df.b == 0) & (df.power < 1), "power"] = 1.0
    df["link_id"] = np.arange(1, len(df) + 1)
    df["direction"] = 1
    g = Graph()
    g.network = df
    g.prepare_graph(np.arange(1, zones + 1, dtype=np.int64), remove_dead_ends=False)
    g.set_graph("free_flow_time")
    g.set_skimming(["free_flow_time"])
    g.set_blocked_centroid_flows(int(meta["FIRST THRU NODE"]) > 1)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=zones, matrix_names=["matrix"], memory_only=True)
    mat.index = np.arange(1, zones + 1, dtype=np.int64)
    mat.matrices[:, :, 0] = read_trips(trips_path, zones)
    mat.computational_view(["matrix"])
    ta = TrafficAssignment()
    ta.set_classes([TrafficClass("car", g, mat)])
    ta.set_vdf("BPR")
    ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("free_flow_time")
    ta.set_algorithm("bfw")
    ta.max_iter = 100000
    ta.rgap_target = gap
    ta.set_cores(threads)
    t0 = time.perf_counter()
    ta.execute()
    total = time.perf_counter() - t0
    rep = pd.DataFrame(ta.assignment.convergence_report)
    res = ta.results()
    flows = res.sort_index()["matrix_ab"].to_numpy() if "matrix_ab" in res else res.sort_index().iloc[:, 0].to_numpy()
    return rep, total, flows, df


def first_time(rep, gap):
    hit = rep[rep.rgap <= gap]
    return (float(hit.time.iloc[0]), int(hit.iteration.iloc[0])) if len(hit) else (float("nan"), -1)


def ours(net_path, trips_path, threads, gap, method, flows_out):
    exe = ROOT / "target" / "release" / "corridor"
    cmd = [str(exe), "assign", str(net_path), "--demand", str(trips_path), "--method", method,
           "--gap", str(gap), "--max-iter", "100000", "--threads", str(threads), "--format", "json",
           "--flows", str(flows_out)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    r = json.loads(out)
    return r, wall


def rel_rmse(a, b, mask):
    import numpy as np
    return float(np.sqrt(((a - b)[mask] ** 2).sum() / max((b[mask] ** 2).sum(), 1e-300)))


def main():
    import numpy as np
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--methods", default="bfw")
    ap.add_argument("--networks", default="Anaheim,Berlin-Center")
    a = ap.parse_args()
    d = data_dir()
    rows = []
    for name in a.networks.split(","):
        stem = NETS[name]
        net, trips = d / name / f"{stem}_net.tntp", d / name / f"{stem}_trips.tntp"
        rep, aeq_total, aeq_flows, df = aequilibrae_run(net, trips, a.threads, 1e-6)
        mask = df.b.to_numpy() > 0
        t4, i4 = first_time(rep, 1e-4)
        t6, i6 = first_time(rep, 1e-6)
        print(f"{name}: AequilibraE bfw 1e-4 at {t4:.2f} s (iteration {i4}), 1e-6 at {t6:.2f} s (iteration {i6}), total {aeq_total:.2f} s", flush=True)
        for m in a.methods.split(","):
            res = {}
            with tempfile.TemporaryDirectory() as tmp:
                for gap in (1e-4, 1e-6):
                    f = Path(tmp) / "flows.csv"
                    r, wall = ours(net, trips, a.threads, gap, m, f)
                    res[gap] = (r, wall)
                    flows = np.loadtxt(f, delimiter=",", skiprows=1, usecols=2)
                diff = rel_rmse(flows, aeq_flows, mask)
            (r4, w4), (r6, w6) = res[1e-4], res[1e-6]
            print(f"{name}: corridor {m} 1e-4 in {r4['seconds']:.2f} s ({r4['iterations']} it, wall {w4:.2f} s), "
                  f"1e-6 in {r6['seconds']:.2f} s ({r6['iterations']} it, wall {w6:.2f} s), "
                  f"objective {r6['objective']:.3f}, flows vs AequilibraE rel. RMSE (b>0) {diff:.2e}", flush=True)
            rows.append((name, m, t4, r4["seconds"], t6, r6["seconds"], r6["objective"], diff))
    print()
    print(f"| network | ours | AequilibraE bfw to 1e-4 (s) | ours to 1e-4 (s) | ratio | AequilibraE bfw to 1e-6 (s) | ours to 1e-6 (s) | ratio | our objective at 1e-6 | flows vs AequilibraE (rel. RMSE, b>0) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, m, t4, o4, t6, o6, obj, diff in rows:
        print(f"| {name} | {m} | {t4:.2f} | {o4:.2f} | {t4 / o4:.1f}x | {t6:.2f} | {o6:.2f} | {t6 / o6:.1f}x | {obj:,.3f} | {diff:.1e} |")


if __name__ == "__main__":
    main()
