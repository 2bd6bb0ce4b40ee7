//! One question, one answer on every face: each query below is written as
//! the JSON an HTTP client or a Python call would send, answered by
//! `corridor_engine::answer` and written by `corridor_io::report::json`,
//! and must give exactly the bytes the CLI printed for the same question
//! (the golden files `tests/golden/*-json.stdout`, timings masked).

use corridor_engine::answer;
use corridor_io::report;
use corridor_model::results::{CheckReport, IterationRecord};
use corridor_model::{
    AssignQuery, CapacityQuery, CompareQuery, DemandEntry, Network, RouteQuery, Scenario,
};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(rel: &str) -> Network {
    let mut net = corridor_io::read_network(&root().join(rel))
        .unwrap()
        .into_network()
        .unwrap();
    answer::ensure_commodity(&mut net).unwrap();
    net
}

/// What a server would load once: the grain example's scenarios by name.
fn grain_scenarios(net: &Network) -> Vec<Scenario> {
    ["restore-black-sea-ports", "combination"]
        .iter()
        .map(|n| {
            let p = root().join(format!("examples/grain-corridors/scenarios/{n}.toml"));
            corridor_io::read_scenario(&p, &net.vehicles).unwrap()
        })
        .collect()
}

/// The CLI's stdout for a golden case, as the library returns it (the CLI
/// adds the final newline).
fn golden(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.stdout"));
    let text = std::fs::read_to_string(&p).unwrap();
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

/// Timings as the golden files mask them: the number after each
/// `"seconds":` becomes `0` (textually: parsing and printing the JSON again
/// could move other numbers by an ulp).
fn mask_seconds(json: &str) -> String {
    let key = "\"seconds\": ";
    let mut out = String::new();
    let mut rest = json;
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(rest.len());
        out.push('0');
        rest = &rest[n..];
    }
    out.push_str(rest);
    out
}

/// Asserts equal text, showing the first line that differs.
fn same(actual: &str, expected: &str) {
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "differs at line {}:\n  library: {}\n  CLI:     {}",
            line + 1,
            actual.lines().nth(line).unwrap_or("<end>"),
            expected.lines().nth(line).unwrap_or("<end>")
        );
    }
}

fn route(net: &str, scenarios: &[Scenario], body: &str) -> String {
    let base = load(net);
    let q: RouteQuery = serde_json::from_str(body).unwrap();
    let net = answer::with_scenarios(&base, scenarios, &q.scenarios).unwrap();
    report::json(&answer::route(&net, &q).unwrap()).unwrap()
}

#[test]
fn routes_match_the_cli() {
    let kyiv_gdansk = r#""from": "kyiv", "to": "gdansk", "commodity": "grain", "tonnes": 1000"#;
    same(
        &route("examples/triangle.toml", &[], &format!("{{{kyiv_gdansk}}}")),
        &golden("route-json"),
    );
    same(
        &route(
            "examples/triangle.toml",
            &[],
            &format!("{{{kyiv_gdansk}, \"pareto\": true}}"),
        ),
        &golden("route-pareto-json"),
    );
    same(
        &route(
            "examples/triangle.toml",
            &[],
            r#"{"from": "50.0,30.0", "to": "Gdańsk port"}"#,
        ),
        &golden("route-snapped"),
    );
    let grain = load("examples/grain-corridors");
    same(
        &route(
            "examples/grain-corridors",
            &grain_scenarios(&grain),
            r#"{"from": "poltava", "to": "constanta", "scenarios": ["restore-black-sea-ports"]}"#,
        ),
        &golden("route-grain-scenario"),
    );
}

#[test]
fn capacity_and_compare_match_the_cli() {
    let base = load("examples/grain-corridors");
    let body = r#""from": ["vinnytsia", "kropyvnytskyi", "poltava", "khmelnytskyi", "ternopil"],
        "to": ["gdansk", "constanta", "rotterdam"], "commodity": "grain""#;
    let q: CapacityQuery = serde_json::from_str(&format!("{{{body}}}")).unwrap();
    let r = answer::capacity(&base, &q).unwrap();
    same(&report::json(&r).unwrap(), &golden("capacity-json"));

    let q: CompareQuery = serde_json::from_str(&format!(
        "{{{body}, \"scenarios\": [\"restore-black-sea-ports\"]}}"
    ))
    .unwrap();
    let r = answer::compare(&base, &grain_scenarios(&base), &q).unwrap();
    same(&report::json(&r).unwrap(), &golden("compare-json"));

    // A limit in planners' units is a number of t/day in JSON.
    let triangle = load("examples/triangle.toml");
    let limit = corridor_io::units::parse_capacity("1 Mt/year", &triangle.vehicles).unwrap();
    let q: CapacityQuery = serde_json::from_str(&format!(
        r#"{{"from": [{{"place": "kyiv", "limit": {limit}}}], "to": ["Gdańsk port"]}}"#
    ))
    .unwrap();
    let r = answer::capacity(&triangle, &q).unwrap();
    same(
        &report::json(&r).unwrap(),
        &golden("capacity-triangle-limits"),
    );
}

#[test]
fn assignment_with_inline_demand_matches_the_cli_reading_a_file() {
    let net = load("examples/grain-corridors");
    let text = std::fs::read_to_string(root().join("examples/grain-corridors/demand.csv")).unwrap();
    let demand: Vec<DemandEntry> = text
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            DemandEntry {
                origin: c[0].into(),
                destination: c[1].into(),
                commodity: Some(c[2].into()),
                amount: c[3].parse().unwrap(),
            }
        })
        .collect();
    let body = serde_json::json!({"demand": demand, "gap": 1e-6, "threads": 1}).to_string();
    let q: AssignQuery = serde_json::from_str(&body).unwrap();
    let mut quiet = |_: &IterationRecord| {};
    let r = answer::assign(&net, &q, &mut quiet).unwrap();
    same(
        &mask_seconds(&report::json(&r).unwrap()),
        &golden("assign-grain-json"),
    );
}

#[test]
fn check_matches_the_cli() {
    let rel = "examples/triangle.toml";
    let loaded = corridor_io::read_network(&root().join(rel)).unwrap();
    let r = CheckReport::new(rel, &loaded.network, &loaded.diagnostics);
    same(&report::json(&r).unwrap(), &golden("check-triangle-json"));
}

#[test]
fn unknown_scenarios_and_places_name_the_field() {
    let base = load("examples/grain-corridors");
    let e = answer::with_scenarios(&base, &grain_scenarios(&base), &["restore".to_string()])
        .unwrap_err();
    match e {
        corridor_engine::Error::InvalidQuery { field, message } => {
            assert_eq!(field, "scenarios");
            assert!(message.contains("restore-black-sea-ports"), "{message}");
        }
        other => panic!("{other}"),
    }
    let q = RouteQuery::new("kyiv", "atlantis");
    match answer::route(&base, &q).unwrap_err() {
        corridor_engine::Error::InvalidQuery { field, message } => {
            assert_eq!(field, "to");
            assert_eq!(message, "unknown node \"atlantis\"");
        }
        other => panic!("{other}"),
    }
}

fn scenario_files(net: &Network, rels: &[&str]) -> Vec<Scenario> {
    rels.iter()
        .map(|r| corridor_io::read_scenario(&root().join(r), &net.vehicles).unwrap())
        .collect()
}

/// The sweeps as a server or Python asks them, whole and in parts that
/// workers (Ray tasks) answer separately and the library merges: the
/// same bytes as the CLI either way.
#[test]
fn criticality_sweep_and_invest_match_the_cli_whole_and_in_parts() {
    use corridor_model::{CriticalityQuery, InvestQuery, Part, SweepQuery};
    let base = load("examples/grain-corridors");
    let body = r#""from": ["vinnytsia", "kropyvnytskyi", "poltava", "khmelnytskyi", "ternopil"],
        "to": ["gdansk", "constanta", "rotterdam"]"#;

    let q: CriticalityQuery =
        serde_json::from_str(&format!("{{{body}, \"commodity\": \"grain\"}}")).unwrap();
    let whole = answer::criticality(&base, &q, &Default::default()).unwrap();
    same(&report::json(&whole).unwrap(), &golden("criticality-json"));
    let parts = (0..4)
        .map(|index| {
            let q = CriticalityQuery {
                part: Some(Part { index, of: 4 }),
                threads: Some(1),
                ..q.clone()
            };
            answer::criticality(&base, &q, &Default::default()).unwrap()
        })
        .collect();
    let merged = answer::merge_criticality(parts).unwrap();
    same(&report::json(&merged).unwrap(), &golden("criticality-json"));

    let scenarios = scenario_files(
        &base,
        &[
            "examples/grain-corridors/scenarios/restore-black-sea-ports.toml",
            "examples/grain-corridors/scenarios/close-polish-road-crossings.toml",
            "examples/grain-corridors/scenarios/romanian-gauge-capacity.toml",
        ],
    );
    let q: SweepQuery = serde_json::from_str(&format!(
        r#"{{{body}, "commodities": ["grain"], "grid": true, "scenarios": ["restore-black-sea-ports", "close-polish-road-crossings", "romanian-gauge-capacity"]}}"#
    ))
    .unwrap();
    let whole = answer::sweep(&base, &scenarios, &q, &Default::default()).unwrap();
    same(&report::json(&whole).unwrap(), &golden("sweep-grid-json"));
    let parts = (0..3)
        .rev()
        .map(|index| {
            let q = SweepQuery {
                part: Some(Part { index, of: 3 }),
                ..q.clone()
            };
            answer::sweep(&base, &scenarios, &q, &Default::default()).unwrap()
        })
        .collect();
    let merged = answer::merge_sweep(parts).unwrap();
    same(&report::json(&merged).unwrap(), &golden("sweep-grid-json"));

    let file =
        corridor_io::read_projects(&root().join("examples/grain-corridors/projects.toml")).unwrap();
    let paths: Vec<String> = file
        .projects
        .iter()
        .map(|p| p.scenario.display().to_string())
        .collect();
    let catalogue: Vec<Scenario> = paths
        .iter()
        .map(|p| corridor_io::read_scenario(Path::new(p), &base.vehicles).unwrap())
        .collect();
    let projects: Vec<serde_json::Value> = file
        .projects
        .iter()
        .zip(&catalogue)
        .map(|(p, s)| serde_json::json!({"name": p.name, "scenario": s.name, "cost": p.cost, "note": p.note}))
        .collect();
    let q: InvestQuery = serde_json::from_str(&format!(
        r#"{{{body}, "commodity": "grain", "budget": 200, "cost_unit": "million EUR", "projects": {}}}"#,
        serde_json::Value::from(projects)
    ))
    .unwrap();
    let r = answer::invest(&base, &catalogue, &q, &Default::default()).unwrap();
    same(&report::json(&r).unwrap(), &golden("invest-json"));
}

/// The long questions count their units on the asker's `Progress` (what
/// the server's jobs show) and, cancelled, answer `Cancelled` without
/// running a unit: each checks before every element, row or set, so a
/// handle cancelled beforehand stops them at the first.
#[test]
fn long_questions_count_their_units_and_stop_when_cancelled() {
    use corridor_engine::{Error, Progress};
    use corridor_model::{CriticalityQuery, InvestQuery, SweepQuery};
    let base = load("examples/grain-corridors");
    let body = r#""from": ["vinnytsia", "poltava"], "to": ["gdansk", "constanta"]"#;
    let cancelled = || {
        let p = Progress::default();
        p.cancel();
        p
    };
    let crit: CriticalityQuery =
        serde_json::from_str(&format!("{{{body}, \"elements\": [\"terminals\"]}}")).unwrap();
    let p = Progress::default();
    let r = answer::criticality(&base, &crit, &p).unwrap();
    let n = r.elements.len();
    assert!(n > 3, "{n} terminals");
    assert_eq!(p.done(), (n, Some(n)));
    let p = cancelled();
    assert!(matches!(
        answer::criticality(&base, &crit, &p),
        Err(Error::Cancelled)
    ));
    assert_eq!(p.done(), (0, Some(n)));

    let scenarios = scenario_files(
        &base,
        &[
            "examples/grain-corridors/scenarios/restore-black-sea-ports.toml",
            "examples/grain-corridors/scenarios/romanian-gauge-capacity.toml",
        ],
    );
    let sweep: SweepQuery = serde_json::from_str(&format!(
        r#"{{{body}, "grid": true, "scenarios": ["restore-black-sea-ports", "romanian-gauge-capacity"]}}"#
    ))
    .unwrap();
    let p = Progress::default();
    assert_eq!(
        answer::sweep(&base, &scenarios, &sweep, &p)
            .unwrap()
            .rows
            .len(),
        4
    );
    assert_eq!(p.done(), (4, Some(4)));
    let p = cancelled();
    assert!(matches!(
        answer::sweep(&base, &scenarios, &sweep, &p),
        Err(Error::Cancelled)
    ));
    assert_eq!(p.done(), (0, Some(4)));

    let invest: InvestQuery = serde_json::from_str(&format!(
        r#"{{{body}, "budget": 10, "projects": [
            {{"name": "a", "scenario": "restore-black-sea-ports", "cost": 5}},
            {{"name": "b", "scenario": "romanian-gauge-capacity", "cost": 5}}]}}"#
    ))
    .unwrap();
    let p = Progress::default();
    let r = answer::invest(&base, &scenarios, &invest, &p).unwrap();
    assert_eq!(p.done(), (r.best.evaluated, None));
    let p = cancelled();
    assert!(matches!(
        answer::invest(&base, &scenarios, &invest, &p),
        Err(Error::Cancelled)
    ));
    assert_eq!(p.done(), (0, None));
}
