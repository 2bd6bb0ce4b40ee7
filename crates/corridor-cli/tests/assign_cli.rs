//! `corridor assign` and `corridor import tntp` end to end on tiny TNTP
//! fixtures written for these tests (`tests/data/tntp`): Braess's network,
//! whose equilibrium is known in closed form, and a 3×3 grid with corner
//! zones that paths may not pass through.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn corridor() -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.env_remove("RUST_LOG");
    c
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tntp")
        .join(name)
}

/// Reads `from,to,flow,cost` rows.
fn read_flows(path: &std::path::Path) -> Vec<(String, String, f64, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("from,to,flow,cost"));
    lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (
                c[0].to_string(),
                c[1].to_string(),
                c[2].parse().unwrap(),
                c[3].parse().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

#[test]
fn braess_flows_are_the_textbook_equilibrium() {
    let dir = tempfile::tempdir().unwrap();
    for method in ["fw", "cfw", "bfw"] {
        let flows = dir.path().join(format!("{method}.csv"));
        let plot = dir.path().join(format!("{method}.svg"));
        let out = corridor()
            .args(["assign"])
            .arg(data("braess_net.tntp"))
            .arg("--demand")
            .arg(data("braess_trips.tntp"))
            .args(["--method", method, "--gap", "1e-10", "--max-iter", "100000"])
            .args(["--format", "json", "--threads", "2"])
            .arg("--flows")
            .arg(&flows)
            .arg("--plot")
            .arg(&plot)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["method"], method);
        assert!(v["relative_gap"].as_f64().unwrap() <= 1e-10);
        for key in ["iterations", "objective", "seconds"] {
            assert!(v[key].is_number(), "{key} in {v}");
        }
        // One history entry per iteration, the last one the reported gap.
        let h = v["history"].as_array().unwrap();
        assert_eq!(h.len() as u64, v["iterations"].as_u64().unwrap());
        assert_eq!(h.last().unwrap()["relative_gap"], v["relative_gap"]);
        assert_eq!(h[0]["iteration"], 1);
        for w in h.windows(2) {
            assert!(w[1]["seconds"].as_f64() >= w[0]["seconds"].as_f64());
        }
        let f = read_flows(&flows);
        let want = [
            ("1", "3", 4.0),
            ("3", "2", 2.0),
            ("1", "4", 2.0),
            ("4", "2", 4.0),
            ("3", "4", 2.0),
        ];
        assert_eq!(f.len(), want.len());
        for (got, want) in f.iter().zip(want) {
            assert_eq!(
                (got.0.as_str(), got.1.as_str()),
                (want.0, want.1),
                "input order"
            );
            assert!((got.2 - want.2).abs() < 1e-3, "{method}: {f:?}");
        }
        // Every path costs 92 at equilibrium.
        assert!((f[0].3 + f[1].3 - 92.0).abs() < 1e-3);
        assert!((f[0].3 + f[4].3 + f[3].3 - 92.0).abs() < 1e-3);
        let svg = std::fs::read_to_string(&plot).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("relative gap"));
    }
}

#[test]
fn grid_zones_are_never_passed_through_and_methods_agree() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for method in ["cfw", "bfw"] {
        let flows = dir.path().join(format!("{method}.csv"));
        corridor()
            .args(["assign"])
            .arg(data("grid_net.tntp"))
            .arg("--demand")
            .arg(data("grid_trips.tntp"))
            .args(["--method", method, "--gap", "1e-9", "--max-iter", "20000"])
            .arg("--flows")
            .arg(&flows)
            .assert()
            .success()
            .stdout(predicate::str::contains("target 1e-9 reached"));
        results.push(read_flows(&flows));
    }
    // Trips into a zone (TNTP numbers 1-4) end there: the flow on its
    // connector equals the demand to it, so nothing passed through.
    let trips = std::fs::read_to_string(data("grid_trips.tntp")).unwrap();
    let mut to_zone = [0.0f64; 5];
    let mut from_zone = [0.0f64; 5];
    let mut origin = 0usize;
    for line in trips.lines() {
        if let Some(o) = line.strip_prefix("Origin ") {
            origin = o.trim().parse().unwrap();
            continue;
        }
        for pair in line.split(';').filter(|p| p.contains(':')) {
            let (d, f) = pair.split_once(':').unwrap();
            let (d, f): (usize, f64) = (d.trim().parse().unwrap(), f.trim().parse().unwrap());
            if d != origin {
                to_zone[d] += f;
                from_zone[origin] += f;
            }
        }
    }
    for f in &results {
        for z in 1..=4usize {
            let zs = z.to_string();
            let inflow: f64 = f.iter().filter(|r| r.1 == zs).map(|r| r.2).sum();
            let outflow: f64 = f.iter().filter(|r| r.0 == zs).map(|r| r.2).sum();
            assert!(
                (inflow - to_zone[z]).abs() < 1e-6,
                "zone {z}: in {inflow} vs {}",
                to_zone[z]
            );
            assert!(
                (outflow - from_zone[z]).abs() < 1e-6,
                "zone {z}: out {outflow}"
            );
        }
    }
    // Link flows at equilibrium are unique where cost grows with flow.
    for (a, b) in results[0].iter().zip(&results[1]) {
        if a.0.parse::<u32>().unwrap() > 4 && a.1.parse::<u32>().unwrap() > 4 {
            assert!((a.2 - b.2).abs() < 1e-2, "{a:?} vs {b:?}");
        }
    }
}

#[test]
fn aon_loads_free_flow_shortest_paths() {
    let out = corridor()
        .args(["assign"])
        .arg(data("braess_net.tntp"))
        .arg("--demand")
        .arg(data("braess_trips.tntp"))
        .args(["--method", "aon"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("method aon: 1 iterations"), "{text}");
}

#[test]
fn malformed_tntp_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("braess_net.tntp")).unwrap();
    let bad = dir.path().join("bad_net.tntp");
    std::fs::write(
        &bad,
        text.replace(
            "\t50\t0.02\t1\t0\t0\t1\t;\n\t1\t4",
            "\tfifty\t0.02\t1\t0\t0\t1\t;\n\t1\t4",
        ),
    )
    .unwrap();
    corridor()
        .args(["assign"])
        .arg(&bad)
        .arg("--demand")
        .arg(data("braess_trips.tntp"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("bad_net.tntp:11:")
                .and(predicate::str::contains("free_flow_time: \"fifty\"")),
        );
    let trips = dir.path().join("bad_trips.tntp");
    std::fs::write(
        &trips,
        "<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 2 : lots;\n",
    )
    .unwrap();
    corridor()
        .args(["assign"])
        .arg(data("braess_net.tntp"))
        .arg("--demand")
        .arg(&trips)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("bad_trips.tntp:4:")
                .and(predicate::str::contains("flow: \"lots\"")),
        );
}

#[test]
fn import_tntp_writes_a_bundle_that_assigns_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid");
    corridor()
        .args(["import", "tntp"])
        .arg(data("grid_net.tntp"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "13 nodes, 32 links, 12 demand rows",
        ));
    let demand = std::fs::read_to_string(out.join("demand.csv")).unwrap();
    assert!(
        demand.starts_with("origin,destination,commodity,t_per_day\n1,2,vehicles,90\n"),
        "{demand}"
    );
    let run = |net: &std::path::Path, demand: &std::path::Path| {
        let out = corridor()
            .arg("assign")
            .arg(net)
            .arg("--demand")
            .arg(demand)
            .args(["--method", "bfw", "--gap", "1e-9", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        v["objective"].as_f64().unwrap()
    };
    let direct = run(&data("grid_net.tntp"), &data("grid_trips.tntp"));
    let bundle = run(&out, &out.join("demand.csv"));
    assert!(
        (direct - bundle).abs() <= 1e-9 * direct,
        "{direct} vs {bundle}"
    );
}

#[test]
fn a_scenario_closing_braess_bridge_restores_the_old_equilibrium() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("no-bridge.toml");
    std::fs::write(
        &scenario,
        "[scenario]\nname = \"no bridge\"\n\n[[edit]]\naction = \"close\"\nlink = \"5\"\n",
    )
    .unwrap();
    let flows = dir.path().join("flows.csv");
    corridor()
        .arg("assign")
        .arg(data("braess_net.tntp"))
        .arg("--demand")
        .arg(data("braess_trips.tntp"))
        .arg("--scenario")
        .arg(&scenario)
        .args(["--gap", "1e-10", "--max-iter", "10000"])
        .arg("--flows")
        .arg(&flows)
        .assert()
        .success();
    let f = read_flows(&flows);
    // Without the bridge each route carries 3 and costs 83.
    for (i, want) in [3.0, 3.0, 3.0, 3.0, 0.0].into_iter().enumerate() {
        assert!((f[i].2 - want).abs() < 1e-3, "{f:?}");
    }
    assert!((f[0].3 + f[1].3 - 83.0).abs() < 1e-3);
    assert!(f[4].3.is_nan(), "a closed link has no cost");
}
