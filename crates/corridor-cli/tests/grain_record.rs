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
use std::path::{Path, PathBuf};

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
    let scenarios: Vec<PathBuf> = scenarios.iter().map(|s| example().join(s)).collect();
    run(&Run {
        scenarios,
        ..Run::may()
    })
}

/// One run of the CLI on a variant of the record month.
struct Run {
    example: PathBuf,
    demand: PathBuf,
    scenarios: Vec<PathBuf>,
    /// `assign` or `optimise`.
    command: &'static str,
    extra: Vec<&'static str>,
}

impl Run {
    /// The record as shipped: the May 2022 demand on the May 2022 file.
    fn may() -> Run {
        Run {
            example: example(),
            demand: example().join("record/demand-2022-05.csv"),
            scenarios: vec![example().join("record/may-2022.toml")],
            command: "assign",
            extra: Vec::new(),
        }
    }
}

/// The flows (`--flows`) of one run.
fn run(r: &Run) -> Assigned {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("flows.csv");
    let mut c = Command::cargo_bin("corridor").unwrap();
    c.env_remove("RUST_LOG")
        .arg(r.command)
        .arg(&r.example)
        .arg("--demand")
        .arg(&r.demand)
        .arg("--flows")
        .arg(&out)
        .args(&r.extra);
    for s in &r.scenarios {
        c.arg("--scenario").arg(s);
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

/// A file of the example and how to rewrite its text.
type FileEdit<'a> = (&'a str, &'a dyn Fn(&str) -> String);

/// The example copied to a scratch folder with some files' text edited:
/// for the variants a scenario cannot express (a commodity's value of
/// time, the modes' waiting costs).
fn edited_example(dir: &Path, edits: &[FileEdit]) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    let to = dir.join("grain-corridors");
    copy(&example(), &to);
    for (file, edit) in edits {
        let text = std::fs::read_to_string(to.join(file)).unwrap();
        std::fs::write(to.join(file), edit(&text)).unwrap();
    }
    to
}

/// `commodities.csv` with grain's value of time set to `v`.
fn grain_value_of_time(v: f64) -> impl Fn(&str) -> String {
    move |text: &str| {
        text.lines()
            .map(|l| match l.strip_prefix("grain,bulk,") {
                Some(rest) => {
                    let tail = rest.split_once(',').map_or("", |t| t.1);
                    format!("grain,bulk,{v},{tail}")
                }
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }
}

/// A scenario file of these edits, written to `dir`.
fn scenario(dir: &Path, name: &str, edits: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, format!("[scenario]\nname = \"{name}\"\n{edits}")).unwrap();
    path
}

/// The May file without its spring-2022 capacities: its events and waits
/// on the base network's 2022-23 capacities.
fn may_events_only(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(example().join("record/may-2022.toml")).unwrap();
    let mut blocks = text.split("[[edit]]");
    let mut out = blocks.next().unwrap().to_string();
    for b in blocks {
        if !b.lines().any(|l| l.starts_with("capacity = ")) {
            out += "[[edit]]";
            out += b;
        }
    }
    let path = dir.join("may-events.toml");
    std::fs::write(&path, out).unwrap();
    path
}

/// The May demand with each elevator's total shared between the markets
/// (Bosporus, Rotterdam, Sławków) in these proportions.
fn demand_with_markets(dir: &Path, shares: [f64; 3]) -> PathBuf {
    let rows = records(&example().join("record/demand-2022-05.csv"));
    let mut by_origin: Vec<(String, f64)> = Vec::new();
    for r in &rows {
        let t: f64 = r["t_per_day"].parse().unwrap();
        match by_origin.iter_mut().find(|o| o.0 == r["origin"]) {
            Some(o) => o.1 += t,
            None => by_origin.push((r["origin"].clone(), t)),
        }
    }
    let mut out = String::from("origin,destination,commodity,t_per_day\n");
    for (origin, t) in &by_origin {
        for (market, s) in ["bosporus", "rotterdam", "slawkow"].iter().zip(shares) {
            out += &format!("{origin},{market},grain,{:.0}\n", t * s);
        }
    }
    let path = dir.join(format!("demand-{shares:?}.csv"));
    std::fs::write(&path, out).unwrap();
    path
}

/// Each published category's share of a run's exports.
fn shares_of(r: &Run) -> Vec<f64> {
    let flow = run(r).flow;
    let total: f64 = records(&r.demand)
        .iter()
        .map(|d| d["t_per_day"].parse::<f64>().unwrap())
        .sum();
    published()
        .iter()
        .map(|p| share(&flow, &p.elements, total))
        .collect()
}

/// A table row `| label | 34.9 | 51.4 | 13.7 |`, a share in bold where it
/// is more than 25 % off the published one.
fn share_row(label: &str, shares: &[f64], published: &[f64]) -> String {
    let cells: Vec<String> = shares
        .iter()
        .zip(published)
        .map(|(s, p)| {
            let v = format!("{:.1}", 100.0 * s);
            if (s / p - 1.0).abs() > 0.25 {
                format!("**{v}**")
            } else {
                v
            }
        })
        .collect();
    format!("| {label} | {} |", cells.join(" | "))
}

/// `1,720,489`.
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `+11.1 %` or `−24.7 %` (a minus sign, as the README prints it).
fn signed_percent(x: f64) -> String {
    let v = format!("{:+.1} %", 100.0 * x);
    v.replacen('-', "\u{2212}", 1)
}

/// `0 %` or `71.6 %`.
fn percent(x: f64) -> String {
    if x.abs() < 5e-4 {
        "0 %".to_string()
    } else {
        format!("{:.1} %", 100.0 * x)
    }
}

/// The rows of the record table and of the ports-restored table (whose
/// pre-war column is prose's).
fn record_rows() -> Vec<String> {
    let published = published();
    let published_total: f64 = published.iter().map(|p| p.tonnes).sum();
    let mut want: Vec<String> = Vec::new();
    let days = 31.0;
    let total = demand_t_per_day();
    let shipped = shares_of(&Run::may());
    let labels = [
        ("danube-ports", "Danube ports (Sulina, Reni–Galați)"),
        ("rail-crossings", "rail crossings (Poland, Romania)"),
        ("road-crossings", "road crossings (Poland, Romania)"),
    ];
    for ((p, s), (category, label)) in published.iter().zip(&shipped).zip(labels) {
        assert_eq!(p.category, category);
        let want_share = p.tonnes / published_total;
        want.push(format!(
            "| {label} | {} | {:.1} % | {} | {:.1} % | {} |",
            thousands(p.tonnes),
            100.0 * want_share,
            thousands((s * total * days / 100.0).round() * 100.0),
            100.0 * s,
            signed_percent(s / want_share - 1.0),
        ));
    }
    want.push(format!(
        "| total | {} | | {} | | |",
        thousands(published_total),
        thousands((total * days / 100.0).round() * 100.0)
    ));

    // The ports restored, beside the blockaded month (the pre-war column
    // is prose's).
    let restored_flow = flows(&[
        "record/may-2022.toml",
        "scenarios/restore-black-sea-ports.toml",
    ]);
    let ports: Vec<String> = BLACK_SEA_PORTS.iter().map(|s| s.to_string()).collect();
    want.push(format!(
        "| Black Sea ports | 0 % | 0 % | {} |",
        percent(share(&restored_flow, &ports, total))
    ));
    for ((p, s), label) in
        published
            .iter()
            .zip(&shipped)
            .zip(["Danube ports", "rail crossings", "road crossings"])
    {
        want.push(format!(
            "| {label} | {:.1} % | {:.1} % | {} |",
            100.0 * p.tonnes / published_total,
            100.0 * s,
            percent(share(&restored_flow, &p.elements, total))
        ));
    }

    want
}

/// The variants of the table "What is uncertain": one change at a time.
fn one_at_a_time(d: &Path) -> Vec<(&'static str, Run)> {
    let may = example().join("record/may-2022.toml");
    let with = |extra: PathBuf| Run {
        scenarios: vec![may.clone(), extra],
        ..Run::may()
    };
    let vot = |v: f64, name: &str| {
        let f = grain_value_of_time(v);
        Run {
            example: edited_example(&d.join(name), &[("commodities.csv", &f)]),
            ..Run::may()
        }
    };
    let wagons = |days: &str| {
        let edits = ["pl-rail-crossing", "ro-rail-crossing"]
            .map(|t| {
                format!(
                    "[[edit]]\naction = \"set\"\nkind = \"border\"\ntag = \"{t}\"\ndwell_hours = \"{days}\"\n"
                )
            })
            .concat();
        with(scenario(d, &format!("wagons-{days}"), &edits))
    };
    let sulina = |days: &str| {
        with(scenario(
            d,
            &format!("sulina-{days}"),
            &format!(
                "[[edit]]\naction = \"set\"\nborder = \"border-sulina\"\n\"dwell_hours.sea\" = \"{days}\"\n"
            ),
        ))
    };
    let markets = |shares: [f64; 3]| Run {
        demand: demand_with_markets(d, shares),
        ..Run::may()
    };
    vec![
        ("as shipped", Run::may()),
        (
            "Danube transshipment at the base's illustrative 7 EUR/t instead of May 2022's published EUR 20/t",
            with(scenario(
                d,
                "danube-7",
                "[[edit]]\naction = \"set\"\nkind = \"terminal\"\ntag = \"danube-ports\"\ncost = 7\n",
            )),
        ),
        (
            "grain value of time 0.05 EUR per t per h instead of 0.044",
            vot(0.05, "vot-005"),
        ),
        (
            "grain value of time 0.19 (a sea-going ship's hour) for every mode",
            vot(0.19, "vot-019"),
        ),
        (
            "grain value of time 0.5 (a truck's hour) for every mode",
            vot(0.5, "vot-05"),
        ),
        ("Sulina wait 7 d instead of 8.5 d", sulina("7 d")),
        ("Sulina wait 10 d instead of 8.5 d", sulina("10 d")),
        (
            "wagon wait at the EU border 12 d instead of 16 d",
            wagons("12 d"),
        ),
        (
            "wagon wait at the EU border 20 d instead of 16 d",
            wagons("20 d"),
        ),
        (
            "truck wait at the Polish border 40 h instead of 80 h",
            with(scenario(
                d,
                "trucks-40",
                "[[edit]]\naction = \"set\"\nkind = \"border\"\ntag = \"pl-road-crossing\"\ndwell_hours = \"40 h\"\n",
            )),
        ),
        (
            "road crossings' fee 4.3 EUR/t (the rail crossings' per-consignment estimate over a 25 t truck) instead of the illustrative 2",
            with(scenario(
                d,
                "road-fee",
                &["pl-road-crossing", "ro-road-crossing"]
                    .map(|t| {
                        format!(
                            "[[edit]]\naction = \"set\"\nkind = \"border\"\ntag = \"{t}\"\nfee = 4.3\n"
                        )
                    })
                    .concat(),
            )),
        ),
        (
            "markets 65 / 15 / 20 % (Bosporus / Rotterdam / Sławków) instead of 55 / 20 / 25 %",
            markets([0.65, 0.15, 0.20]),
        ),
        ("markets 45 / 25 / 30 %", markets([0.45, 0.25, 0.30])),
    ]
}

/// The variants of the table "Other ways to model the month".
fn other_models(d: &Path) -> Vec<(&'static str, Run)> {
    // The modes' waiting costs (EUR per t per h): rail a wagon's hire,
    // road a truck's idle day, sea the Sulina queue's demurrage; grain
    // then keeps only the cargo's interest.
    let waiting = |name: &str, rail: f64, road: f64, sea: f64| {
        let network = move |text: &str| {
            let mut out = text.to_string();
            for (mode, v) in [("rail", rail), ("road", road), ("sea", sea)] {
                if v > 0.0 {
                    out += &format!("defaults.{mode}.waiting_cost,{v}\n");
                }
            }
            out
        };
        let cargo_only = grain_value_of_time(0.0028);
        Run {
            example: edited_example(
                &d.join(name),
                &[("network.csv", &network), ("commodities.csv", &cargo_only)],
            ),
            extra: vec!["--max-iter", "8000"],
            ..Run::may()
        }
    };
    vec![
        (
            "as shipped (soft capacities, one value of time)",
            Run::may(),
        ),
        (
            "the base's 2022–23 capacities (the May file without its spring capacities)",
            Run {
                scenarios: vec![may_events_only(d)],
                ..Run::may()
            },
        ),
        (
            "the same less the other goods' share (`record/background-traffic.toml`)",
            Run {
                scenarios: vec![
                    may_events_only(d),
                    example().join("record/background-traffic.toml"),
                ],
                ..Run::may()
            },
        ),
        (
            "a waiting cost per mode (rail 0.0416, road 0.174, sea 0.054 EUR per t per h; grain 0.0028)",
            waiting("waiting", 0.0416, 0.174, 0.054),
        ),
        (
            "the same for rail and sea only (road's in its freight rate)",
            waiting("waiting-rail-sea", 0.0416, 0.0, 0.054),
        ),
        (
            "the same for rail only (road's and sea's in their freight rates)",
            waiting("waiting-rail", 0.0416, 0.0, 0.0),
        ),
        (
            "hard capacities (`corridor optimise`)",
            Run {
                command: "optimise",
                ..Run::may()
            },
        ),
    ]
}

/// The rows of the status counts of `sources.csv`.
fn status_rows() -> Vec<String> {
    let mut want = Vec::new();
    let sources = records(&example().join("sources.csv"));
    for status in ["published", "derived", "estimate", "illustrative"] {
        let n = sources.iter().filter(|r| r["status"] == status).count();
        want.push(format!("| `{status}` | {n} |"));
    }
    want.push(format!("| total | {} |", sources.len()));

    want
}

/// The tables of the example README's record section are what the model
/// gives now: a figure edited in the data without the README following
/// (or the other way round) fails here, with the rows the README should
/// have.
#[test]
fn the_readme_record_tables_are_what_the_model_gives() {
    let readme = std::fs::read_to_string(example().join("README.md")).unwrap();
    let published = published();
    let published_total: f64 = published.iter().map(|p| p.tonnes).sum();
    let pub_shares: Vec<f64> = published
        .iter()
        .map(|p| p.tonnes / published_total)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut want = record_rows();
    for (label, r) in one_at_a_time(dir.path())
        .iter()
        .chain(&other_models(dir.path()))
    {
        want.push(share_row(label, &shares_of(r), &pub_shares));
    }
    want.extend(status_rows());
    let missing: Vec<&String> = want
        .iter()
        .filter(|w| !readme.lines().any(|l| l.starts_with(w.as_str())))
        .collect();
    assert!(
        missing.is_empty(),
        "examples/grain-corridors/README.md lacks these rows (or has other numbers in them):\n{}",
        missing
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
