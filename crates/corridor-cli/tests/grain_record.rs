//! The grain example against the record: `corridor assign` of the May 2022
//! demand on the corridors of May 2022 (`examples/grain-corridors/record/`)
//! splits exports between the Danube ports, the rail crossings and the road
//! crossings within ±25 % of the split the Ukrainian agriculture ministry
//! published (`record/published-split.csv`), and reopening the Black Sea
//! ports moves the split toward the pre-war pattern (nearly all by sea).
//!
//! The published figures are read from the CSV, not copied here, so the test
//! fails if the model drifts from them, or if someone edits the published
//! numbers without the model following. The model is calibrated only by
//! capacities, waiting times and closures in `record/may-2022.toml`, each
//! with its source in `sources.csv`; nothing here fixes a flow.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::PathBuf;

mod csv_text;
use csv_text::records;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/grain-corridors")
}

/// One row of `published-split.csv`: the elements whose flows make the
/// category, and the published share of the month's exports.
struct Published {
    category: String,
    elements: Vec<String>,
    tonnes: f64,
}

fn published() -> Vec<Published> {
    records(&example().join("record/published-split.csv"))
        .into_iter()
        .map(|r| Published {
            category: r["category"].clone(),
            elements: r["elements"].split(';').map(str::to_string).collect(),
            tonnes: r["published_t"].parse().unwrap(),
        })
        .collect()
}

/// What `assign --flows` of the May 2022 demand reports per element id
/// (`kind:id`-free: border and terminal ids are distinct in the example):
/// the flow and, where the element has one, the capacity, both t/day.
struct Assigned {
    flow: HashMap<String, f64>,
    capacity: HashMap<String, f64>,
}

/// Runs `corridor assign` of the May 2022 demand with these scenarios: the
/// one set-up every test of this file uses.
fn assign(scenarios: &[&str]) -> Assigned {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("flows.csv");
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.env_remove("RUST_LOG")
        .arg("assign")
        .arg(example())
        .arg("--demand")
        .arg(example().join("record/demand-2022-05.csv"))
        .arg("--flows")
        .arg(&out);
    for s in scenarios {
        c.arg("--scenario").arg(example().join(s));
    }
    c.assert().success();
    let rows = records(&out);
    let column = |name: &str| {
        rows.iter()
            .filter_map(|r| Some((r["id"].clone(), r[name].parse::<f64>().ok()?)))
            .collect()
    };
    Assigned {
        flow: column("flow"),
        capacity: column("capacity"),
    }
}

/// t/day by element id after `assign` with these scenarios.
fn flows(scenarios: &[&str]) -> HashMap<String, f64> {
    assign(scenarios).flow
}

fn demand_t_per_day() -> f64 {
    let text = std::fs::read_to_string(example().join("record/demand-2022-05.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

fn share(flows: &HashMap<String, f64>, elements: &[String], total: f64) -> f64 {
    elements
        .iter()
        .map(|e| *flows.get(e).unwrap_or_else(|| panic!("no element {e}")))
        .sum::<f64>()
        / total
}

const BLACK_SEA_PORTS: [&str; 3] = [
    "terminal-odesa-port",
    "terminal-chornomorsk-port",
    "terminal-pivdennyi-port",
];

#[test]
fn may_2022_split_is_within_25_percent_of_the_published_one() {
    let published = published();
    assert_eq!(published.len(), 3);
    let published_total: f64 = published.iter().map(|p| p.tonnes).sum();
    let total = demand_t_per_day();
    let f = flows(&["record/may-2022.toml"]);
    let mut modelled = 0.0;
    for p in &published {
        let want = p.tonnes / published_total;
        let got = share(&f, &p.elements, total);
        modelled += got;
        let diff = got / want - 1.0;
        assert!(
            diff.abs() <= 0.25,
            "{}: Corridor {:.1} % of exports, published {:.1} % ({:+.0} %)",
            p.category,
            100.0 * got,
            100.0 * want,
            100.0 * diff
        );
    }
    // Every tonne leaves by exactly one of the counted crossings: the
    // categories partition the exports, none is lost or counted twice.
    assert!(
        (modelled - 1.0).abs() < 1e-6,
        "categories sum to {modelled}"
    );
    // The demand is the published month: 1,720,489 t over 31 days.
    assert!((total * 31.0 / published_total - 1.0).abs() < 0.001);
}

#[test]
fn reopening_the_black_sea_ports_moves_the_split_toward_2021() {
    let published = published();
    let total = demand_t_per_day();
    let blockaded = flows(&["record/may-2022.toml"]);
    let restored = flows(&[
        "record/may-2022.toml",
        "scenarios/restore-black-sea-ports.toml",
    ]);
    let ports: Vec<String> = BLACK_SEA_PORTS.iter().map(|s| s.to_string()).collect();
    assert_eq!(share(&blockaded, &ports, total), 0.0);
    // Before the war nearly all grain left by the Black Sea ports: with
    // them open, most of the month's exports go back to them and no land or
    // river category grows.
    let sea = share(&restored, &ports, total);
    assert!(sea > 0.5, "Black Sea ports carry {:.1} %", 100.0 * sea);
    for p in &published {
        let before = share(&blockaded, &p.elements, total);
        let after = share(&restored, &p.elements, total);
        assert!(
            after <= before + 1e-9,
            "{}: {before} -> {after}",
            p.category
        );
    }
    let land_and_river: f64 = published
        .iter()
        .map(|p| share(&restored, &p.elements, total))
        .sum();
    assert!((sea + land_and_river - 1.0).abs() < 1e-6);
}

#[test]
fn background_traffic_leaves_grain_the_published_capacity_less_other_goods() {
    let base = assign(&[]).capacity;
    let reserved = assign(&["record/background-traffic.toml"]).capacity;
    // Every reserve of the scenario has its source row, and takes exactly
    // that many t/day (Mt/year over 365 days) off the base capacity.
    let rows: Vec<_> = records(&example().join("sources.csv"))
        .into_iter()
        .filter(|r| r["file"] == "record/background-traffic.toml")
        .collect();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert_eq!(r["status"], "derived", "{r:?}");
        assert_eq!(r["unit"], "Mt/year", "{r:?}");
        let id = &r["element"];
        let background = r["value"].parse::<f64>().unwrap() * 1e6 / 365.0;
        let (before, after) = (base[id], reserved[id]);
        assert!(
            (before - after - background).abs() < 1e-6 * before,
            "{id}: {before} -> {after}, background {background}"
        );
    }
    // Nothing else changes.
    for (id, c) in &base {
        if !rows.iter().any(|r| &r["element"] == id) {
            assert_eq!(reserved[id], *c, "{id}");
        }
    }
}

#[test]
fn every_figure_of_the_network_files_has_a_source_row() {
    let sources = records(&example().join("sources.csv"));
    let known: std::collections::HashSet<(String, String, String, String)> = sources
        .iter()
        .map(|r| {
            let value = format!("{} {}", r["value"], r["unit"]);
            (
                r["file"].clone(),
                r["element"].clone(),
                r["field"].clone(),
                value.trim().to_string(),
            )
        })
        .collect();
    for r in &sources {
        let status = r["status"].as_str();
        assert!(
            ["published", "derived", "estimate", "illustrative"].contains(&status),
            "{r:?}"
        );
        // A figure that claims a publication names it.
        if status == "published" || status == "derived" {
            assert!(r["url"].starts_with("https://"), "{r:?}");
            assert!(!r["publisher"].is_empty() && !r["date"].is_empty(), "{r:?}");
        }
    }
    let figures: [(&str, &[&str]); 4] = [
        ("nodes.csv", &["lon", "lat", "capacity"]),
        (
            "links.csv",
            &[
                "length",
                "speed",
                "hours",
                "cost_per_tkm",
                "co2_per_tkm",
                "capacity",
            ],
        ),
        (
            "terminals.csv",
            &["handling_cost", "hours", "co2_per_t", "capacity"],
        ),
        (
            "borders.csv",
            &[
                "dwell_road",
                "dwell_rail",
                "dwell_sea",
                "dwell_river",
                "fee_per_t",
                "capacity",
            ],
        ),
    ];
    let mut checked = 0;
    for (file, names) in figures {
        for row in records(&example().join(file)) {
            for name in names {
                let v = row[*name].trim();
                if v.is_empty() {
                    continue;
                }
                // Units as the network file writes them, the number alone
                // where it has none (the unit is then the field's).
                let key = (
                    file.to_string(),
                    row["id"].clone(),
                    name.to_string(),
                    v.to_string(),
                );
                let bare = v.parse::<f64>().is_ok();
                let found = known.contains(&key)
                    || (bare
                        && known.iter().any(|k| {
                            k.0 == key.0
                                && k.1 == key.1
                                && k.2 == key.2
                                && k.3.split(' ').next() == Some(v)
                        }));
                assert!(
                    found,
                    "{file} {} {name} = {v}: no row in sources.csv",
                    row["id"]
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "{checked} figures checked");
}
