//! `corridor optimise` end to end on the shipped `examples/grain-corridors`
//! bundle: the shipped demand fits (all served, the gauge-change terminals
//! bind and are priced), a demand far above what the corridors carry is
//! partly unserved with its bottlenecks priced near the penalty, the flows
//! CSV is what `--format csv` prints and holds every capacity, and
//! `compare --demand` adds the system optimum of both sides. With the
//! `highs` feature, column generation gives the arc-node answer.

use assert_cmd::Command;
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

fn run(args: &[&str], demand: &Path) -> String {
    let out = corridor()
        .arg("optimise")
        .arg(example())
        .arg("--demand")
        .arg(demand)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str], demand: &Path) -> Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    serde_json::from_str(&run(&a, demand)).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

#[test]
fn the_shipped_demand_fits_and_the_gauge_changes_bind() {
    let r = json(&[], &example().join("demand.csv"));
    for key in [
        "total_cost",
        "by_commodity",
        "unserved",
        "shadow_prices",
        "elements",
    ] {
        assert!(r.get(key).is_some(), "no {key}");
    }
    assert_eq!(f(&r["served_t_per_day"]), f(&r["demand_t_per_day"]));
    assert_eq!(r["unserved"].as_array().unwrap().len(), 0);
    assert_eq!(f(&r["objective"]), f(&r["total_cost"]));
    let prices = r["shadow_prices"].as_array().unwrap();
    assert!(!prices.is_empty());
    let mut last = f64::INFINITY;
    for p in prices {
        let price = f(&p["shadow_price"]);
        assert!(price >= 0.0 && price <= last, "sorted, highest first");
        last = price;
        assert!(f(&p["load_t_per_day"]) <= f(&p["capacity_t_per_day"]) * (1.0 + 1e-9));
    }
    // Dorohusk binds first: its gauge change (1.07 Mt/year, the grain that
    // crossed at Yahodyn in 2023) is the smallest way into Poland.
    assert_eq!(prices[0]["id"], "terminal-dorohusk-gauge");
    for e in r["elements"].as_array().unwrap() {
        if let Some(u) = e["utilisation"].as_f64() {
            assert!(u <= 1.0 + 1e-9, "{e}");
        }
    }
    let by: f64 = r["by_commodity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| f(&c["total_cost"]))
        .sum();
    assert!((by - f(&r["total_cost"])).abs() <= 1e-6 * by);
}

#[test]
fn demand_above_capacity_is_unserved_by_pair_and_the_bottlenecks_are_priced() {
    let dir = tempfile::tempdir().unwrap();
    let demand = dir.path().join("big.csv");
    std::fs::write(
        &demand,
        "origin,destination,commodity,t_per_day\nvinnytsia,gdansk,grain,500000\nkyiv,gdansk,containers,1500\n",
    )
    .unwrap();
    let r = json(&["--unserved-penalty", "1000"], &demand);
    assert_eq!(r["penalty_source"], "given");
    let unserved = r["unserved"].as_array().unwrap();
    assert_eq!(unserved[0]["origin"], "vinnytsia");
    assert_eq!(unserved[0]["destination"], "gdansk");
    // Containers count 1.5 capacity-tonnes: the optimum fills the
    // corridors with grain, as much as `capacity` says they carry from
    // Vinnytsia (113,384 t/day, README).
    let served = f(&r["served_t_per_day"]);
    assert!((served - 113_383.6).abs() < 1.0, "{served}");
    // One more t/day of a bottleneck moves one more tonne of grain, which
    // saves the penalty less that tonne's cost.
    let top = f(&r["shadow_prices"][0]["shadow_price"]);
    assert!(top > 0.0 && top < 1000.0, "{top}");
    let flows = dir.path().join("flows.csv");
    let text = corridor()
        .arg("optimise")
        .arg(example())
        .arg("--demand")
        .arg(&demand)
        .args(["--unserved-penalty", "1000", "--format", "csv", "--flows"])
        .arg(&flows)
        .output()
        .unwrap();
    assert!(text.status.success());
    let written = std::fs::read_to_string(&flows).unwrap();
    assert_eq!(written, String::from_utf8(text.stdout).unwrap());
    assert!(written.starts_with(
        "kind,id,from,to,flow,load,capacity,utilisation,shadow_price,flow_grain,flow_containers\n"
    ));
}

#[test]
fn text_and_geojson_print() {
    let demand = example().join("demand.csv");
    let text = run(&[], &demand);
    assert!(
        text.contains("system optimum minimising generalised"),
        "{text}"
    );
    assert!(text.contains("binding capacities"), "{text}");
    let map: Value = serde_json::from_str(&run(&["--format", "geojson"], &demand)).unwrap();
    let priced = map["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["properties"]["shadow_price"]
                .as_f64()
                .is_some_and(|p| p > 0.0)
        })
        .count();
    assert!(priced > 0);
}

#[test]
fn compare_with_demand_adds_the_system_optimum() {
    let scenario = example().join("scenarios/restore-black-sea-ports.toml");
    let out = corridor()
        .arg("compare")
        .arg(example())
        .arg("--scenario")
        .arg(&scenario)
        .args([
            "--from",
            "vinnytsia",
            "--to",
            "gdansk,constanta",
            "--format",
            "json",
            "--demand",
        ])
        .arg(example().join("demand.csv"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let o = &r["optimise"];
    assert!(f(&o["scenario"]["total_cost"]) <= f(&o["base"]["total_cost"]) * (1.0 + 1e-9));
    assert_eq!(o["minimize"], "cost");
    let without = corridor()
        .arg("compare")
        .arg(example())
        .arg("--scenario")
        .arg(&scenario)
        .args([
            "--from",
            "vinnytsia",
            "--to",
            "gdansk,constanta",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let plain: Value = serde_json::from_slice(&without.stdout).unwrap();
    assert!(plain.get("optimise").is_none());
}

#[test]
fn optimise_paths_give_the_arc_node_answer() {
    let demand = example().join("demand.csv");
    let strip = |mut v: Value| {
        let o = v.as_object_mut().unwrap();
        o.remove("lp");
        o.remove("seconds");
        v
    };
    let a = json(&["--formulation", "arc-node"], &demand);
    let b = json(&["--formulation", "paths"], &demand);
    assert_eq!(a["lp"]["formulation"], "arc-node");
    assert_eq!(b["lp"]["formulation"], "paths");
    let (a, b) = (strip(a), strip(b));
    let close = |x: &Value, y: &Value| {
        let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
        (x - y).abs() <= 1e-6 * (1.0 + x.abs())
    };
    assert!(close(&a["total_cost"], &b["total_cost"]), "{a} vs {b}");
    assert!(close(&a["unserved_t_per_day"], &b["unserved_t_per_day"]));
    if cfg!(feature = "highs") {
        assert_eq!(a["shadow_prices"], b["shadow_prices"]);
    }
    // The old name of the flag and of the formulation still work.
    let c = json(&["--method", "column-generation"], &demand);
    assert_eq!(c["lp"]["formulation"], "paths");
}

/// `--verbose` traces column generation's master on stderr, one line per
/// solve, numbered from 1, and leaves stdout as it was.
#[test]
fn verbose_traces_each_master_solve_on_stderr() {
    let demand = example().join("demand-peak.csv");
    let args = ["--formulation", "paths", "--format", "json"];
    let out = corridor()
        .arg("optimise")
        .arg(example())
        .arg("--demand")
        .arg(&demand)
        .args(args)
        .arg("--verbose")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("round ")).collect();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rounds = r["lp"]["rounds"].as_u64().unwrap() as usize;
    assert_eq!(lines.len(), rounds, "{stderr}");
    assert!(lines[0].starts_with("round 1: objective "), "{}", lines[0]);
    assert!(lines.iter().all(|l| l.contains(" iterations in ")));
    let quiet = json(&args[..2], &demand);
    assert_eq!(quiet["total_cost"], r["total_cost"]);
    let plain = corridor()
        .arg("optimise")
        .arg(example())
        .arg("--demand")
        .arg(&demand)
        .args(args)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("round 1:"));
}

/// `--time-limit 0` stops column generation at its first master that
/// exceeds no capacity: the text says the answer is not proven optimal
/// and the JSON gives the bound and gap, which bracket the optimum; the
/// default answer is `optimal` with a zero gap. Bad values are refused.
#[test]
fn a_time_limit_gives_a_feasible_answer_with_its_gap() {
    let demand = example().join("demand-peak.csv");
    let exact = json(&["--minimize", "cost"], &demand);
    assert_eq!(exact["status"], "optimal");
    assert_eq!(f(&exact["gap"]), 0.0);
    assert_eq!(f(&exact["lower_bound"]), f(&exact["objective"]));
    let optimum = f(&exact["objective"]);
    let args = ["--minimize", "cost", "--formulation", "paths"];
    let stopped = json(&[&args[..], &["--time-limit", "0"]].concat(), &demand);
    let status = stopped["status"].as_str().unwrap();
    assert!(["time limit", "optimal"].contains(&status), "{status}");
    let (z, bound) = (f(&stopped["objective"]), f(&stopped["lower_bound"]));
    let tol = 1e-6 * optimum;
    assert!(
        bound <= optimum + tol && optimum <= z + tol,
        "{bound} {optimum} {z}"
    );
    assert!((f(&stopped["gap"]) - (z - bound) / z).abs() <= 1e-6);
    if status == "time limit" {
        let text = run(&[&args[..], &["--time-limit", "0"]].concat(), &demand);
        assert!(text.contains("NOT PROVEN OPTIMAL"), "{text}");
        assert!(text.contains("artefacts of stopping early"), "{text}");
    }
    let loose = json(&[&args[..], &["--gap", "0.9"]].concat(), &demand);
    assert!(f(&loose["gap"]) <= 0.9);
    for (bad, flag) in [("--gap=-1", "--gap"), ("--time-limit=nan", "--time-limit")] {
        let err = refused(&demand, bad);
        assert!(err.contains(flag), "{err}");
    }
}

/// `--bound-steps` (the Lagrangian ascent beside each master solve) changes
/// the bound, never the optimum: solved to the end it gives the arc-node
/// answer, and stopped at once its bound still lies below that optimum.
#[test]
fn bound_steps_reach_the_same_optimum_and_bound_it() {
    let demand = example().join("demand-peak.csv");
    let exact = json(&["--minimize", "cost"], &demand);
    let optimum = f(&exact["objective"]);
    let args = [
        "--minimize",
        "cost",
        "--formulation",
        "paths",
        "--bound-steps",
        "30",
    ];
    let with = json(&args, &demand);
    assert_eq!(with["status"], "optimal");
    assert!((f(&with["objective"]) - optimum).abs() <= 1e-6 * optimum);
    let stopped = json(&[&args[..], &["--time-limit", "0"]].concat(), &demand);
    assert!(f(&stopped["lower_bound"]) <= optimum * (1.0 + 1e-9));
    assert!(f(&stopped["objective"]) >= optimum * (1.0 - 1e-9));
}

/// `--smoothing` (Wentges smoothing of column generation's prices), with
/// and without the ascent, changes the way to the optimum, not the
/// optimum; a weight outside [0, 1) is refused, naming the flag.
#[test]
fn smoothing_reaches_the_same_optimum() {
    let demand = example().join("demand-peak.csv");
    let optimum = f(&json(&["--minimize", "cost"], &demand)["objective"]);
    let args = ["--minimize", "cost", "--formulation", "paths"];
    for extra in [
        &["--smoothing", "0.5"][..],
        &["--smoothing", "0.9", "--bound-steps", "20"],
    ] {
        let with = json(&[&args[..], extra].concat(), &demand);
        assert_eq!(with["status"], "optimal", "{extra:?}");
        let z = f(&with["objective"]);
        assert!((z - optimum).abs() <= 1e-6 * optimum, "{extra:?}: {z}");
    }
    for bad in ["--smoothing=1", "--smoothing=-0.1", "--smoothing=nan"] {
        let err = refused(&demand, bad);
        assert!(err.contains("--smoothing"), "{bad}: {err}");
    }
}

/// `optimise` of the example with `demand` and the flag `bad`: it must
/// fail; its stderr.
fn refused(demand: &std::path::Path, bad: &str) -> String {
    let out = corridor()
        .arg("optimise")
        .arg(example())
        .arg("--demand")
        .arg(demand)
        .arg(bad)
        .output()
        .unwrap();
    assert!(!out.status.success(), "{bad}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}
