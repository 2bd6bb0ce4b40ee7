"""Criticality and sweeps split into tasks, on Ray or locally.

    python -m corridor.sweep criticality NETWORK --from A,B --to C --commodity grain \\
        --engine ray [--address ADDR] [--tasks N] --format json
    python -m corridor.sweep sweep NETWORK --scenarios S1.toml,S2.toml [--grid] \\
        --from A --to C --commodity grain,fuel --engine local

The elements (criticality) or rows (sweep) are split into ``--tasks``
parts: part ``i`` of ``n`` is every ``n``-th element from the ``i``-th on,
so each task gets used and unused elements alike. Each task answers its
part with the library (one thread), and the parts are merged by the
library (``corridor_engine::answer::merge_criticality`` / ``merge_sweep``),
so the printed JSON is byte for byte what ``corridor criticality ...
--format json`` prints.

On Ray the network's files (and the scenario files) are packed into one
tar archive and shipped once with ``ray.put``; each worker unpacks and
reads them once per process. ``--address`` joins a running cluster
(``auto``, ``ray://host:10001``, ...); without it a local Ray starts with
``--cpus`` CPUs. ``--engine local`` runs the same parts on threads in this
process (the GIL is released while each part computes).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Sequence, Tuple

import corridor

# ----------------------------------------------------------------- bundles


def _network_files(path: str) -> List[Tuple[str, str]]:
    """(file on disk, name in the archive) for a network argument: a CSV
    bundle folder whole, a `.toml` file, a TNTP `_net.tntp` with its
    `_node.tntp` sibling when there is one."""
    path = os.path.abspath(path)
    base = os.path.basename(path.rstrip(os.sep))
    if os.path.isdir(path):
        out = []
        for dirpath, _, files in os.walk(path):
            for f in sorted(files):
                full = os.path.join(dirpath, f)
                out.append((full, os.path.join("network", base, os.path.relpath(full, path))))
        return out
    out = [(path, os.path.join("network", base))]
    if base.endswith("_net.tntp"):
        node = os.path.join(os.path.dirname(path), base[: -len("_net.tntp")] + "_node.tntp")
        if os.path.exists(node):
            out.append((node, os.path.join("network", os.path.basename(node))))
    return out


def pack(network: str, scenarios: Sequence[str]) -> Tuple[bytes, str, List[str]]:
    """The network and scenario files as one tar archive, with the names
    of the network and of each scenario inside it."""
    files = _network_files(network)
    net_name = os.path.join("network", os.path.basename(os.path.abspath(network).rstrip(os.sep)))
    names = []
    for i, s in enumerate(scenarios):
        name = os.path.join("scenarios", f"{i}", os.path.basename(s))
        files.append((os.path.abspath(s), name))
        names.append(name)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for full, name in files:
            tar.add(full, arcname=name, recursive=False)
    return buf.getvalue(), net_name, names


# Unpacked bundles and their networks, per worker process, by digest.
_UNPACKED: Dict[str, Tuple[str, Any]] = {}


def _open(bundle: bytes, net_name: str) -> Tuple[str, Any]:
    key = hashlib.sha256(bundle).hexdigest()
    if key not in _UNPACKED:
        root = tempfile.mkdtemp(prefix="corridor-")
        with tarfile.open(fileobj=io.BytesIO(bundle)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(root, filter="data")
            else:  # pragma: no cover - Python before 3.8.17 / 3.11.4
                tar.extractall(root)
        _UNPACKED[key] = (root, corridor.Network.load(os.path.join(root, net_name)))
    return _UNPACKED[key]


def answer_part(
    bundle: bytes, net_name: str, kind: str, query: Dict[str, Any], scenarios: List[str],
    index: int, of: int,
) -> str:
    """One part's report as JSON text: what a task runs."""
    root, net = _open(bundle, net_name)
    q = dict(query, part={"index": index, "of": of}, threads=1)
    paths = [os.path.join(root, s) for s in scenarios]
    ask = net._engine.criticality if kind == "criticality" else net._engine.sweep
    return ask(json.dumps(q), paths)


def merge(kind: str, parts: List[str]) -> str:
    """The whole report from every part's JSON (any order)."""
    return (corridor.merge_criticality if kind == "criticality" else corridor.merge_sweep)(parts)


# ----------------------------------------------------------------- engines


def run_local(bundle, net_name, kind, query, scenarios, tasks: int) -> str:
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        parts = list(
            pool.map(
                lambda i: answer_part(bundle, net_name, kind, query, scenarios, i, tasks),
                range(tasks),
            )
        )
    return merge(kind, parts)


def run_ray(bundle, net_name, kind, query, scenarios, tasks: int, address, cpus) -> str:
    import ray

    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    remote = ray.remote(num_cpus=1)(answer_part)
    ref = ray.put(bundle)  # shipped once; tasks receive it by reference
    futures = [
        remote.remote(ref, net_name, kind, query, scenarios, i, tasks) for i in range(tasks)
    ]
    return merge(kind, ray.get(futures))


# ----------------------------------------------------------------- command line


def _list(s: Optional[str]) -> List[str]:
    return [x.strip() for x in (s or "").split(",") if x.strip()]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m corridor.sweep",
        description="criticality or sweep split into tasks on Ray or local threads; "
        "prints the JSON `corridor criticality|sweep ... --format json` prints",
    )
    sub = p.add_subparsers(dest="kind", required=True)
    for kind in ("criticality", "sweep"):
        s = sub.add_parser(kind)
        s.add_argument("network")
        s.add_argument("--from", dest="frm", required=True, help="origins, comma-separated")
        s.add_argument("--to", required=True, help="destinations, comma-separated")
        s.add_argument("--commodity", help="commodity id(s), comma-separated for sweep")
        s.add_argument("--minimize", help="cost, time, distance, co2 or generalised")
        if kind == "criticality":
            s.add_argument("--elements", help="links,terminals,borders,nodes (default all)")
            s.add_argument("--scenario", action="append", default=[],
                           help="scenario file applied first (repeatable)")
        else:
            s.add_argument("--scenarios", required=True, help="scenario files, comma-separated")
            s.add_argument("--grid", action="store_true", help="every combination")
        s.add_argument("--engine", choices=["ray", "local"], default="local")
        s.add_argument("--address", help="join this Ray cluster (default: start a local one)")
        s.add_argument("--cpus", type=int, default=None,
                       help="CPUs of the local Ray started without --address")
        s.add_argument("--tasks", type=int, default=None,
                       help="parts to split into (default: 2 per CPU)")
        s.add_argument("--format", choices=["json"], default="json")
    return p


def _query(a) -> Tuple[Dict[str, Any], List[str]]:
    q: Dict[str, Any] = {"from": _list(a.frm), "to": _list(a.to)}
    if a.minimize:
        q["minimize"] = a.minimize
    if a.kind == "criticality":
        if a.commodity:
            q["commodity"] = a.commodity
        q["elements"] = _list(a.elements)
        return q, list(a.scenario)
    q["commodities"] = _list(a.commodity)
    q["grid"] = a.grid
    return q, _list(a.scenarios)


def main(argv: Optional[Sequence[str]] = None) -> int:
    a = _parser().parse_args(argv)
    try:
        query, scenarios = _query(a)
        bundle, net_name, names = pack(a.network, scenarios)
        cpus = a.cpus or os.cpu_count() or 1
        tasks = a.tasks or 2 * cpus
        if tasks < 1:
            raise corridor.CorridorError("--tasks must be at least 1")
        if a.engine == "ray":
            text = run_ray(bundle, net_name, a.kind, query, names, tasks, a.address, a.cpus)
        else:
            text = run_local(bundle, net_name, a.kind, query, names, tasks)
    except (corridor.CorridorError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
