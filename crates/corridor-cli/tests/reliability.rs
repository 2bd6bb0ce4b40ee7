//! Issue 11's wrong-answer and runaway cases, end to end: each used to
//! exit 0 with a result that was not one (NaN or infinite totals reported
//! as an equilibrium, a route costing `inf`) or to run for minutes.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corridor() -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.current_dir(root()).env_remove("RUST_LOG");
    c
}

/// The triangle with the gauge-change terminal's handling at 1e306 per
/// tonne, so that any realistic tonnage overflows.
fn dear_triangle(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("examples/triangle.toml")).unwrap();
    let edited = text.replacen("handling_cost = 12", "handling_cost = 1e306", 1);
    assert_ne!(edited, text);
    let p = dir.join("dear.toml");
    std::fs::write(&p, edited).unwrap();
    p
}

#[test]
fn an_overflowing_freight_demand_is_an_error_naming_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d.csv");
    std::fs::write(
        &d,
        "origin,destination,commodity,t_per_day\nvinnytsia,gdansk,grain,1e308\n",
    )
    .unwrap();
    corridor()
        .args(["assign", "examples/grain-corridors", "--demand"])
        .arg(&d)
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("overflowed")
                .and(predicate::str::contains("d.csv:2: 1e308 t/day of grain"))
                .and(predicate::str::contains("target reached").not()),
        );
}

#[test]
fn an_overflowing_trips_file_is_an_error_not_a_nan_equilibrium() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t_trips.tntp");
    std::fs::write(
        &t,
        "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 1e308\n<END OF METADATA>\nOrigin 1\n 2 : 1e308;\n",
    )
    .unwrap();
    corridor()
        .args([
            "assign",
            "crates/corridor-cli/tests/data/tntp/braess_net.tntp",
            "--format",
            "json",
            "--demand",
        ])
        .arg(&t)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("overflowed").and(predicate::str::contains("1e308")));
}

#[test]
fn capacity_and_route_refuse_totals_that_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let net = dear_triangle(dir.path());
    corridor()
        .arg("capacity")
        .arg(&net)
        .args(["--from", "kyiv", "--to", "gdansk"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("overflowed"));
    corridor()
        .arg("route")
        .arg(&net)
        .args(["--from", "kyiv", "--to", "gdansk", "--avoid", "hrebenne"])
        .args(["--tonnes", "1e10"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("totals overflowed"));
}

#[test]
fn threads_beyond_a_sane_bound_are_refused_at_once() {
    corridor()
        .args([
            "assign",
            "crates/corridor-cli/tests/data/tntp/braess_net.tntp",
            "--demand",
            "crates/corridor-cli/tests/data/tntp/braess_trips.tntp",
            "--threads",
            "100000",
        ])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--threads 100000 must be between 1 and 256",
        ));
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn an_import_that_fails_leaves_no_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("crates/corridor-cli/tests/data/tntp");
    std::fs::copy(data.join("braess_net.tntp"), dir.path().join("b_net.tntp")).unwrap();
    // A trips value that is not a number: the bundle used to be written
    // first and stay, passing `check`.
    std::fs::write(
        dir.path().join("b_trips.tntp"),
        "<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 2 : six;\n",
    )
    .unwrap();
    corridor()
        .current_dir(dir.path())
        .args(["import", "tntp", "b_net.tntp", "--out", "bundle"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("six"));
    assert_eq!(names(dir.path()), ["b_net.tntp", "b_trips.tntp"]);
}

#[test]
fn two_outputs_land_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let flows = dir.path().join("f.csv");
    corridor()
        .args([
            "assign",
            "crates/corridor-cli/tests/data/tntp/braess_net.tntp",
            "--demand",
            "crates/corridor-cli/tests/data/tntp/braess_trips.tntp",
            "--flows",
        ])
        .arg(&flows)
        .arg("--plot")
        .arg(dir.path().join("no/such/folder/gap.svg"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("gap.svg"));
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn leftovers_of_a_killed_run_are_cleaned_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    // What a run killed while writing left behind (no pid is this high).
    let left = [
        ".f.csv.tmp-4000000000",
        ".out.geojson.corridor-tmp-4000000000-0",
    ];
    for l in left {
        std::fs::write(dir.path().join(l), "partial").unwrap();
    }
    corridor()
        .args(["export", "examples/triangle.toml", "--out"])
        .arg(dir.path().join("t.geojson"))
        .assert()
        .success();
    assert_eq!(names(dir.path()), ["t.geojson"]);
}

#[test]
fn an_output_over_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let demand = dir.path().join("demand.csv");
    let text = "origin,destination,commodity,t_per_day\nvinnytsia,gdansk,grain,1000\n";
    std::fs::write(&demand, text).unwrap();
    corridor()
        .args(["assign", "examples/grain-corridors", "--demand"])
        .arg(&demand)
        .arg("--flows")
        .arg(&demand)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--flows").and(predicate::str::contains("is an input")));
    assert_eq!(std::fs::read_to_string(&demand).unwrap(), text);
    let net = dir.path().join("net.toml");
    std::fs::copy(root().join("examples/triangle.toml"), &net).unwrap();
    let before = std::fs::read(&net).unwrap();
    corridor()
        .arg("export")
        .arg(&net)
        .args(["--format", "toml", "--out"])
        .arg(&net)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is an input"));
    assert_eq!(std::fs::read(&net).unwrap(), before);
    // A folder holding an input would be replaced with it inside.
    corridor()
        .arg("export")
        .arg(&net)
        .args(["--format", "csv", "--out"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("holds the input"));
}
