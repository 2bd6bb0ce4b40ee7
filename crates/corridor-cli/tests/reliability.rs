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
