"""Python asks what the CLI asks and gets the very JSON the CLI prints
(`--format json`), parsed: route, capacity, compare, assign, criticality,
sweep, invest, info; plus scenarios, TNTP and errors."""

import json

import pytest

import corridor
from conftest import (
    BRAESS,
    BRAESS_TRIPS,
    CLOSE_PL,
    GAUGE,
    GRAIN,
    GRAIN_FROM,
    GRAIN_TO,
    RESTORE,
    ROOT,
    TRIANGLE,
    same_json,
)


@pytest.fixture(scope="module")
def grain():
    return corridor.Network.load(GRAIN)


def test_info(cli, grain):
    same_json(grain.info(), cli("info", GRAIN))


def test_route(cli):
    net = corridor.Network.load(TRIANGLE)
    r = net.route("kyiv", "gdansk", commodity="grain", tonnes=1000)
    same_json(r, cli("route", TRIANGLE, "--from", "kyiv", "--to", "gdansk",
                     "--commodity", "grain", "--tonnes", "1000"))
    assert r["totals"]["cost"] > 0
    p = net.route("kyiv", "gdansk", commodity="grain", tonnes=1000, pareto=True)
    same_json(p, cli("route", TRIANGLE, "--from", "kyiv", "--to", "gdansk",
                     "--commodity", "grain", "--tonnes", "1000", "--pareto"))


def test_route_with_scenario_via_and_avoid(cli, grain):
    r = grain.route("poltava", "constanta", minimize="time", scenarios=[RESTORE],
                    avoid=["border-porubne-siret"])
    same_json(r, cli("route", GRAIN, "--from", "poltava", "--to", "constanta",
                     "--minimize", "time", "--scenario", RESTORE,
                     "--avoid", "border-porubne-siret"))


def test_capacity_and_compare(cli, grain):
    same_json(grain.capacity(GRAIN_FROM, GRAIN_TO, commodity="grain"),
              cli("capacity", GRAIN, "--from", GRAIN_FROM, "--to", GRAIN_TO,
                  "--commodity", "grain"))
    same_json(grain.compare(GRAIN_FROM.split(","), GRAIN_TO, scenarios=[RESTORE],
                            commodity="grain"),
              cli("compare", GRAIN, "--scenario", RESTORE, "--from", GRAIN_FROM,
                  "--to", GRAIN_TO, "--commodity", "grain"))


def test_capacity_limits_in_t_per_day(grain):
    capped = grain.capacity([("poltava", 1000.0)], GRAIN_TO, commodity="grain")
    assert capped["max_flow"] == pytest.approx(1000.0)
    as_dict = grain.capacity([{"place": "poltava", "limit": 1000.0}], GRAIN_TO,
                             commodity="grain")
    assert as_dict == capped


def test_assign_file_and_inline(cli, grain):
    demand = str(ROOT / "examples/grain-corridors/demand.csv")
    r = grain.assign(demand, gap=1e-6, threads=1)
    same_json(r, cli("assign", GRAIN, "--demand", demand, "--gap", "1e-6", "--threads", "1"))
    rows = []
    with open(demand) as f:
        next(f)
        for line in f:
            o, d, c, t = line.strip().split(",")
            rows.append({"origin": o, "destination": d, "commodity": c, "amount": float(t)})
    inline = grain.assign(rows, gap=1e-6, threads=1)
    assert inline["links"] == r["links"]
    assert inline["objective"] == r["objective"]


def test_tntp_with_trips(cli):
    net = corridor.Network.from_tntp(BRAESS, trips=BRAESS_TRIPS)
    same_json(net.assign(method="fw", gap=1e-4),
              cli("assign", BRAESS, "--demand", BRAESS_TRIPS, "--method", "fw",
                  "--gap", "1e-4"))


def test_criticality(cli, grain):
    r = grain.criticality(GRAIN_FROM, GRAIN_TO, commodity="grain")
    same_json(r, cli("criticality", GRAIN, "--from", GRAIN_FROM, "--to", GRAIN_TO,
                     "--commodity", "grain"))
    # Constanța takes every Danube, Romanian rail and road tonne.
    assert r["elements"][0]["id"] == "constanta"
    s = grain.criticality(GRAIN_FROM, GRAIN_TO, commodity="grain", elements="terminals",
                          scenarios=[RESTORE])
    same_json(s, cli("criticality", GRAIN, "--from", GRAIN_FROM, "--to", GRAIN_TO,
                     "--commodity", "grain", "--elements", "terminals",
                     "--scenario", RESTORE))


def test_criticality_parts_merge_to_the_whole(cli, grain):
    parts = [
        json.dumps(grain.criticality(GRAIN_FROM, GRAIN_TO, commodity="grain", part=(i, 3)))
        for i in (2, 0, 1)
    ]
    merged = corridor.merge_criticality(parts)
    expected = cli("criticality", GRAIN, "--from", GRAIN_FROM, "--to", GRAIN_TO,
                   "--commodity", "grain")
    assert merged + "\n" == expected


def test_sweep_and_invest(cli, grain):
    scenarios = [RESTORE, CLOSE_PL, GAUGE]
    same_json(grain.sweep(GRAIN_FROM, GRAIN_TO, scenarios, commodities="grain", grid=True),
              cli("sweep", GRAIN, "--scenarios", ",".join(scenarios), "--grid",
                  "--from", GRAIN_FROM, "--to", GRAIN_TO, "--commodity", "grain"))
    projects = str(ROOT / "examples/grain-corridors/projects.toml")
    same_json(grain.invest(GRAIN_FROM, GRAIN_TO, projects, 200, commodity="grain"),
              cli("invest", GRAIN, "--projects", projects, "--budget", "200",
                  "--from", GRAIN_FROM, "--to", GRAIN_TO, "--commodity", "grain"))


def test_with_scenario_file_and_edits(grain):
    base = grain.capacity(GRAIN_FROM, GRAIN_TO, commodity="grain")
    by_file = grain.with_scenario(RESTORE).capacity(GRAIN_FROM, GRAIN_TO, commodity="grain")
    by_call = grain.capacity(GRAIN_FROM, GRAIN_TO, commodity="grain", scenarios=[RESTORE])
    edits = {
        "scenario": {"name": "reopen"},
        "edit": [{"action": "open", "kind": "terminal", "tag": "black-sea-ports"}],
    }
    by_edits = grain.with_scenario(edits).capacity(GRAIN_FROM, GRAIN_TO, commodity="grain")
    flow = lambda r: r["max_flow"]  # noqa: E731
    assert flow(by_file) == flow(by_call) == flow(by_edits) != flow(base)
    # The original is unchanged.
    assert flow(grain.capacity(GRAIN_FROM, GRAIN_TO, commodity="grain")) == flow(base)


def test_errors_are_corridor_errors_with_the_located_message(grain, tmp_path):
    with pytest.raises(corridor.CorridorError, match='unknown node "atlantis"'):
        grain.route("kyiv", "atlantis")
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\n\n[[edit]]\naction = "explode"\n')
    with pytest.raises(corridor.CorridorError, match=r"bad\.toml"):
        grain.with_scenario(bad)
    with pytest.raises(corridor.CorridorError, match="nowhere"):
        corridor.Network.load(tmp_path / "nowhere.toml")
    with pytest.raises(corridor.CorridorError):
        corridor.merge_criticality([])


def test_tables(grain):
    pd = pytest.importorskip("pandas")
    r = grain.criticality(GRAIN_FROM, GRAIN_TO, commodity="grain", elements="borders")
    df = r.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df["id"]) == [e["id"] for e in r["elements"]]


def test_the_gil_is_released(grain):
    # Two threads each run a criticality; with the GIL held they could not
    # overlap, but both must finish with the same answer either way.
    import threading

    out = []
    ts = [threading.Thread(target=lambda: out.append(
        grain.criticality(GRAIN_FROM, GRAIN_TO, commodity="grain", threads=1)))
        for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out[0] == out[1]


def test_geo_tables(grain):
    pytest.importorskip("geopandas")
    r = grain.criticality(GRAIN_FROM, GRAIN_TO, commodity="grain", elements="links,nodes")
    gdf = r.to_geopandas()
    assert len(gdf) == len(r["elements"])
    assert gdf.crs.to_epsg() == 4326
    kinds = dict(zip(gdf["kind"], gdf.geometry.geom_type))
    assert kinds["link"] == "LineString" and kinds["node"] == "Point"
    assert gdf.geometry.notna().all()
