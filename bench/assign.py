#!/usr/bin/env python3
"""Traffic assignment benchmark: corridor vs AequilibraE (bfw), side by side.

For each TNTP network (Anaheim, Berlin-Center by default) this runs
AequilibraE's TrafficAssignment with bi-conjugate Frank-Wolfe to relative gap
1e-6 (its convergence report gives the time at which 1e-4 was reached too),
then our release binary with each method asked for (to 1e-4 and to 1e-6),
all with the same thread count, and prints a Markdown table with times,
ratios and the final flows' relative RMSE on links with b > 0.

Usage: bench/assign.py [--threads 1] [--methods algb,bfw] [--networks Anaheim,Berlin-Center]
                       [--gaps 1e-4,1e-6] [--repeat N] [--corridor PATH] [--no-aequilibrae]
Reads the data from $CORRIDOR_TNTP_DIR (default ../shared/data/tntp); build
first with `cargo build --release -p corridor-cli`. With --repeat N every run
(AequilibraE's and each of ours) is repeated N times, alternating, and the
median time is reported with the range. The final flows compared are those of
the last run at the tightest gap. Machine details (lscpu, nproc, load) are
printed first so the table can be recorded with them.
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


def ours(exe, net_path, trips_path, threads, gap, method, flows_out):
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


def machine():
    out = []
    try:
        out += subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:15]
    except OSError:
        pass
    out.append(f"nproc: {os.cpu_count()}, load average: {open('/proc/loadavg').read().split()[:3]}")
    return "\n".join(out)


def med(xs):
    import statistics
    return statistics.median(xs)


def main():
    import numpy as np
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--methods", default="algb,bfw")
    ap.add_argument("--networks", default="Anaheim,Berlin-Center")
    ap.add_argument("--gaps", default="1e-4,1e-6")
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the median is reported")
    ap.add_argument("--corridor", default=str(ROOT / "target" / "release" / "corridor"))
    ap.add_argument("--no-aequilibrae", action="store_true", help="only our runs (no ratios)")
    a = ap.parse_args()
    gaps = [float(g) for g in a.gaps.split(",")]
    d = data_dir()
    print(machine(), flush=True)
    print(f"threads {a.threads}, repeat {a.repeat}, gaps {gaps}, corridor {a.corridor}", flush=True)
    rows = []
    for name in a.networks.split(","):
        stem = NETS[name]
        net, trips = d / name / f"{stem}_net.tntp", d / name / f"{stem}_trips.tntp"
        _, links = read_net(net)
        mask = np.array([l[5] > 0 for l in links])
        aeq = {g: [] for g in gaps}
        aeq_flows = None
        ourt = {(m, g): [] for m in a.methods.split(",") for g in gaps}
        ourr = {}
        for rep in range(a.repeat):
            if not a.no_aequilibrae:
                rep_df, aeq_total, aeq_flows, _ = aequilibrae_run(net, trips, a.threads, min(gaps))
                for g in gaps:
                    t, it = first_time(rep_df, g)
                    aeq[g].append((t, it))
                print(f"{name}: AequilibraE bfw run {rep + 1}: " + ", ".join(f"{g:g} at {aeq[g][-1][0]:.2f} s (iteration {aeq[g][-1][1]})" for g in gaps) + f", total {aeq_total:.2f} s, load {open('/proc/loadavg').read().split()[0]}", flush=True)
            for m in a.methods.split(","):
                with tempfile.TemporaryDirectory() as tmp:
                    f = Path(tmp) / "flows.csv"
                    for g in gaps:
                        r, wall = ours(a.corridor, net, trips, a.threads, g, m, f)
                        ourt[(m, g)].append(r["seconds"])
                        ourr[(m, g)] = r
                        print(f"{name}: corridor {m} run {rep + 1} to {g:g}: {r['seconds']:.2f} s ({r['iterations']} it, wall {wall:.2f} s, gap {r['relative_gap']:.3e}), load {open('/proc/loadavg').read().split()[0]}", flush=True)
                    ourr[(m, "flows")] = np.loadtxt(f, delimiter=",", skiprows=1, usecols=2)
        for m in a.methods.split(","):
            diff = rel_rmse(ourr[(m, "flows")], aeq_flows, mask) if aeq_flows is not None else float("nan")
            cells = []
            for g in gaps:
                o = med(ourt[(m, g)])
                rng = f" ({min(ourt[(m, g)]):.3f}–{max(ourt[(m, g)]):.3f})" if a.repeat > 1 else ""
                if aeq_flows is not None:
                    t = med([x[0] for x in aeq[g]])
                    cells.append(f"{t:.2f} | {o:.3f}{rng} | {t / o:.1f}x")
                else:
                    cells.append(f"– | {o:.3f}{rng} | –")
            obj = ourr[(m, gaps[-1])]["objective"]
            rows.append(f"| {name} | {m} | " + " | ".join(cells) + f" | {obj:,.3f} | {diff:.1e} |")
    print()
    head = "| network | ours | " + " | ".join(f"AequilibraE bfw to {g:g} (s) | ours to {g:g} (s) | ratio" for g in gaps) + f" | our objective at {gaps[-1]:g} | flows vs AequilibraE (rel. RMSE, b>0) |"
    print(head)
    print("|---|---|" + "---:|---:|---:|" * len(gaps) + "---:|---:|")
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
