"""`optimise` and `skim` from Python give the JSON `corridor optimise` and
`corridor skim` print with `--format json`: the questions the CLI asks
that the package lacked (docs/python.md, "Every question on every face")."""

import json

import pytest

import corridor
from conftest import BRAESS, GRAIN, GRAIN_FROM, GRAIN_TO, RESTORE, ROOT, same_json

PEAK = str(ROOT / "examples/grain-corridors/demand-peak.csv")


@pytest.fixture(scope="module")
def grain():
    return corridor.Network.load(GRAIN)


def peak_rows():
    rows = []
    with open(PEAK) as f:
        next(f)
        for line in f:
            o, d, c, t = line.strip().split(",")
            rows.append({"origin": o, "destination": d, "commodity": c, "amount": float(t)})
    return rows


def test_optimise_demand_file(cli, grain):
    r = grain.optimise(PEAK, minimize="cost")
    same_json(r, cli("optimise", GRAIN, "--demand", PEAK, "--minimize", "cost"))
    # The peak does not fit: some grain is left, and a capacity binds.
    assert r["unserved_t_per_day"] > 0
    assert r["shadow_prices"]
    assert r["served_t_per_day"] + r["unserved_t_per_day"] == pytest.approx(
        r["demand_t_per_day"])


def test_optimise_default_objective_and_scenario(cli, grain):
    r = grain.optimise(PEAK, scenarios=[RESTORE])
    same_json(r, cli("optimise", GRAIN, "--demand", PEAK, "--scenario", RESTORE))
    base = grain.optimise(PEAK)
    same_json(base, cli("optimise", GRAIN, "--demand", PEAK))
    # Reopened Black Sea ports carry what the base network cannot.
    assert r["unserved_t_per_day"] < base["unserved_t_per_day"]


def test_optimise_paths_with_gap_and_time_limit(cli, grain):
    r = grain.optimise(PEAK, minimize="cost", formulation="paths", gap=0.01)
    same_json(r, cli("optimise", GRAIN, "--demand", PEAK, "--minimize", "cost",
                     "--formulation", "paths", "--gap", "0.01"))
    assert r["lp"]["formulation"] == "paths"
    assert r["gap"] <= 0.01
    # A time limit of 0 stops after the first master solve: a plan all
    # the same, with the gap it reached.
    stopped = grain.optimise(PEAK, minimize="cost", formulation="paths", time_limit=0)
    assert stopped["objective"] >= stopped["lower_bound"] - 1e-6 * abs(stopped["objective"])
    # The Lagrangian ascent beside the master (`--bound-steps`) is asked
    # as on the CLI and gives its answer.
    ascent = grain.optimise(PEAK, minimize="cost", formulation="paths", bound_steps=30)
    same_json(ascent, cli("optimise", GRAIN, "--demand", PEAK, "--minimize", "cost",
                          "--formulation", "paths", "--bound-steps", "30"))
    # So is Wentges smoothing of the prices (`--smoothing`).
    smoothed = grain.optimise(PEAK, minimize="cost", formulation="paths", smoothing=0.5)
    same_json(smoothed, cli("optimise", GRAIN, "--demand", PEAK, "--minimize", "cost",
                            "--formulation", "paths", "--smoothing", "0.5"))


def test_optimise_inline_rows_match_the_file(grain):
    by_file = grain.optimise(PEAK, minimize="cost", unserved_penalty=1e5)
    inline = grain.optimise(peak_rows(), minimize="cost", unserved_penalty=1e5)
    assert inline["objective"] == by_file["objective"]
    assert inline["elements"] == by_file["elements"]
    assert inline["unserved_penalty"] == 1e5


def test_optimise_refusals(grain):
    with pytest.raises(corridor.CorridorError, match="gap"):
        grain.optimise(PEAK, gap=-1)
    with pytest.raises(corridor.CorridorError, match="smoothing"):
        grain.optimise(PEAK, smoothing=1)
    with pytest.raises(corridor.CorridorError, match="unserved"):
        grain.optimise(PEAK, unserved_penalty=0)
    with pytest.raises(corridor.CorridorError, match="freight network"):
        corridor.Network.load(BRAESS).optimise(
            [{"origin": "1", "destination": "4", "commodity": "general", "amount": 6.0}])
    with pytest.raises(corridor.CorridorError, match="nowhere.csv"):
        grain.optimise(str(ROOT / "nowhere.csv"))


def test_optimise_table(grain):
    pytest.importorskip("pandas")
    r = grain.optimise(PEAK, minimize="cost")
    df = r.to_pandas()
    assert list(df["id"]) == [e["id"] for e in r["elements"]]


def test_skim(cli, grain):
    frm, to = "vinnytsia,poltava,ternopil", "gdansk,constanta,rotterdam"
    r = grain.skim(frm, to, commodity="grain")
    same_json(r, cli("skim", GRAIN, "--from", frm, "--to", to, "--commodity", "grain"))
    assert [(x["from"], x["to"]) for x in r["rows"]][:2] == [
        ("vinnytsia", "gdansk"), ("vinnytsia", "constanta")]
    t = grain.skim(frm.split(","), to, minimize="time", engine="cch", scenarios=[RESTORE])
    same_json(t, cli("skim", GRAIN, "--from", frm, "--to", to, "--minimize", "time",
                     "--engine", "cch", "--scenario", RESTORE))
    with pytest.raises(corridor.CorridorError, match="atlantis"):
        grain.skim("kyiv", "atlantis")


def test_compare_with_the_system_optimum(cli, grain):
    r = grain.compare(GRAIN_FROM, GRAIN_TO, scenarios=[RESTORE], commodity="grain",
                      demand=PEAK, unserved_penalty=1e5)
    same_json(r, cli("compare", GRAIN, "--scenario", RESTORE, "--from", GRAIN_FROM,
                     "--to", GRAIN_TO, "--commodity", "grain", "--demand", PEAK,
                     "--unserved-penalty", "1e5"))
    assert r["optimise"]
    inline = grain.compare(GRAIN_FROM, GRAIN_TO, scenarios=[RESTORE], commodity="grain",
                           demand=peak_rows(), unserved_penalty=1e5)
    same_json(inline, json.dumps(r))
    with pytest.raises(corridor.CorridorError, match="needs demand"):
        grain.compare(GRAIN_FROM, GRAIN_TO, scenarios=[RESTORE], unserved_penalty=1)
