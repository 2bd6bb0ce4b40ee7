#!/usr/bin/env python3
"""A stand-in for `corridor serve`, for working on the map page without the server.

It serves crates/corridor-server/web/ and answers the HTTP API (docs/api.md,
docs/openapi.json) by running the `corridor` binary with
`--format json|geojson`, which is what the real server returns byte for byte.
Only for front-end development and for checking the browser test against
something other than the server; it is slow (one process per request), has no
limits and must never be exposed. The long questions (criticality, sweep,
invest) are jobs the POST computes at once (202 "running", then "done" when
polled; DELETE forgets it). A folder's projects.toml is listed as the server
lists it; what each project changes (`elements`) is read from its scenario's
edits by id only (a selection by tag or country is the server's to resolve).

    cargo build --release -p corridor-cli
    python3 crates/corridor-server/tests/browser/mock_server.py --port 8080
    # or drive the browser test against it:
    CORRIDOR_SERVER_CMD="python3 crates/corridor-server/tests/browser/mock_server.py --port {port}" \
        bash crates/corridor-server/tests/browser/run.sh
"""
import argparse
import itertools
import json
import os
import pathlib
import subprocess
import tempfile
import tomllib
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

ROOT = pathlib.Path(__file__).resolve().parents[4]
WEB = ROOT / "crates/corridor-server/web"
CORRIDOR = os.environ.get("CORRIDOR_BIN", str(ROOT / "target/release/corridor"))


class ApiError(Exception):
    def __init__(self, status, message, field=None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def run(args):
    """Runs the CLI; its stdout on success, its message as a 422 otherwise."""
    p = subprocess.run([CORRIDOR, *args], capture_output=True, text=True)
    if p.returncode != 0:
        lines = [l for l in p.stderr.splitlines() if not l.startswith("warning")]
        msg = "\n".join(lines).strip()
        msg = msg[len("error: "):] if msg.startswith("error: ") else msg
        raise ApiError(422, msg or "corridor failed")
    return p.stdout


class Network:
    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.name = self.path.stem if self.path.is_file() else self.path.name
        self.scenarios = {}
        folder = self.path / "scenarios" if self.path.is_dir() else None
        for f in sorted(folder.glob("*.toml")) if folder and folder.is_dir() else []:
            doc = tomllib.loads(f.read_text(encoding="utf-8"))
            head = doc.get("scenario", {})
            self.scenarios[head.get("name", f.stem)] = {
                "name": head.get("name", f.stem),
                "file": f.name,
                "edits": len(doc.get("edit", [])),
                "description": head.get("description"),
                "path": str(f),
            }
        self.info = json.loads(run(["info", str(self.path), "--format", "json"]))
        with tempfile.TemporaryDirectory() as tmp:
            out = pathlib.Path(tmp) / "n.geojson"
            run(["export", str(self.path), "--format", "geojson", "--out", str(out)])
            self.geojson = out.read_text(encoding="utf-8")
        self.projects = {"cost_unit": None, "projects": [], "elements": {}}
        self.project_files = {}
        listing = self.path / "projects.toml" if self.path.is_dir() else None
        if listing and listing.is_file():
            self.read_projects(listing)

    def read_projects(self, listing):
        doc = tomllib.loads(listing.read_text(encoding="utf-8"))
        features = [f["properties"] for f in json.loads(self.geojson)["features"]]
        where = {(f["element"], f["id"]): f for f in features}
        self.projects["cost_unit"] = doc.get("unit")
        for p in doc.get("projects", []):
            path = listing.parent / p["scenario"]
            scen = tomllib.loads(path.read_text(encoding="utf-8"))
            name = scen.get("scenario", {}).get("name", path.stem)
            entry = {"name": p["name"], "scenario": name, "cost": float(p["cost"])}
            if p.get("note"):
                entry["note"] = p["note"]
            self.projects["projects"].append(entry)
            self.project_files[p["name"]] = str(path.resolve())
            elements = []
            for e in scen.get("edit", []):
                # An edit names one element; an added terminal's `node` is where it stands.
                for kind in ("terminal", "border", "link", "node"):
                    if not isinstance(e.get(kind), str):
                        continue
                    if e.get("action") == "add":
                        at = [e["from"], e["to"]] if kind == "link" else [e.get("node", e[kind])]
                    else:
                        f = where.get((kind, e[kind]), {})
                        at = [f["from"], f["to"]] if kind == "link" else [f.get("node", e[kind])]
                    if not any(x["kind"] == kind and x["id"] == e[kind] for x in elements):
                        elements.append({"kind": kind, "id": e[kind], "at": at})
                    break
            self.projects["elements"][p["name"]] = elements

    def summary(self):
        i = self.info
        return {
            "name": self.name,
            "nodes": i["nodes"],
            "links": i["links"],
            "layers": {l["layer"]: l["links"] for l in i["layers"]},
            "terminals": len(i["terminals"]),
            "borders": len(i["borders"]),
            "bbox": i["bbox"],
            "commodities": [c["id"] for c in i["commodities"]],
            "scenarios": sorted(self.scenarios),
        }

    def scenario_args(self, names):
        args = []
        for n in names or []:
            if n not in self.scenarios:
                raise ApiError(422, f'unknown scenario "{n}"', "scenarios")
            args += ["--scenario", self.scenarios[n]["path"]]
        return args


def places(items, field):
    if not isinstance(items, list) or not items:
        raise ApiError(422, f"{field}: give at least one place", field)
    out = []
    for it in items:
        if isinstance(it, dict):
            out.append(f'{it["place"]}={it["limit"]}' if it.get("limit") is not None else it["place"])
        else:
            out.append(str(it))
    return ",".join(out)


def check_places(net, q, fields):
    """The server names the field of an unknown place; the CLI cannot say which."""
    ids = {f["properties"]["id"] for f in json.loads(net.geojson)["features"] if f["properties"].get("element") == "node"}
    names = {f["properties"].get("name", "").lower() for f in json.loads(net.geojson)["features"] if f["properties"].get("element") == "node"}
    for field in fields:
        v = q.get(field)
        for place in v if isinstance(v, list) else [v]:
            p = place.get("place") if isinstance(place, dict) else place
            if isinstance(p, str) and p not in ids and p.lower() not in names and "," not in p and not p.isupper():
                raise ApiError(422, f'unknown node "{p}"', field)


def common(q, net, minimize=True):
    args = []
    if q.get("commodity"):
        args += ["--commodity", q["commodity"]]
    if minimize and q.get("minimize"):
        args += ["--minimize", q["minimize"]]
    return args + net.scenario_args(q.get("scenarios"))


def criticality(net, q):
    """`corridor criticality --format json` for a criticality query."""
    check_places(net, q, ["from", "to"])
    a = ["criticality", str(net.path), "--from", places(q.get("from"), "from"), "--to", places(q.get("to"), "to")]
    if q.get("elements"):
        a += ["--elements", ",".join(q["elements"])]
    return run(a + common(q, net) + ["--format", "json"])


def sweep(net, q):
    """`corridor sweep --format json` for a sweep query."""
    check_places(net, q, ["from", "to"])
    if not q.get("scenarios"):
        raise ApiError(422, "scenarios: name at least one scenario to sweep", "scenarios")
    a = ["sweep", str(net.path), "--from", places(q.get("from"), "from"), "--to", places(q.get("to"), "to")]
    a += ["--scenarios", ",".join(x for x in net.scenario_args(q["scenarios"]) if x != "--scenario")]
    if q.get("commodities"):
        a += ["--commodity", ",".join(q["commodities"])]
    if q.get("minimize"):
        a += ["--minimize", q["minimize"]]
    if q.get("grid"):
        a += ["--grid"]
    return run(a + ["--format", "json"])


def invest(net, q):
    """`corridor invest --format json`: the query's projects written as a projects.toml."""
    check_places(net, q, ["from", "to"])
    budget = q.get("budget")
    if not isinstance(budget, (int, float)) or budget < 0:
        raise ApiError(422, f"the budget {budget} must be a non-negative number", "budget")
    lines = [f"unit = {json.dumps(q['cost_unit'])}"] if q.get("cost_unit") else []
    for p in q.get("projects") or []:
        if p["name"] not in net.project_files:
            raise ApiError(422, f'unknown project "{p["name"]}"', "projects")
        lines += ["[[projects]]", f"name = {json.dumps(p['name'])}", f"scenario = {json.dumps(net.project_files[p['name']])}",
                  f"cost = {json.dumps(p['cost'])}"]
        if p.get("note"):
            lines.append(f"note = {json.dumps(p['note'])}")
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as tmp:
        tmp.write("\n".join(lines) + "\n")
    try:
        a = ["invest", str(net.path), "--projects", tmp.name, "--budget", str(budget)]
        a += ["--from", places(q.get("from"), "from"), "--to", places(q.get("to"), "to")]
        return run(a + common(q, net) + ["--format", "json"])
    finally:
        os.unlink(tmp.name)


# The long questions: the CLI's JSON, how many units its progress counts
# and whether that count is known before the end (invest's sets are not).
LONG = {
    "criticality": (criticality, lambda r: len(r["elements"]), True),
    "sweep": (sweep, lambda r: len(r["rows"]), True),
    "invest": (invest, lambda r: r["best"]["evaluated"] if r.get("best") else 0, False),
}


def answer(net, what, q, fmt):
    """The CLI's bytes for one POST; `fmt` is json, geojson or both."""
    check_places(net, q, {"route": ["from", "to", "via"], "assign": []}.get(what, ["from", "to"]))

    def ask(f):
        if what == "route":
            a = ["route", str(net.path), "--from", q["from"], "--to", q["to"]]
            a += ["--tonnes", str(q.get("tonnes", 1))] + common(q, net)
            a += ["--pareto"] if q.get("pareto") else []
            for v in q.get("via", []):
                a += ["--via", v]
            for v in q.get("avoid", []):
                a += ["--avoid", v]
        elif what in ("capacity", "compare"):
            if what == "compare" and not q.get("scenarios"):
                raise ApiError(422, "compare needs at least one scenario", "scenarios")
            a = [what, str(net.path), "--from", places(q.get("from"), "from"), "--to", places(q.get("to"), "to")]
            a += common(q, net)
        else:
            rows = q.get("demand") or []
            if not rows:
                raise ApiError(422, "demand: give at least one row", "demand")
            tmp = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
            tmp.write("origin,destination,commodity,t_per_day\n")
            for r in rows:
                tmp.write(f'{r["origin"]},{r["destination"]},{r.get("commodity") or ""},{r["amount"]}\n')
            tmp.close()
            a = ["assign", str(net.path), "--demand", tmp.name]
            for k in ("method", "gap", "max_iter"):
                if q.get(k) is not None:
                    a += ["--" + k.replace("_", "-"), str(q[k])]
            a += common(q, net)
        try:
            return run(a + ["--format", f])
        finally:
            if what == "assign":
                os.unlink(tmp.name)

    if fmt == "both":
        return '{"result":' + ask("json") + ',"geojson":' + ask("geojson") + "}"
    return ask(fmt)


class Handler(SimpleHTTPRequestHandler):
    networks = {}
    # id -> (the POST's status JSON, the CLI's JSON, the units done at the end)
    jobs = {}
    job_ids = itertools.count(1)

    def __init__(self, *a, **kw):
        super().__init__(*a, directory=str(WEB), **kw)

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".geojson": "application/geo+json", ".json": "application/json"}

    def log_message(self, fmt, *args):
        if os.environ.get("MOCK_VERBOSE"):
            super().log_message(fmt, *args)

    def send_json(self, status, body):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route_api(self, method):
        url = urllib.parse.urlsplit(self.path)
        parts = [urllib.parse.unquote(p) for p in url.path.strip("/").split("/")]
        fmt = urllib.parse.parse_qs(url.query).get("format", ["json"])[0]
        if url.path == "/health":
            return {"status": "ok", "networks": len(self.networks)}
        if parts[:2] == ["api", "jobs"] and len(parts) == 3:
            return self.job(method, parts[2])
        if parts[:2] != ["api", "networks"]:
            raise ApiError(404, f"no such path {url.path}")
        if len(parts) == 2:
            return [n.summary() for _, n in sorted(self.networks.items())]
        net = self.networks.get(parts[2])
        if net is None:
            raise ApiError(404, f'unknown network "{parts[2]}"')
        rest = parts[3:]
        if method == "GET":
            if not rest:
                return net.info
            if rest == ["geojson"]:
                return net.geojson
            if rest == ["scenarios"]:
                return [{k: v for k, v in s.items() if k != "path"} for s in net.scenarios.values()]
            if rest == ["projects"]:
                return net.projects
            raise ApiError(404, f"no such path {url.path}")
        if len(rest) != 1 or rest[0] not in ("route", "capacity", "compare", "assign", *LONG):
            raise ApiError(404, f"no such path {url.path}")
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1 << 20:
            raise ApiError(413, "body over the limit (1 MiB)")
        try:
            q = json.loads(self.rfile.read(length) or b"null")
        except ValueError as e:
            raise ApiError(400, f"malformed JSON: {e}")
        if not isinstance(q, dict):
            raise ApiError(400, "the body must be a JSON object")
        if fmt not in ("json", "geojson", "both"):
            raise ApiError(422, f'unknown format "{fmt}"', "format")
        if rest[0] in LONG:
            ask, units, known = LONG[rest[0]]
            result = ask(net, q)
            n = units(json.loads(result))
            job_id = f"{next(self.job_ids):016x}"
            head = {"id": job_id, "question": rest[0], "network": net.name,
                    "status": "running", "progress": {"done": 0, "total": n if known else None}}
            self.jobs[job_id] = (head, result, n)
            return 202, head
        return answer(net, rest[0], q, fmt)

    def job(self, method, job_id):
        """GET: "done" with the result (the POST said "running"); DELETE forgets it."""
        if job_id not in self.jobs:
            raise ApiError(404, f'no job "{job_id}"')
        head, result, n = self.jobs[job_id]
        if method == "DELETE":
            del self.jobs[job_id]
            return 204, None
        done = {**head, "status": "done", "progress": {"done": n, "total": head["progress"]["total"]}}
        return json.dumps(done)[:-1] + ', "result": ' + result + "}"

    def handle_api(self, method):
        try:
            body = self.route_api(method)
            status, body = body if isinstance(body, tuple) else (200, body)
            if body is None:
                self.send_response(status)
                self.end_headers()
                return
            self.send_json(status, body)
        except ApiError as e:
            self.send_json(e.status, {"error": e.message, "field": e.field})
        except (KeyError, TypeError) as e:
            self.send_json(422, {"error": f"missing or bad field {e}", "field": None})

    def do_GET(self):
        if self.path.startswith("/api/") or self.path == "/health":
            return self.handle_api("GET")
        return super().do_GET()

    def do_DELETE(self):
        if self.path.startswith("/api/"):
            return self.handle_api("DELETE")
        self.send_json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "method not allowed", "field": None})

    def do_POST(self):
        if self.path.startswith("/api/"):
            return self.handle_api("POST")
        self.send_json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "method not allowed", "field": None})


def main():
    ap = argparse.ArgumentParser(description="mock `corridor serve` for the map page")
    ap.add_argument("networks", nargs="*", default=[ROOT / "examples/triangle.toml", ROOT / "examples/grain-corridors"])
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--bind", default="127.0.0.1")
    a = ap.parse_args()
    nets = [Network(p) for p in a.networks]
    Handler.networks = {n.name: n for n in nets}
    server = ThreadingHTTPServer((a.bind, a.port), Handler)
    print(f"mock corridor serve on http://{a.bind}:{a.port}/ ({', '.join(Handler.networks)})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
