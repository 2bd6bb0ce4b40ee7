#!/usr/bin/env python3
"""Criticality on one machine against Ray on 2 CPUs: total time and the
overhead per task.

For each network it times, median of --repeat runs:
  cli        corridor criticality ... --threads 2 --format json
  local      python -m corridor.sweep ... --engine local (threads, parts)
  ray        python -m corridor.sweep ... --engine ray --cpus 2 (local Ray)
with --tasks 1, 2, 8 and 32 for local and Ray, checks every output is the
CLI's bytes, and prints the table plus Ray's overhead: its start-up (a 1-task Ray run minus the 1-task local run:
starting a local Ray, shipping the archive) and the overhead per further
task, ((ray - local at n tasks) - start-up) / (n - 1).

Needs: `pip install crates/corridor-py ray` and a release CLI
(`cargo build --release -p corridor-cli`). Run on a quiet machine:

    python3 bench/ray_sweep.py                   # grain + Anaheim (TNTP, shared/data)
    python3 bench/ray_sweep.py --repeat 5 --tasks 2,4,16,64
    python3 bench/ray_sweep.py --network ../shared/data/tntp/chicago-regional/ChicagoRegional_net.tntp --from 1 --to 2
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.environ.get("CORRIDOR_BIN", os.path.join(ROOT, "target", "release", "corridor"))
SHARED = os.environ.get("CORRIDOR_SHARED", os.path.join(ROOT, "..", "shared"))


def cases(args):
    if args.network:
        yield args.network, ["--from", args.frm, "--to", args.to]
        return
    yield os.path.join(ROOT, "examples", "grain-corridors"), [
        "--from", "vinnytsia,kropyvnytskyi,poltava,khmelnytskyi,ternopil",
        "--to", "gdansk,constanta,rotterdam", "--commodity", "grain"]
    anaheim = os.path.join(SHARED, "data", "tntp", "Anaheim", "Anaheim_net.tntp")
    if os.path.exists(anaheim):
        yield anaheim, ["--from", "1,2,3,4,5", "--to", "30,31,32,33,34"]
    else:
        print(f"(skipping Anaheim: {anaheim} not found)", file=sys.stderr)


def timed(cmd, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if p.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
        out = p.stdout
    return statistics.median(times), out


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--network")
    a.add_argument("--from", dest="frm")
    a.add_argument("--to")
    a.add_argument("--repeat", type=int, default=3)
    a.add_argument("--tasks", default="1,2,8,32")
    args = a.parse_args()
    if not os.path.exists(CLI):
        sys.exit("build the CLI first: cargo build --release -p corridor-cli")
    tasks = [int(t) for t in args.tasks.split(",")]
    for net, q in cases(args):
        print(f"\n{os.path.relpath(net, ROOT)}")
        cli_s, expected = timed([CLI, "criticality", net, *q, "--threads", "2",
                                 "--format", "json"], args.repeat)
        print(f"  {'cli (2 threads)':<24} {cli_s:8.3f} s")
        local, startup = {}, None
        for engine in ("local", "ray"):
            for n in tasks:
                cmd = [sys.executable, "-m", "corridor.sweep", "criticality", net, *q,
                       "--engine", engine, "--tasks", str(n), "--format", "json"]
                if engine == "ray":
                    cmd += ["--cpus", "2"]
                s, out = timed(cmd, args.repeat)
                same = "same bytes" if out == expected else "DIFFERS from the CLI"
                extra = ""
                if engine == "local":
                    local[n] = s
                elif n == 1:
                    # Starting the local Ray, shipping the archive, one task.
                    startup = s - local[1]
                    extra = f"  start-up {startup:6.2f} s"
                elif startup is not None:
                    per_task = (s - local[n] - startup) / (n - 1)
                    extra = f"  overhead/task {1000 * per_task:7.1f} ms"
                print(f"  {engine + ' tasks=' + str(n):<24} {s:8.3f} s  {same}{extra}")


if __name__ == "__main__":
    main()
