# Builds data/natural_earth/ne_50m_admin_0_countries.geojson (see its README).
import json, sys
from shapely.geometry import shape, mapping
src, europe, out = sys.argv[1:4]
d = json.load(open(src))
eu = json.load(open(europe))
have = {f["properties"]["ADM0_A3"] for f in eu["features"]}
# Territories without an ISO 3166-1 code join the state ISO assigns them to;
# Siachen Glacier (disputed, uninhabited) is left out.
JOIN = {"CYN": "CYP", "SOL": "SOM", "ATC": "AUS", "IOA": "AUS"}
DROP = {"KAS"}
def rnd(c, n):
    return [round(c[0], n), round(c[1], n)] if isinstance(c[0], (int, float)) else [rnd(x, n) for x in c]
def polys(g):
    return [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
feats = {f["properties"]["ADM0_A3"]: f for f in eu["features"]}
for f in d["features"]:
    p = f["properties"]
    a3 = p["ADM0_A3"]
    if a3 in have or a3 in DROP or a3 in JOIN:
        continue
    g = mapping(shape(f["geometry"]).simplify(0.01, preserve_topology=True))
    feats[a3] = {"type": "Feature",
        "properties": {k: p[k] for k in ("ADM0_A3", "ISO_A2", "NAME")},
        "geometry": {"type": g["type"], "coordinates": rnd(json.loads(json.dumps(g["coordinates"])), 3)}}
for f in d["features"]:
    a3 = f["properties"]["ADM0_A3"]
    if a3 not in JOIN:
        continue
    tol = 0.0 if JOIN[a3] in have else 0.01
    g = mapping(shape(f["geometry"]).simplify(tol, preserve_topology=True)) if tol else f["geometry"]
    n = 4 if tol == 0 else 3
    add = polys({"type": g["type"], "coordinates": rnd(json.loads(json.dumps(g["coordinates"])), n)})
    host = feats[JOIN[a3]]
    host["geometry"] = {"type": "MultiPolygon", "coordinates": polys(host["geometry"]) + add}
out_feats = sorted(feats.values(), key=lambda f: f["properties"]["ADM0_A3"])
json.dump({"type": "FeatureCollection", "features": out_feats}, open(out, "w"), separators=(",", ":"))
print(len(out_feats))
