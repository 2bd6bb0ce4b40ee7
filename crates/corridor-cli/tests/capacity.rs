//! End-to-end tests of `corridor capacity` and `corridor compare` on the
//! shipped grain-corridors example and its scenarios, with every expected
//! bottleneck worked out by hand from the CSV files (the comments say why
//! each is right), and bad scenario files: the message (file, line, what)
//! and the exit code are part of the contract.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corridor() -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.current_dir(root());
    c
}

const GRAIN: &str = "examples/grain-corridors";
const ELEVATORS: &str = "vinnytsia,kropyvnytskyi,poltava,khmelnytskyi,ternopil";
const PORTS: &str = "gdansk,constanta,rotterdam";

/// The truck payload from `network.csv`: 25 t.
const TRUCK_T: f64 = 25.0;
/// `Mt/year` to t/day with 365 days a year.
fn mt_year(x: f64) -> f64 {
    x * 1e6 / 365.0
}

fn json(args: &[&str]) -> Value {
    let out = corridor().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn capacity(scenarios: &[&str]) -> Value {
    let mut args = vec![
        "capacity",
        GRAIN,
        "--from",
        ELEVATORS,
        "--to",
        PORTS,
        "--commodity",
        "grain",
        "--format",
        "json",
    ];
    let paths: Vec<String> = scenarios
        .iter()
        .map(|s| format!("{GRAIN}/scenarios/{s}.toml"))
        .collect();
    for p in &paths {
        args.push("--scenario");
        args.push(p);
    }
    json(&args)
}

fn close(a: f64, b: f64) -> bool {
    // Reports round to 9 significant digits.
    (a - b).abs() <= 1e-5 * a.abs().max(b.abs()).max(1.0)
}

/// `(kind, id) -> capacity` of the reported bottlenecks.
fn bottlenecks(r: &Value) -> Vec<(String, String, f64)> {
    let mut v: Vec<(String, String, f64)> = r["bottlenecks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["kind"].as_str().unwrap().to_string(),
                b["id"].as_str().unwrap().to_string(),
                b["capacity"].as_f64().unwrap(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

fn expect_cut(r: &Value, mut want: Vec<(&str, &str, f64)>) {
    want.sort_by(|a, b| a.1.cmp(b.1));
    let got = bottlenecks(r);
    assert_eq!(
        got.iter()
            .map(|g| (g.0.as_str(), g.1.as_str()))
            .collect::<Vec<_>>(),
        want.iter().map(|w| (w.0, w.1)).collect::<Vec<_>>(),
        "bottlenecks: {got:?}"
    );
    for (g, w) in got.iter().zip(&want) {
        assert!(close(g.2, w.2), "{}: {} vs {}", g.1, g.2, w.2);
    }
    let total: f64 = want.iter().map(|w| w.2).sum();
    assert!(
        close(r["max_flow"].as_f64().unwrap(), total),
        "max flow {} vs cut {total}",
        r["max_flow"]
    );
}

/// The base case, by hand. Roads have no capacity, so trucks from every
/// elevator reach every road crossing; what limits them is the crossing:
/// Rava-Ruska–Hrebenne 300 trucks/day, Krakovets–Korczowa 500 and
/// Porubne–Siret 1,000 (published for 2022), at 25 t each. Rail into Poland
/// and Romania changes gauge at a terminal, and the terminals bind: Dorohusk
/// (1.07 Mt/year < the crossing's 1.65), Medyka (1.89 < 3.78), Hrubieszów
/// (0.36 plus Sławków 2 behind the 11.1 Mt/year LHS crossing) and Vicșani
/// (1.64 < 3.6), each figure from `sources.csv`. The Danube ports are
/// limited by their handling (Izmail 12, Reni 6 Mt/year), not by their rail
/// (10 trains/day each, 11 Mt/year, with the road beside it to Izmail) or
/// river links, and Izmail's grain need not take the
/// Sulina channel (8.2 Mt/year): it can go by barge. The Black Sea port
/// terminals are closed, so nothing else leaves.
#[test]
fn grain_base_capacity_and_its_bottlenecks() {
    let r = capacity(&[]);
    assert_eq!(r["unit"], "t/day");
    expect_cut(
        &r,
        vec![
            ("border", "border-rava-ruska-hrebenne", 300.0 * TRUCK_T),
            ("border", "border-krakovets-korczowa", 500.0 * TRUCK_T),
            ("border", "border-porubne-siret", 1000.0 * TRUCK_T),
            ("terminal", "terminal-dorohusk-gauge", mt_year(1.07)),
            ("terminal", "terminal-medyka-gauge", mt_year(1.89)),
            ("terminal", "terminal-hrubieszow-gauge", mt_year(0.36)),
            ("terminal", "terminal-slawkow-euroterminal", mt_year(2.0)),
            ("terminal", "terminal-vicsani-gauge", mt_year(1.64)),
            ("terminal", "terminal-izmail-port", mt_year(12.0)),
            ("terminal", "terminal-reni-port", mt_year(6.0)),
        ],
    );
    let mf = r["max_flow"].as_f64().unwrap();
    assert!(close(
        r["max_flow_mt_per_year"].as_f64().unwrap(),
        mf * 365.0 / 1e6
    ));
    assert!(r["cost_per_unit"].as_f64().unwrap() > 0.0);
    // Shares of the cut add up to one; every element within capacity.
    let shares: f64 = r["bottlenecks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["share"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-4, "{shares}");
    for e in r["elements"].as_array().unwrap() {
        assert!(e["kind"].is_string() && e["id"].is_string() && e["flow"].is_number());
        if let Some(u) = e["utilisation"].as_f64() {
            assert!(u <= 1.0 + 1e-6, "{e}");
        }
    }
    // Closed port terminals carry nothing.
    assert!(
        !r["elements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "terminal-odesa-port")
    );
}

/// Closing the two Polish road crossings removes exactly their 7,500 +
/// 12,500 t/day: nothing else in the cut changes, because the remaining
/// bottlenecks were already saturated by other cargo.
#[test]
fn closing_the_polish_road_crossings_removes_their_capacity() {
    let base = capacity(&[]);
    let r = capacity(&["close-polish-road-crossings"]);
    let drop = base["max_flow"].as_f64().unwrap() - r["max_flow"].as_f64().unwrap();
    assert!(close(drop, 300.0 * TRUCK_T + 500.0 * TRUCK_T), "{drop}");
    let ids: Vec<String> = bottlenecks(&r).into_iter().map(|b| b.1).collect();
    assert!(!ids.contains(&"border-rava-ruska-hrebenne".to_string()));
    assert!(ids.contains(&"border-porubne-siret".to_string()));
}

/// A second 3 Mt/year gauge change at Vicșani plus 6 trains/day at the
/// crossing: the Romanian rail route now carries 4.64 Mt/year (12,712 t/day),
/// under the crossing's 20,400 t/day and the Chernivtsi line's 10 trains/day
/// (34,000 t/day), so the gain is exactly the new terminal's 3 Mt/year and
/// both Vicșani terminals are in the cut.
#[test]
fn romanian_gauge_capacity_adds_its_three_million_tonnes() {
    let base = capacity(&[]);
    let r = capacity(&["romanian-gauge-capacity"]);
    let gain = r["max_flow"].as_f64().unwrap() - base["max_flow"].as_f64().unwrap();
    assert!(close(gain, mt_year(3.0)), "{gain}");
    let ids: Vec<String> = bottlenecks(&r).into_iter().map(|b| b.1).collect();
    assert!(ids.contains(&"terminal-vicsani-gauge-2".to_string()));
    assert!(ids.contains(&"terminal-vicsani-gauge".to_string()));
}

/// With the ports restored, the Black Sea side is limited by the three
/// ports' berths (their published agricultural throughput of 2023-24:
/// Odesa 12.5, Chornomorsk 19.3, Pivdennyi 11.7 Mt/year): trucks reach all
/// three from Odesa's roads (unlimited), so Chornomorsk's single-track rail
/// approach (10 trains/day) no longer caps its berths, and the gain is the
/// three berths. (When only rail reached Chornomorsk its line was in the
/// cut instead of its berths.)
#[test]
fn restoring_the_black_sea_ports_adds_the_three_ports_berths() {
    let base = capacity(&[]);
    let r = capacity(&["restore-black-sea-ports"]);
    let ids: Vec<String> = bottlenecks(&r).into_iter().map(|b| b.1).collect();
    for want in [
        "terminal-odesa-port",
        "terminal-chornomorsk-port",
        "terminal-pivdennyi-port",
    ] {
        assert!(ids.contains(&want.to_string()), "{want} not in {ids:?}");
    }
    assert!(!ids.contains(&"rail-rozdilna-chornomorsk".to_string()));
    let gain = r["max_flow"].as_f64().unwrap() - base["max_flow"].as_f64().unwrap();
    assert!(
        close(gain, mt_year(12.5) + mt_year(19.3) + mt_year(11.7)),
        "{gain}"
    );
}

/// The combination file equals stacking the three scenario files.
#[test]
fn scenarios_stack_like_the_combination_file() {
    let stacked = capacity(&[
        "restore-black-sea-ports",
        "close-polish-road-crossings",
        "romanian-gauge-capacity",
    ]);
    let combined = capacity(&["combination"]);
    assert!(close(
        stacked["max_flow"].as_f64().unwrap(),
        combined["max_flow"].as_f64().unwrap()
    ));
    assert_eq!(bottlenecks(&stacked), bottlenecks(&combined));
}

#[test]
fn compare_reports_ratio_bottlenecks_routes_and_changes() {
    let r = json(&[
        "compare",
        GRAIN,
        "--scenario",
        "examples/grain-corridors/scenarios/close-polish-road-crossings.toml",
        "--from",
        ELEVATORS,
        "--to",
        PORTS,
        "--commodity",
        "grain",
        "--format",
        "json",
    ]);
    let before = r["base"]["max_flow"].as_f64().unwrap();
    let after = r["scenario"]["max_flow"].as_f64().unwrap();
    assert!(close(r["ratio"].as_f64().unwrap(), after / before));
    let gone: Vec<&str> = r["bottlenecks_disappeared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        gone,
        vec!["border-krakovets-korczowa", "border-rava-ruska-hrebenne"]
    );
    assert!(r["route_before"]["itinerary"]["totals"]["cost"].is_number());
    assert!(r["route_after"]["itinerary"].is_object());
    // The largest change is the road Ternopil–Lviv, which fed both crossings.
    let first = &r["flow_changes"][0];
    assert_eq!(first["id"], "road-ternopil-lviv");
    assert!(close(
        first["change"].as_f64().unwrap(),
        -(300.0 + 500.0) * TRUCK_T
    ));
    corridor()
        .args([
            "compare",
            GRAIN,
            "--scenario",
            "examples/grain-corridors/scenarios/restore-black-sea-ports.toml",
            "--from",
            ELEVATORS,
            "--to",
            PORTS,
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("× 2.05")
                .and(predicate::str::contains("terminal-chornomorsk-port")),
        );
}

#[test]
fn text_geojson_and_out_file() {
    corridor()
        .args(["capacity", GRAIN, "--from", ELEVATORS, "--to", PORTS])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("maximum flow: 113,38")
                .and(predicate::str::contains("bottlenecks"))
                .and(predicate::str::contains("border-porubne-siret")),
        );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("flows.geojson");
    corridor()
        .args(["capacity", GRAIN, "--from", ELEVATORS, "--to", PORTS])
        .args(["--format", "geojson", "--out"])
        .arg(&out)
        .assert()
        .success();
    let g: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let feats = g["features"].as_array().unwrap();
    assert!(!feats.is_empty());
    for f in feats {
        assert!(f["geometry"]["type"].is_string(), "{f}");
        assert!(f["properties"]["flow"].is_number());
        assert!(f["properties"].get("utilisation").is_some());
    }
    assert!(feats.iter().any(|f| f["properties"]["bottleneck"] == true));
}

/// Writes a scenario into a temp dir and runs `capacity` with it.
fn with_scenario(text: &str) -> (tempfile::TempDir, assert_cmd::assert::Assert) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let a = corridor()
        .args([
            "capacity",
            GRAIN,
            "--from",
            "vinnytsia",
            "--to",
            "gdansk",
            "--scenario",
        ])
        .arg(&path)
        .assert();
    (dir, a)
}

#[test]
fn bad_scenarios_name_file_line_and_what() {
    // Unknown id: found when the edit is applied; the edit's line is named.
    let (_d, a) = with_scenario("[[edit]]\naction = \"close\"\nborder = \"border-nowhere\"\n");
    a.code(1).stderr(
        predicate::str::contains("bad.toml:1:").and(predicate::str::contains(
            "unknown border \"border-nowhere\"",
        )),
    );
    // Unknown attribute.
    let (_d, a) = with_scenario(
        "[scenario]\nname = \"x\"\n\n[[edit]]\naction = \"set\"\nterminal = \"terminal-dorohusk-gauge\"\ncolour = \"red\"\n",
    );
    a.code(1).stderr(
        predicate::str::contains("bad.toml:7:")
            .and(predicate::str::contains("unknown attribute \"colour\"")),
    );
    // Bad unit.
    let (_d, a) = with_scenario(
        "[[edit]]\naction = \"set\"\nterminal = \"terminal-dorohusk-gauge\"\ncapacity = \"12 Mt/yaer\"\n",
    );
    a.code(1).stderr(
        predicate::str::contains("bad.toml:4:")
            .and(predicate::str::contains("unknown unit \"Mt/yaer\"")),
    );
    // Bad value.
    let (_d, a) = with_scenario(
        "[[edit]]\naction = \"set\"\nborder = \"border-sulina\"\ncapacity = \"-3 Mt/year\"\n",
    );
    a.code(1)
        .stderr(predicate::str::contains("bad.toml:4:").and(predicate::str::contains("negative")));
    let (_d, a) =
        with_scenario("[[edit]]\naction = \"scale\"\ntag = \"ro-border\"\nfactor = \"lots\"\n");
    a.code(1).stderr(predicate::str::contains("bad.toml:4:"));
    // An attribute the element does not have.
    let (_d, a) =
        with_scenario("[[edit]]\naction = \"set\"\nid = \"border-sulina\"\nspeed = \"10 km/h\"\n");
    a.code(1).stderr(
        predicate::str::contains("bad.toml:1:")
            .and(predicate::str::contains("unknown attribute \"speed\"")),
    );
    // A tag that selects nothing is almost always a typo.
    let (_d, a) = with_scenario("[[edit]]\naction = \"open\"\ntag = \"black-see-ports\"\n");
    a.code(1)
        .stderr(predicate::str::contains("matches no element"));
    // Not TOML at all.
    let (_d, a) = with_scenario("[[edit]\naction = \n");
    a.code(1).stderr(predicate::str::contains("bad.toml:1"));
    // Missing file.
    corridor()
        .args(["capacity", GRAIN, "--from", "vinnytsia", "--to", "gdansk"])
        .args(["--scenario", "no-such-scenario.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no-such-scenario.toml"));
}

#[test]
fn bad_requests_are_clear() {
    corridor()
        .args(["capacity", GRAIN, "--from", "atlantis", "--to", "gdansk"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown node \"atlantis\""));
    corridor()
        .args([
            "capacity",
            GRAIN,
            "--from",
            "vinnytsia",
            "--to",
            "vinnytsia",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("both an origin and a destination"));
    corridor()
        .args(["capacity", GRAIN, "--to", "gdansk"])
        .assert()
        .code(2);
    // A supply limit binds and shows up as a bottleneck of kind "supply".
    let r = json(&[
        "capacity",
        GRAIN,
        "--from",
        "vinnytsia=1Mt/year",
        "--to",
        "gdansk",
        "--format",
        "json",
    ]);
    assert!(close(r["max_flow"].as_f64().unwrap(), mt_year(1.0)));
    assert_eq!(r["bottlenecks"][0]["kind"], "supply");
}

#[test]
fn unlimited_paths_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let net = dir.path().join("open.toml");
    std::fs::write(
        &net,
        "[[commodities]]\nname = \"grain\"\nclass = \"bulk\"\n\n[[nodes]]\nid = \"a\"\nkind = \"city\"\nlon = 30.0\nlat = 50.0\ncountry = \"UA\"\n\n[[nodes]]\nid = \"b\"\nkind = \"city\"\nlon = 31.0\nlat = 50.0\ncountry = \"UA\"\n\n[[links]]\nid = \"ab\"\nfrom = \"a\"\nto = \"b\"\nmode = \"road\"\n",
    )
    .unwrap();
    corridor()
        .args(["capacity"])
        .arg(&net)
        .args(["--from", "a", "--to", "b"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unlimited").and(predicate::str::contains("link \"ab\"")));
}

/// TNTP networks carry their own unit (vehicles per hour) and no
/// `max_flow_mt_per_year`. Braess's network has capacity 1 on every link;
/// the two links out of zone 1 (1 → 3 and 1 → 4) are the cut nearest the
/// origin, so the maximum is 2 veh/h.
#[test]
fn capacity_on_a_tntp_network_in_its_own_unit() {
    let net = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tntp/braess_net.tntp");
    let r = json(&[
        "capacity",
        net.to_str().unwrap(),
        "--from",
        "1",
        "--to",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(r["unit"], "veh/h");
    assert!(r.get("max_flow_mt_per_year").is_none());
    expect_cut(&r, vec![("link", "1", 1.0), ("link", "3", 1.0)]);
}

/// A link of 1e20 t/day used to make the maximum 0 ("no open path") and
/// 1e16 gave 24,096 instead of 24,110 (issue 11): the integer scaling of
/// the flow solver rounded every ordinary capacity away.
#[test]
fn vast_capacities_leave_the_maximum_exact() {
    let text = std::fs::read_to_string(root().join("examples/triangle.toml")).unwrap();
    let base = json(&[
        "capacity",
        root().join("examples/triangle.toml").to_str().unwrap(),
        "--from",
        "kyiv",
        "--to",
        "gdansk",
        "--format",
        "json",
    ]);
    for vast in ["1e16", "1e20", "1e300"] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.toml");
        let edited = text.replacen(
            "capacity = \"30 trains/day\"",
            &format!("capacity = {vast}"),
            1,
        );
        assert_ne!(edited, text);
        std::fs::write(&p, edited).unwrap();
        let r = json(&[
            "capacity",
            p.to_str().unwrap(),
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--format",
            "json",
        ]);
        assert_eq!(r["max_flow"], base["max_flow"], "with {vast}");
    }
}
