"""Builds europe_waterways.geojson from the tables below (run from this folder:
`python3 build.py`). Every figure names the row of sources.csv it comes from;
positions are town or port centres (±2 km), used only to draw the lines and to
join ports to land networks; lengths are the figures in the tables, not the
drawn distance."""
import json

# id, name, lon, lat, kind (river_port | sea_port | junction | lock), country
NODES = [
    # Rhine (Rhine-km from Konstanz)
    ("ww-basel", "Basel", 7.59, 47.59, "river_port", "CH"),
    ("ww-strasbourg", "Strasbourg", 7.79, 48.57, "river_port", "FR"),
    ("ww-mannheim", "Mannheim", 8.45, 49.49, "river_port", "DE"),
    ("ww-mainz", "Mainz", 8.28, 50.01, "junction", "DE"),
    ("ww-koblenz", "Koblenz", 7.60, 50.36, "river_port", "DE"),
    ("ww-cologne", "Cologne", 6.97, 50.95, "river_port", "DE"),
    ("ww-duisburg", "Duisburg", 6.73, 51.45, "river_port", "DE"),
    ("ww-nijmegen", "Nijmegen", 5.85, 51.85, "river_port", "NL"),
    ("ww-rotterdam", "Rotterdam", 4.40, 51.90, "sea_port", "NL"),
    # Main and Main-Danube canal
    ("ww-frankfurt", "Frankfurt am Main", 8.68, 50.10, "river_port", "DE"),
    ("ww-wurzburg", "Würzburg", 9.92, 49.80, "river_port", "DE"),
    ("ww-bamberg", "Bamberg", 10.86, 49.91, "river_port", "DE"),
    ("ww-nuremberg", "Nuremberg", 11.06, 49.39, "river_port", "DE"),
    # Danube (Danube-km, Sulina = 0)
    ("ww-kelheim", "Kelheim", 11.88, 48.92, "junction", "DE"),
    ("ww-regensburg", "Regensburg", 12.13, 49.02, "river_port", "DE"),
    ("ww-passau", "Passau", 13.45, 48.58, "river_port", "DE"),
    ("ww-linz", "Linz", 14.31, 48.31, "river_port", "AT"),
    ("ww-krems", "Krems an der Donau", 15.62, 48.40, "river_port", "AT"),
    ("ww-vienna", "Vienna", 16.46, 48.18, "river_port", "AT"),
    ("ww-bratislava", "Bratislava", 17.15, 48.13, "river_port", "SK"),
    ("ww-budapest", "Budapest", 19.07, 47.43, "river_port", "HU"),
    ("ww-mohacs", "Mohács", 18.69, 46.00, "river_port", "HU"),
    ("ww-novi-sad", "Novi Sad", 19.86, 45.26, "river_port", "RS"),
    ("ww-belgrade", "Belgrade", 20.47, 44.83, "river_port", "RS"),
    ("ww-iron-gate-1", "Iron Gate I", 22.53, 44.67, "lock", "RS"),
    ("ww-iron-gate-2", "Iron Gate II", 22.55, 44.30, "lock", "RO"),
    ("ww-vidin", "Vidin", 22.88, 43.99, "river_port", "BG"),
    ("ww-ruse", "Ruse", 25.95, 43.85, "river_port", "BG"),
    ("ww-silistra", "Silistra", 27.26, 44.12, "river_port", "BG"),
    ("ww-cernavoda", "Cernavodă", 28.03, 44.34, "junction", "RO"),
    ("ww-braila", "Brăila", 27.97, 45.27, "river_port", "RO"),
    ("ww-galati", "Galați", 28.05, 45.43, "river_port", "RO"),
    ("ww-reni", "Reni", 28.28, 45.45, "river_port", "UA"),
    ("ww-ceatal-izmail", "Ceatal Izmail", 28.72, 45.22, "junction", "RO"),
    ("ww-izmail", "Izmail", 28.84, 45.34, "river_port", "UA"),
    ("ww-ust-dunaisk", "Ust-Dunaisk", 29.73, 45.48, "sea_port", "UA"),
    ("ww-tulcea", "Tulcea", 28.80, 45.18, "river_port", "RO"),
    ("ww-sulina", "Sulina", 29.66, 45.16, "sea_port", "RO"),
    ("ww-constanta", "Constanța", 28.66, 44.10, "sea_port", "RO"),
    # Elbe (Elbe-km, Czech border = 0)
    ("ww-hamburg", "Hamburg", 9.97, 53.54, "sea_port", "DE"),
    ("ww-magdeburg", "Magdeburg", 11.66, 52.15, "river_port", "DE"),
    ("ww-dresden", "Dresden", 13.72, 51.07, "river_port", "DE"),
    ("ww-decin", "Děčín", 14.21, 50.78, "river_port", "CZ"),
    # Oder (Odra-km)
    ("ww-kozle", "Kędzierzyn-Koźle", 18.18, 50.35, "river_port", "PL"),
    ("ww-opole", "Opole", 17.92, 50.67, "river_port", "PL"),
    ("ww-wroclaw", "Wrocław", 17.03, 51.12, "river_port", "PL"),
    ("ww-frankfurt-oder", "Frankfurt (Oder)", 14.55, 52.35, "river_port", "DE"),
    ("ww-szczecin", "Szczecin", 14.57, 53.42, "sea_port", "PL"),
    # Vistula (Wisła-km)
    ("ww-warsaw", "Warsaw", 21.03, 52.26, "river_port", "PL"),
    ("ww-wloclawek", "Włocławek", 19.07, 52.65, "lock", "PL"),
    ("ww-torun", "Toruń", 18.60, 53.01, "river_port", "PL"),
    ("ww-gdansk", "Gdańsk", 18.66, 54.38, "sea_port", "PL"),
    # Dnipro below Kyiv
    ("ww-kyiv", "Kyiv", 30.52, 50.45, "river_port", "UA"),
    ("ww-kremenchuk", "Kremenchuk", 33.42, 49.07, "river_port", "UA"),
    ("ww-dnipro", "Dnipro", 35.04, 48.46, "river_port", "UA"),
    ("ww-zaporizhzhia", "Zaporizhzhia", 35.14, 47.84, "river_port", "UA"),
    ("ww-kherson", "Kherson", 32.61, 46.64, "sea_port", "UA"),
]

# waterway, from, to, km at from, km at to (or None with a length), length km,
# CEMT class, locks, max draught m (None: not given), open, sources, note
def seg(ww, a, b, length, cemt, locks, sources, draught=None, open_=True, note=""):
    return dict(waterway=ww, a=a, b=b, length_km=length, cemt=cemt, locks=locks,
                draught_m=draught, open=open_, sources=sources, note=note)

DANUBE_KM = {  # source danube-km
    "ww-kelheim": 2411, "ww-regensburg": 2379, "ww-passau": 2225, "ww-linz": 2135,
    "ww-krems": 2002, "ww-vienna": 1920, "ww-bratislava": 1867, "ww-budapest": 1647,
    "ww-mohacs": 1447, "ww-novi-sad": 1255, "ww-belgrade": 1170,
    "ww-iron-gate-1": 943, "ww-iron-gate-2": 863, "ww-vidin": 790, "ww-ruse": 495,
    "ww-silistra": 375, "ww-cernavoda": 300, "ww-braila": 175, "ww-galati": 150,
    "ww-reni": 128, "ww-ceatal-izmail": 80, "ww-tulcea": 71, "ww-sulina": 0,
}
# Locks on the Danube between consecutive nodes (source danube-locks).
DANUBE_LOCKS = {
    ("ww-kelheim", "ww-regensburg"): 2, ("ww-regensburg", "ww-passau"): 3,
    ("ww-passau", "ww-linz"): 3, ("ww-linz", "ww-krems"): 4, ("ww-krems", "ww-vienna"): 2,
    ("ww-vienna", "ww-bratislava"): 1, ("ww-bratislava", "ww-budapest"): 1,
    ("ww-belgrade", "ww-iron-gate-1"): 1, ("ww-iron-gate-1", "ww-iron-gate-2"): 1,
}
# CEMT class by stretch (source danube-cemt): the German and Austrian
# stretches are class VIb, Hungary to the Iron Gates VIc, below VIc/VII.
def danube_class(a):
    k = DANUBE_KM[a]
    if k > 1880:
        return "VIb"
    if k > 175:
        return "VIc"
    return "VII"

SEGMENTS = []
order = list(DANUBE_KM)
order.remove("ww-ceatal-izmail")
order.remove("ww-tulcea")
order.remove("ww-sulina")
order += ["ww-ceatal-izmail", "ww-tulcea", "ww-sulina"]
for a, b in zip(order, order[1:]):
    cls = danube_class(a)
    draught = 7.32 if DANUBE_KM[a] <= 175 else None
    src = "danube-km;danube-cemt" + (";danube-locks" if (a, b) in DANUBE_LOCKS else "")
    if DANUBE_KM[a] <= 175:
        src += ";maritime-danube"
    if b == "ww-sulina":
        src += ";sulina-branch"
    SEGMENTS.append(seg("Danube", a, b, DANUBE_KM[a] - DANUBE_KM[b], cls,
                        DANUBE_LOCKS.get((a, b), 0), src, draught))
SEGMENTS += [
    seg("Danube (Chilia arm)", "ww-ceatal-izmail", "ww-izmail", 13, "VII", 0, "chilia-arm",
        note="Ukrainian Danube: Izmail on the Chilia (Kiliia) arm"),
    seg("Danube (Chilia arm, Bystre)", "ww-izmail", "ww-ust-dunaisk", 93, "VII", 0, "chilia-arm",
        note="Danube-Black Sea deep-water route through the Bystre arm"),
    seg("Danube-Black Sea Canal", "ww-cernavoda", "ww-constanta", 64.4, "VIc", 2, "dbsc", 5.5),
    seg("Main-Danube Canal", "ww-bamberg", "ww-nuremberg", 70, "Vb", 11, "mdc;mdc-split", 2.7),
    seg("Main-Danube Canal", "ww-nuremberg", "ww-kelheim", 101, "Vb", 5, "mdc;mdc-split", 2.7),
    seg("Main", "ww-bamberg", "ww-wurzburg", 132, "Vb", 13, "main-km;main-locks"),
    seg("Main", "ww-wurzburg", "ww-frankfurt", 217, "Vb", 16, "main-km;main-locks"),
    seg("Main", "ww-frankfurt", "ww-mainz", 35, "Vb", 5, "main-km;main-locks"),
    seg("Rhine", "ww-basel", "ww-strasbourg", 128, "Vb", 8, "rhine-km;rhine-locks;rhine-cemt"),
    seg("Rhine", "ww-strasbourg", "ww-mannheim", 129, "VIb", 2, "rhine-km;rhine-locks;rhine-cemt;iffezheim"),
    seg("Rhine", "ww-mannheim", "ww-mainz", 74, "VIb", 0, "rhine-km;rhine-cemt"),
    seg("Rhine", "ww-mainz", "ww-koblenz", 93, "VIb", 0, "rhine-km;rhine-cemt"),
    seg("Rhine", "ww-koblenz", "ww-cologne", 97, "VIc", 0, "rhine-km;rhine-cemt"),
    seg("Rhine", "ww-cologne", "ww-duisburg", 92, "VIc", 0, "rhine-km;rhine-cemt"),
    seg("Rhine (Waal)", "ww-duisburg", "ww-nijmegen", 104, "VIc", 0, "rhine-km;rhine-cemt"),
    seg("Rhine (Waal, Merwede, Nieuwe Maas)", "ww-nijmegen", "ww-rotterdam", 116, "VIc", 0, "rhine-km;rhine-cemt"),
    seg("Elbe", "ww-decin", "ww-dresden", 79, "Va", 0, "elbe-km;elbe-cemt"),
    seg("Elbe", "ww-dresden", "ww-magdeburg", 271, "IV", 0, "elbe-km;elbe-cemt"),
    seg("Elbe", "ww-magdeburg", "ww-hamburg", 297, "IV", 1, "elbe-km;elbe-cemt;elbe-geesthacht"),
    seg("Oder", "ww-kozle", "ww-opole", 54, "III", 6, "oder-km;oder-cemt;oder-locks"),
    seg("Oder", "ww-opole", "ww-wroclaw", 103, "III", 11, "oder-km;oder-cemt;oder-locks"),
    seg("Oder", "ww-wroclaw", "ww-frankfurt-oder", 329, "II", 6, "oder-km;oder-cemt;oder-locks"),
    seg("Oder", "ww-frankfurt-oder", "ww-szczecin", 157, "II", 0, "oder-km;oder-cemt"),
    seg("Vistula", "ww-warsaw", "ww-wloclawek", 162, "Ib", 0, "vistula-km;vistula-cemt"),
    seg("Vistula", "ww-wloclawek", "ww-torun", 59, "II", 1, "vistula-km;vistula-cemt;vistula-lock"),
    seg("Vistula", "ww-torun", "ww-gdansk", 207, "II", 0, "vistula-km;vistula-cemt"),
    seg("Dnipro", "ww-kyiv", "ww-kremenchuk", 290, "Va", 2, "dnipro;dnipro-war", open_=False,
        note="closed: war since 2022"),
    seg("Dnipro", "ww-kremenchuk", "ww-dnipro", 150, "Va", 1, "dnipro;dnipro-war", open_=False,
        note="closed: war since 2022"),
    seg("Dnipro", "ww-dnipro", "ww-zaporizhzhia", 80, "Va", 1, "dnipro;dnipro-war", open_=False,
        note="closed: war since 2022"),
    seg("Dnipro", "ww-zaporizhzhia", "ww-kherson", 300, "Va", 1, "dnipro;dnipro-war;kakhovka", open_=False,
        note="closed: war since 2022; Kakhovka dam destroyed on 6 June 2023"),
]

pos = {n[0]: (n[2], n[3]) for n in NODES}
features = []
for (i, name, lon, lat, kind, country) in NODES:
    features.append({"type": "Feature",
        "properties": {"id": i, "name": name, "kind": kind, "country": country},
        "geometry": {"type": "Point", "coordinates": [lon, lat]}})
for k, s in enumerate(SEGMENTS):
    props = {"id": f"ww{k + 1}", "waterway": s["waterway"], "from": s["a"], "to": s["b"],
             "length_km": s["length_km"], "cemt": s["cemt"], "locks": s["locks"],
             "open": s["open"], "sources": s["sources"]}
    if s["draught_m"] is not None:
        props["draught_m"] = s["draught_m"]
    if s["note"]:
        props["note"] = s["note"]
    features.append({"type": "Feature", "properties": props,
        "geometry": {"type": "LineString", "coordinates": [list(pos[s["a"]]), list(pos[s["b"]])]}})
with open("europe_waterways.geojson", "w") as f:
    json.dump({"type": "FeatureCollection", "features": features}, f, indent=0, ensure_ascii=False)
    f.write("\n")
print(len(NODES), "nodes,", len(SEGMENTS), "segments")
