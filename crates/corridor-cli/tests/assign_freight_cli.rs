//! `corridor assign` on a freight network, end to end on the shipped
//! `examples/grain-corridors` bundle and its `demand.csv`.
//!
//! The checks are facts a planner can verify from the map and the demand
//! file alone, whatever the equilibrium turns out to be:
//! - every demand row leaves Ukraine for Poland, Romania or the Netherlands,
//!   and the nine border crossings are the only ways out, none of which can
//!   be followed by another: so each commodity's flows over all crossings
//!   sum to exactly its demand;
//! - fuel (dangerous) is banned at both Polish road crossings, so it never
//!   uses them; the closed Black Sea port terminals carry nothing until a
//!   scenario reopens them;
//! - containers count 1.5 capacity-tonnes per tonne everywhere
//!   (`commodities.csv`), grain and fuel 1: every terminal's load is
//!   grain + fuel + 1.5 × containers;
//! - at zero load (`--method aon`) a single row follows `route`'s itinerary
//!   for the same commodity and objective.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corridor() -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.env_remove("RUST_LOG");
    c
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/grain-corridors")
}

fn run_json(demand: &Path, extra: &[&str]) -> Value {
    let out = corridor()
        .arg("assign")
        .arg(example())
        .arg("--demand")
        .arg(demand)
        .args(["--format", "json", "--gap", "1e-7", "--max-iter", "2000"])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn demand_by_commodity(path: &Path) -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut sums: std::collections::BTreeMap<String, f64> = Default::default();
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        *sums.entry(c[2].to_string()).or_default() += c[3].parse::<f64>().unwrap();
    }
    sums.into_iter().collect()
}

fn element<'a>(v: &'a Value, kind: &str, id: &str) -> &'a Value {
    v[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} not in the output"))
}

#[test]
fn the_example_assigns_and_obeys_the_map() {
    let demand = example().join("demand.csv");
    let v = run_json(&demand, &[]);
    for key in [
        "method",
        "iterations",
        "relative_gap",
        "objective",
        "seconds",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["method"], "bfw");
    assert!(
        v["relative_gap"].as_f64().unwrap() <= 1e-7,
        "{}",
        v["relative_gap"]
    );
    assert_eq!(v["symmetric"], true);
    let history = v["history"].as_array().unwrap();
    assert_eq!(history.len() as u64, v["iterations"].as_u64().unwrap());
    assert_eq!(history.last().unwrap()["relative_gap"], v["relative_gap"]);
    let borders = v["borders"].as_array().unwrap();
    for (commodity, want) in demand_by_commodity(&demand) {
        let crossed: f64 = borders
            .iter()
            .map(|b| b["flow_by_commodity"][&commodity].as_f64().unwrap())
            .sum();
        assert!(
            (crossed - want).abs() <= 1e-6 * want,
            "{commodity}: {crossed} t/day crossed, {want} demanded"
        );
    }
    for b in ["border-rava-ruska-hrebenne", "border-krakovets-korczowa"] {
        assert_eq!(
            element(&v, "borders", b)["flow_by_commodity"]["fuel"],
            0.0,
            "fuel at {b}"
        );
    }
    for t in v["terminals"].as_array().unwrap() {
        let f = &t["flow_by_commodity"];
        let want = f["grain"].as_f64().unwrap()
            + f["fuel"].as_f64().unwrap()
            + 1.5 * f["containers"].as_f64().unwrap();
        let load = t["load"].as_f64().unwrap();
        assert!((load - want).abs() <= 1e-6 * want.max(1.0), "{t}");
    }
    for t in [
        "terminal-odesa-port",
        "terminal-chornomorsk-port",
        "terminal-pivdennyi-port",
    ] {
        assert_eq!(element(&v, "terminals", t)["flow"], 0.0, "{t} is closed");
    }

    // Reopening the Black Sea ports: some grain goes through them, and the
    // equilibrium objective cannot get worse with more options.
    let restored = run_json(
        &demand,
        &[
            "--scenario",
            example()
                .join("scenarios/restore-black-sea-ports.toml")
                .to_str()
                .unwrap(),
        ],
    );
    let through_ports: f64 = [
        "terminal-odesa-port",
        "terminal-chornomorsk-port",
        "terminal-pivdennyi-port",
    ]
    .iter()
    .map(|t| element(&restored, "terminals", t)["flow"].as_f64().unwrap())
    .sum();
    assert!(through_ports > 0.0);
    assert!(
        restored["objective"].as_f64().unwrap() <= v["objective"].as_f64().unwrap() * (1.0 + 1e-6)
    );
}

#[test]
fn zero_load_follows_the_route_itinerary() {
    let dir = tempfile::tempdir().unwrap();
    let demand = dir.path().join("one.csv");
    std::fs::write(
        &demand,
        "origin,destination,commodity,t_per_day\nvinnytsia,gdansk,grain,12000\n",
    )
    .unwrap();
    let v = run_json(&demand, &["--method", "aon"]);
    let out = corridor()
        .arg("route")
        .arg(example())
        .args([
            "--from",
            "vinnytsia",
            "--to",
            "gdansk",
            "--commodity",
            "grain",
        ])
        .args(["--minimize", "generalised", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let it: Value = serde_json::from_slice(&out).unwrap();
    let mut on_route = std::collections::BTreeSet::new();
    for leg in it["legs"].as_array().unwrap() {
        for l in leg["links"].as_array().unwrap() {
            on_route.insert(l.as_str().unwrap().to_string());
        }
    }
    assert!(!on_route.is_empty());
    for l in v["links"].as_array().unwrap() {
        let id = l["id"].as_str().unwrap();
        let want = if on_route.contains(id) { 12000.0 } else { 0.0 };
        assert_eq!(l["flow"].as_f64().unwrap(), want, "link {id}");
    }
    for t in it["transfers"].as_array().unwrap() {
        let id = t["terminal"].as_str().unwrap();
        assert_eq!(element(&v, "terminals", id)["flow"], 12000.0, "{id}");
    }
}

#[test]
fn flows_csv_has_a_row_per_element_and_a_column_per_commodity() {
    let dir = tempfile::tempdir().unwrap();
    let flows = dir.path().join("flows.csv");
    corridor()
        .arg("assign")
        .arg(example())
        .arg("--demand")
        .arg(example().join("demand.csv"))
        .arg("--flows")
        .arg(&flows)
        .assert()
        .success()
        .stdout(predicate::str::contains("busiest elements"));
    let text = std::fs::read_to_string(&flows).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "kind,id,from,to,flow,cost,load,capacity,utilisation,flow_grain,flow_containers,flow_fuel"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // One row per link, terminal and border of the example.
    let count = |file: &str| {
        let text = std::fs::read_to_string(example().join(file)).unwrap();
        text.lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count()
    };
    assert_eq!(
        rows.len(),
        count("links.csv") + count("terminals.csv") + count("borders.csv")
    );
    for r in &rows {
        let total: f64 = r[4].parse().unwrap();
        let parts: f64 = r[9..].iter().map(|x| x.parse::<f64>().unwrap()).sum();
        assert!((total - parts).abs() <= 1e-9 * total.max(1.0), "{r:?}");
    }
    let geo = corridor()
        .arg("assign")
        .arg(example())
        .arg("--demand")
        .arg(example().join("demand.csv"))
        .args(["--format", "geojson"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let g: Value = serde_json::from_slice(&geo).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    assert!(
        g["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["properties"]["element"] == "link"
                && f["properties"]["flow"].as_f64() > Some(0.0))
    );
}

#[test]
fn bad_demand_rows_name_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let demand = dir.path().join("bad.csv");
    for (row, want) in [
        (
            "vinnytsia,gdansk,steel,10",
            "commodity: unknown commodity \"steel\"",
        ),
        (
            "vinnytsia,atlantis,grain,10",
            "destination: unknown node \"atlantis\"",
        ),
        (
            "vinnytsia,gdansk,grain,-5",
            "t_per_day: -5 is not a non-negative number",
        ),
        (
            "vinnytsia,gdansk,grain,many",
            "t_per_day: \"many\" is not a number",
        ),
    ] {
        std::fs::write(
            &demand,
            format!("origin,destination,commodity,t_per_day\nkyiv,gdansk,grain,1\n{row}\n"),
        )
        .unwrap();
        corridor()
            .arg("assign")
            .arg(example())
            .arg("--demand")
            .arg(&demand)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("bad.csv:3:").and(predicate::str::contains(want)));
    }
    // Road-like weights do not apply to freight, nor --minimize to TNTP.
    corridor()
        .arg("assign")
        .arg(example())
        .arg("--demand")
        .arg(example().join("demand.csv"))
        .args(["--toll-factor", "1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--minimize"));
    let tntp = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tntp");
    corridor()
        .arg("assign")
        .arg(tntp.join("braess_net.tntp"))
        .arg("--demand")
        .arg(tntp.join("braess_trips.tntp"))
        .args(["--minimize", "time"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("applies to freight networks"));
    // Algorithm B is single-class.
    corridor()
        .arg("assign")
        .arg(example())
        .arg("--demand")
        .arg(example().join("demand.csv"))
        .args(["--method", "algb"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("single-class"));
}

#[test]
fn flows_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let flows = dir.path().join(format!("flows-{threads}.csv"));
        corridor()
            .arg("assign")
            .arg(example())
            .arg("--demand")
            .arg(example().join("demand.csv"))
            .args(["--threads", threads, "--gap", "1e-9"])
            .arg("--flows")
            .arg(&flows)
            .assert()
            .success();
        std::fs::read(&flows).unwrap()
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn a_zero_capacity_is_located_not_divided_by() {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("net");
    std::fs::create_dir(&net).unwrap();
    for f in std::fs::read_dir(example()).unwrap() {
        let f = f.unwrap();
        if f.file_type().unwrap().is_file() {
            std::fs::copy(f.path(), net.join(f.file_name())).unwrap();
        }
    }
    let links = std::fs::read_to_string(net.join("links.csv")).unwrap();
    let line = links
        .lines()
        .position(|l| l.starts_with("rail-kyiv-kovel,"))
        .unwrap()
        + 1;
    std::fs::write(
        net.join("links.csv"),
        links.replace("440 km,,,,,10 trains/day", "440 km,,,,,0 t/day"),
    )
    .unwrap();
    corridor()
        .arg("assign")
        .arg(&net)
        .arg("--demand")
        .arg(example().join("demand.csv"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(format!(
                "links.csv:{line}: link \"rail-kyiv-kovel\": capacity"
            ))
            .and(predicate::str::contains("must be a positive number")),
        );
}
