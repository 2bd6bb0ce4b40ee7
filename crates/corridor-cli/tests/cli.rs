//! End-to-end tests of the `corridor` binary in a temp dir: real outputs
//! on the shipped examples, and bad input — the message (file, line,
//! field) and the exit code are part of the contract.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corridor() -> Command {
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.current_dir(root());
    c
}

/// A minimal valid network; tests break one thing at a time.
const BASE: &str = r#"
[network]
name = "t"

[[commodities]]
name = "grain"
class = "bulk"
value_of_time = 0.05

[[nodes]]
id = "a"
kind = "city"
lon = 30.0
lat = 50.0
country = "UA"

[[nodes]]
id = "x"
kind = "border"
lon = 24.0
lat = 51.0
country = "PL"

[[nodes]]
id = "b"
kind = "city"
lon = 21.0
lat = 52.0
country = "PL"

[[links]]
id = "l1"
from = "a"
to = "x"
mode = "rail"
gauge = 1520
capacity = "20 trains/day"

[[links]]
id = "l2"
from = "x"
to = "b"
mode = "rail"
gauge = 1435

[[terminals]]
id = "gc"
node = "x"
connects = ["rail:1520 <-> rail:1435"]
handling_cost = 10
hours = 12

[[borders]]
id = "ua-pl"
node = "x"
countries = ["UA", "PL"]
dwell = { rail = "8 h" }
fee_per_t = 1.5
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs `corridor check` on `text` and returns stderr+stdout; asserts exit 1.
fn check_fails(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "net.toml", text);
    let out = corridor().arg("check").arg(&p).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

#[test]
fn base_network_is_valid_and_routes() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "net.toml", BASE);
    corridor()
        .arg("check")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 error(s)"));
    let out = corridor()
        .args(["route"])
        .arg(&p)
        .args([
            "--from", "a", "--to", "b", "--tonnes", "10", "--format", "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["transfers"][0]["from_layer"], "rail:1520");
    assert_eq!(
        v["borders"][0]["countries"],
        serde_json::json!(["UA", "PL"])
    );
}

#[test]
fn triangle_quickstart_routes_by_rail_through_the_gauge_change() {
    let out = corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--commodity",
            "grain",
        ])
        .args(["--tonnes", "1000", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "from",
        "to",
        "commodity",
        "tonnes",
        "totals",
        "legs",
        "transfers",
        "borders",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["tonnes"], 1000.0);
    // The Odesa port terminal is closed, so grain goes overland.
    let legs = v["legs"].as_array().unwrap();
    assert!(legs.iter().all(|l| l["mode"] != "sea"), "{v}");
    let sum = |k: &str| -> f64 {
        legs.iter().map(|l| l[k].as_f64().unwrap()).sum::<f64>()
            + v["transfers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.get(k).and_then(|x| x.as_f64()).unwrap_or(0.0))
                .sum::<f64>()
    };
    let fees: f64 = v["borders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["fees"].as_f64().unwrap())
        .sum();
    let cost = v["totals"]["cost"].as_f64().unwrap();
    assert!(
        (sum("cost") + fees - cost).abs() < 1e-6 * cost,
        "totals must equal the sum of the parts"
    );
    let hours: f64 = sum("hours")
        + v["borders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["hours"].as_f64().unwrap())
            .sum::<f64>();
    assert!((hours - v["totals"]["hours"].as_f64().unwrap()).abs() < 1e-6);
    for l in legs {
        assert!(l["links"].as_array().is_some_and(|x| !x.is_empty()));
    }
}

#[test]
fn text_geojson_pareto_and_out_file() {
    corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("total"))
        .stdout(predicate::str::contains("rail:1520 → rail:1435"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("route.geojson");
    corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--format",
            "geojson",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert!(
        v["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["geometry"]["type"] == "LineString")
    );
    // No temporary files are left next to the output.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let p = corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--pareto",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(p.status.success());
    let v: serde_json::Value = serde_json::from_slice(&p.stdout).unwrap();
    let its = v["itineraries"].as_array().unwrap();
    assert!(its.len() >= 2, "rail and road trade cost against time: {v}");
    for w in its.windows(2) {
        let (c0, c1) = (
            w[0]["totals"]["cost"].as_f64().unwrap(),
            w[1]["totals"]["cost"].as_f64().unwrap(),
        );
        let (h0, h1) = (
            w[0]["totals"]["hours"].as_f64().unwrap(),
            w[1]["totals"]["hours"].as_f64().unwrap(),
        );
        assert!(
            c0 <= c1 && h0 > h1,
            "sorted by cost, each faster than the last"
        );
    }
}

#[test]
fn grain_corridors_example_is_clean_and_routes() {
    corridor()
        .args(["check", "examples/grain-corridors"])
        .assert()
        .success();
    corridor()
        .args(["info", "examples/grain-corridors"])
        .assert()
        .success()
        .stdout(predicate::str::contains("rail:1520"));
}

#[test]
fn export_writes_geojson_and_csv_that_load_again() {
    let dir = tempfile::tempdir().unwrap();
    let gj = dir.path().join("net.geojson");
    corridor()
        .args(["export", "examples/triangle.toml", "--out"])
        .arg(&gj)
        .assert()
        .success();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gj).unwrap()).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let csv = dir.path().join("bundle");
    corridor()
        .args([
            "export",
            "examples/triangle.toml",
            "--format",
            "csv",
            "--out",
        ])
        .arg(&csv)
        .assert()
        .success();
    corridor().arg("check").arg(&csv).assert().success();
}

#[test]
fn unknown_node_id_names_file_line_and_field() {
    let text = BASE.replace("to = \"b\"", "to = \"nowhere\"");
    let msg = check_fails(&text);
    assert!(msg.contains("nowhere"), "{msg}");
    assert!(msg.contains("net.toml:"), "{msg}");
    assert!(msg.contains("to"), "{msg}");
}

#[test]
fn duplicate_id_is_an_error() {
    let text = BASE.replace("id = \"b\"", "id = \"a\"");
    let msg = check_fails(&text);
    assert!(msg.to_lowercase().contains("duplicate"), "{msg}");
    assert!(msg.contains("\"a\""), "{msg}");
}

#[test]
fn missing_required_field_is_named() {
    let text = BASE.replace("lat = 52.0\n", "");
    let msg = check_fails(&text);
    assert!(msg.contains("lat"), "{msg}");
    assert!(
        msg.contains(&format!("net.toml:{}", line_of(BASE, "id = \"b\"") - 1))
            || msg.contains("net.toml:"),
        "{msg}"
    );
}

#[test]
fn negative_or_non_numeric_capacity_is_refused() {
    for bad in ["\"-5 t/day\"", "\"lots\"", "-3"] {
        let text = BASE.replace("capacity = \"20 trains/day\"", &format!("capacity = {bad}"));
        let msg = check_fails(&text);
        assert!(msg.contains("capacity"), "{bad}: {msg}");
        assert!(
            msg.contains(&format!("net.toml:{}", line_of(&text, "capacity ="))),
            "{bad}: {msg}"
        );
    }
}

#[test]
fn unknown_unit_lists_the_expected_ones() {
    let text = BASE.replace("20 trains/day", "12 Mt/yaer");
    let msg = check_fails(&text);
    assert!(msg.contains("Mt/yaer"), "{msg}");
    assert!(msg.contains("Mt/year"), "expected units listed: {msg}");
}

#[test]
fn rail_link_without_gauge_is_an_error() {
    let text = BASE.replace("gauge = 1435\n", "");
    let msg = check_fails(&text);
    assert!(msg.contains("gauge"), "{msg}");
    assert!(msg.contains("\"l2\""), "{msg}");
}

#[test]
fn terminal_claiming_a_missing_layer_is_an_error() {
    let text = BASE.replace(
        "connects = [\"rail:1520 <-> rail:1435\"]",
        "connects = [\"rail:1520 <-> sea\"]",
    );
    let msg = check_fails(&text);
    assert!(msg.contains("terminal \"gc\""), "{msg}");
    assert!(msg.contains("sea"), "{msg}");
    assert!(
        msg.contains(&format!("net.toml:{}", line_of(&text, "id = \"gc\"") - 1))
            || msg.contains("net.toml:"),
        "{msg}"
    );
}

#[test]
fn unreachable_destination_exits_1_with_a_reason() {
    let text = format!(
        "{BASE}\n[[nodes]]\nid = \"island\"\nkind = \"city\"\nlon = 10.0\nlat = 50.0\ncountry = \"DE\"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "net.toml", &text);
    corridor()
        .arg("route")
        .arg(&p)
        .args(["--from", "a", "--to", "island"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no route for grain"))
        .stderr(predicate::str::contains("has no link"));
}

#[test]
fn closed_border_on_the_only_path_is_named() {
    let text = BASE.replace("fee_per_t = 1.5", "fee_per_t = 1.5\nopen = false");
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "net.toml", &text);
    corridor()
        .arg("route")
        .arg(&p)
        .args(["--from", "a", "--to", "b"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "border \"ua-pl\" (UA–PL) is closed",
        ));
}

#[test]
fn missing_gauge_change_is_explained_in_planner_words() {
    let text = BASE.replace(
        "connects = [\"rail:1520 <-> rail:1435\"]",
        "connects = [\"rail:1520 <-> rail:1520\"]",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "net.toml", &text);
    corridor()
        .arg("route")
        .arg(&p)
        .args(["--from", "a", "--to", "b"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no terminal at x changes rail:1520 to rail:1435",
        ));
}

#[test]
fn bad_csv_record_names_file_record_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("b");
    corridor()
        .args([
            "export",
            "examples/triangle.toml",
            "--format",
            "csv",
            "--out",
        ])
        .arg(&bundle)
        .assert()
        .success();
    let links = std::fs::read_to_string(bundle.join("links.csv")).unwrap();
    let mut lines: Vec<String> = links.lines().map(str::to_string).collect();
    // Record 2 (line 3) is the second link; point its origin at a node that does not exist.
    lines[2] = lines[2].replacen(",dorohusk,", ",kyyiv,", 1);
    std::fs::write(bundle.join("links.csv"), lines.join("\n") + "\n").unwrap();
    let out = corridor().arg("check").arg(&bundle).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&out.stdout);
    assert!(msg.contains("links.csv:3"), "{msg}");
    assert!(msg.contains("kyyiv"), "{msg}");
}

#[test]
fn usage_errors_exit_2_and_missing_files_exit_1() {
    corridor()
        .args(["route", "examples/triangle.toml", "--from", "kyiv"])
        .assert()
        .code(2);
    corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--minimize",
            "fun",
        ])
        .assert()
        .code(2);
    corridor()
        .args(["check", "no/such/file.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no/such/file.toml"));
    corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "atlantis",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown node \"atlantis\""));
    corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--commodity",
            "gold",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown commodity \"gold\""));
}

#[test]
fn avoid_and_via_from_the_command_line() {
    let out = corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--avoid",
            "dorohusk",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["legs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["from"] != "dorohusk" && l["to"] != "dorohusk"),
        "{v}"
    );
    let out = corridor()
        .args([
            "route",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--via",
            "hrebenne",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["borders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["at"] == "hrebenne"),
        "{v}"
    );
}

#[test]
fn route_applies_scenarios_in_order() {
    let json = |extra: &[&str]| -> serde_json::Value {
        let out = corridor()
            .args([
                "route",
                "examples/grain-corridors",
                "--from",
                "vinnytsia",
                "--to",
                "constanta",
                "--format",
                "json",
            ])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let uses_odesa = |v: &serde_json::Value| {
        v["transfers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["at"] == "odesa")
    };
    // The Black Sea ports are closed in the base case and open in the scenario.
    let base = json(&[]);
    assert!(!uses_odesa(&base), "{base}");
    let restored = json(&[
        "--scenario",
        "examples/grain-corridors/scenarios/restore-black-sea-ports.toml",
    ]);
    assert!(uses_odesa(&restored), "{restored}");
    assert!(restored["totals"]["cost"].as_f64() < base["totals"]["cost"].as_f64());
    corridor()
        .args([
            "route",
            "examples/grain-corridors",
            "--from",
            "vinnytsia",
            "--to",
            "constanta",
        ])
        .args(["--scenario", "no/such/scenario.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no/such/scenario.toml"));
}

#[test]
fn help_lists_every_place_form_and_every_value() {
    let help = |cmd: &str| {
        let out = corridor().args(["help", cmd]).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    for cmd in ["route", "capacity", "compare"] {
        let text = help(cmd);
        for form in ["node id", "node name", "UN/LOCODE", "`lat,lon`"] {
            assert!(text.contains(form), "{cmd}: {form} missing in\n{text}");
        }
        for value in corridor_model::Objective::ALL {
            let line = format!("- {}:", value.as_str());
            assert!(text.contains(&line), "{cmd}: {line} missing in\n{text}");
            assert!(text.contains(value.help()), "{cmd}: {value} help missing");
        }
        assert!(text.contains("- json:"), "{cmd}: --format json missing");
    }
    let text = help("assign");
    for (method, what) in corridor_engine::answer::METHODS {
        assert!(text.contains(&format!("- {method}:")), "{method} missing");
        assert!(text.contains(what), "{method}: help missing");
    }
    for cmd in ["check", "info", "merge"] {
        assert!(
            help(cmd).contains("- json:"),
            "{cmd}: --format json missing"
        );
    }
}

/// Runs `route` on the grain example with `text` as a scenario file
/// `bad.toml` and returns stderr; the command must exit 1.
fn route_with_bad_scenario(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let out = corridor()
        .args([
            "route",
            "examples/grain-corridors",
            "--from",
            "vinnytsia",
            "--to",
            "gdansk",
            "--scenario",
        ])
        .arg(&path)
        .assert()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    // Messages name the file as given on the command line.
    stderr.replace(&path.display().to_string(), "bad.toml")
}

#[test]
fn scenario_values_out_of_range_are_refused_at_their_edit() {
    let cases = [
        (
            "[[edit]]\naction = \"close\"\ntag = \"pl-port\"\n\n[[edit]]\naction = \"set\"\nnode = \"odesa\"\nlat = 999\n",
            "bad.toml:8: edit 2 (set node \"odesa\"): lat: 999 is outside -90..90 (are lon and lat swapped?)",
        ),
        (
            "[[edit]]\naction = \"set\"\nlink = \"rail-kovel-dorohusk\"\ncapacity = -5\n",
            "bad.toml:4: edit 1 (set link \"rail-kovel-dorohusk\"): capacity: -5 must not be negative",
        ),
        (
            "[[edit]]\naction = \"set\"\nlink = \"rail-kovel-dorohusk\"\nspeed = nan\n",
            "bad.toml:4: edit 1 (set link \"rail-kovel-dorohusk\"): speed: \"NaN\" is not a number",
        ),
        (
            "[[edit]]\naction = \"add\"\nnode = \"atlantis\"\nlon = 200\nlat = 10\ncountry = \"XX\"\n",
            "bad.toml:4: edit 1 (add node \"atlantis\"): lon: 200 is outside -180..180",
        ),
    ];
    for (text, want) in cases {
        let stderr = route_with_bad_scenario(text);
        assert!(stderr.contains(want), "want {want}\nin {stderr}");
    }
}

#[test]
fn scenario_errors_left_in_the_network_name_the_edit_that_caused_them() {
    // Removing Hrubieszów takes the broad-gauge line to Sławków with it,
    // which leaves the Sławków terminal claiming a gauge no link there has.
    let stderr = route_with_bad_scenario(
        "[scenario]\nname = \"no-lhs\"\n\n[[edit]]\naction = \"close\"\ntag = \"pl-port\"\n\n[[edit]]\naction = \"remove\"\nnode = \"hrubieszow\"\n",
    );
    let want = "bad.toml:8: scenario \"no-lhs\": edit 2 (remove node \"hrubieszow\"): terminal \"terminal-slawkow-euroterminal\": connects: claims layer rail:1520 but node \"slawkow\" has no rail:1520 link (layers there: rail:1435) (at examples/grain-corridors/terminals.csv:10)";
    assert!(
        stderr.contains("the network after the scenarios has 1 error(s)"),
        "{stderr}"
    );
    assert!(stderr.contains(want), "want {want}\nin {stderr}");
    // A later edit that uses the removed node names itself.
    let stderr = route_with_bad_scenario(
        "[[edit]]\naction = \"remove\"\nnode = \"hrubieszow\"\n\n[[edit]]\naction = \"add\"\nlink = \"rail-new\"\nfrom = \"hrubieszow\"\nto = \"slawkow\"\nmode = \"rail\"\ngauge = 1520\n",
    );
    let want =
        "bad.toml:5: scenario \"bad\": edit 2 (add link \"rail-new\"): unknown node \"hrubieszow\"";
    assert!(stderr.contains(want), "want {want}\nin {stderr}");
}

#[test]
fn skim_writes_one_row_per_pair_and_locates_unknown_places() {
    let dir = tempfile::tempdir().unwrap();
    let origins = dir.path().join("origins.csv");
    std::fs::write(&origins, "place\nkyiv\n\n# a comment\nodesa\n").unwrap();
    let out = dir.path().join("m.csv");
    corridor()
        .args(["skim", "examples/triangle.toml", "--commodity", "grain"])
        .arg(format!("--from=@{}", origins.display()))
        .args(["--to", "gdansk,kyiv", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "from,to,cost,hours,km,co2_kg");
    assert_eq!(lines[1], "kyiv,gdansk,58.7,69.66666666666667,1130,24.1");
    assert_eq!(lines[2], "kyiv,kyiv,0,0,0,0");
    assert_eq!(lines.len(), 5);
    std::fs::write(&origins, "kyiv\natlantis\n").unwrap();
    corridor()
        .args(["skim", "examples/triangle.toml"])
        .arg(format!("--from=@{}", origins.display()))
        .args(["--to", "gdansk"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "origins.csv:2: unknown node \"atlantis\"",
        ));
    corridor()
        .args([
            "skim",
            "examples/triangle.toml",
            "--from",
            "kyiv",
            "--to",
            "gdansk,,odesa",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--to: place 2 of \"gdansk,,odesa\" is empty",
        ));
}
