//! Golden outputs: every command's text, JSON, GeoJSON and CSV on the
//! shipped examples and the committed TNTP fixtures, compared byte for byte
//! with the files under `tests/golden/` (timings and temporary paths
//! masked). They pin what users and scripts see, so a refactor that moves
//! code between crates cannot change an output unnoticed.
//!
//! After a deliberate change of output, regenerate with
//! `UPDATE_GOLDEN=1 cargo test -p corridor-cli --test golden` and review
//! the diff. Assignment outputs depend on floating-point order; they use
//! one thread so they do not depend on scheduling.

mod common;

use assert_cmd::Command;
use common::mask;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with the golden file `name`, or writes it when
/// `UPDATE_GOLDEN` is set.
fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n--- expected\n{}\n--- actual\n{}",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        );
    }
}

/// Runs `corridor ARGS` in the workspace root (`$TMP` in an argument is a
/// fresh temporary folder) and checks stdout as `NAME.stdout`, stderr as
/// `NAME.stderr` when not empty, the exit code, and each file of `files`
/// (relative to `$TMP`) as `NAME.FILE`.
fn case(name: &str, args: &[&str], code: i32, files: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let args: Vec<String> = args
        .iter()
        .map(|a| a.replace("$TMP", &tmp.path().display().to_string()))
        .collect();
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .current_dir(root())
        .env_remove("RUST_LOG")
        .args(&args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{name}: exit code\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    check(&format!("{name}.stdout"), &mask(&stdout, tmp.path()));
    if !stderr.is_empty() || golden_dir().join(format!("{name}.stderr")).exists() {
        check(&format!("{name}.stderr"), &mask(&stderr, tmp.path()));
    }
    for f in files {
        let text = std::fs::read_to_string(tmp.path().join(f))
            .unwrap_or_else(|e| panic!("{name}: {f}: {e}"));
        check(
            &format!("{name}.{}", f.replace('/', "-")),
            &mask(&text, tmp.path()),
        );
    }
}

const TRIANGLE: &str = "examples/triangle.toml";
const GRAIN: &str = "examples/grain-corridors";
const BRAESS: &str = "crates/corridor-cli/tests/data/tntp/braess_net.tntp";
const BRAESS_TRIPS: &str = "crates/corridor-cli/tests/data/tntp/braess_trips.tntp";
const GRID: &str = "crates/corridor-cli/tests/data/tntp/grid_net.tntp";
const GRID_TRIPS: &str = "crates/corridor-cli/tests/data/tntp/grid_trips.tntp";
const RESTORE: &str = "examples/grain-corridors/scenarios/restore-black-sea-ports.toml";
const COMBINATION: &str = "examples/grain-corridors/scenarios/combination.toml";
const GRAIN_FROM: &str = "vinnytsia,kropyvnytskyi,poltava,khmelnytskyi,ternopil";
const GRAIN_TO: &str = "gdansk,constanta,rotterdam";

#[test]
fn check_and_info() {
    for (name, net) in [("triangle", TRIANGLE), ("grain", GRAIN), ("braess", BRAESS)] {
        case(&format!("check-{name}"), &["check", net], 0, &[]);
        case(
            &format!("check-{name}-json"),
            &["check", net, "--json"],
            0,
            &[],
        );
        case(&format!("info-{name}"), &["info", net], 0, &[]);
        case(
            &format!("info-{name}-json"),
            &["info", net, "--format", "json"],
            0,
            &[],
        );
        // `--format json` and the older `--json` print the same bytes.
        case(
            &format!("check-{name}-json"),
            &["check", net, "--format", "json"],
            0,
            &[],
        );
    }
    let broken = "crates/corridor-cli/tests/data/broken.toml";
    case("check-broken", &["check", broken], 1, &[]);
    case("check-broken-json", &["check", broken, "--json"], 1, &[]);
    case("info-broken", &["info", broken], 1, &[]);
}

#[test]
fn route() {
    let base = [
        "route",
        TRIANGLE,
        "--from",
        "kyiv",
        "--to",
        "gdansk",
        "--commodity",
        "grain",
        "--tonnes",
        "1000",
    ];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    case("route", &with(&[]), 0, &[]);
    case("route-json", &with(&["--format", "json"]), 0, &[]);
    case("route-geojson", &with(&["--format", "geojson"]), 0, &[]);
    case("route-time", &with(&["--minimize", "time"]), 0, &[]);
    case(
        "route-generalised",
        &with(&["--minimize", "generalised"]),
        0,
        &[],
    );
    case("route-pareto", &with(&["--pareto"]), 0, &[]);
    case(
        "route-pareto-json",
        &with(&["--pareto", "--format", "json"]),
        0,
        &[],
    );
    case(
        "route-pareto-geojson",
        &with(&["--pareto", "--format", "geojson"]),
        0,
        &[],
    );
    case(
        "route-out",
        &with(&["--format", "json", "--out", "$TMP/route.json"]),
        0,
        &["route.json"],
    );
    case(
        "route-no-route",
        &[
            "route",
            TRIANGLE,
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--commodity",
            "fuel",
            "--avoid",
            "dorohusk",
        ],
        1,
        &[],
    );
    case(
        "route-unknown-node",
        &["route", TRIANGLE, "--from", "kyv", "--to", "gdansk"],
        1,
        &[],
    );
    case(
        "route-unknown-commodity",
        &[
            "route",
            TRIANGLE,
            "--from",
            "kyiv",
            "--to",
            "gdansk",
            "--commodity",
            "gold",
        ],
        1,
        &[],
    );
    case(
        "route-snapped",
        &[
            "route",
            TRIANGLE,
            "--from",
            "50.0,30.0",
            "--to",
            "Gdańsk port",
            "--format",
            "json",
        ],
        0,
        &[],
    );
    case(
        "route-snapped-text",
        &["route", TRIANGLE, "--from", "50.0,30.0", "--to", "GDANSK"],
        0,
        &[],
    );
    case(
        "route-grain-via-avoid",
        &[
            "route",
            GRAIN,
            "--from",
            "vinnytsia",
            "--to",
            "rotterdam",
            "--via",
            "gdansk",
            "--avoid",
            "RO",
            "--commodity",
            "grain",
            "--tonnes",
            "500",
        ],
        0,
        &[],
    );
    case(
        "route-grain-scenario",
        &[
            "route",
            GRAIN,
            "--from",
            "poltava",
            "--to",
            "constanta",
            "--scenario",
            RESTORE,
            "--format",
            "json",
        ],
        0,
        &[],
    );
}

#[test]
fn capacity_and_compare() {
    let q = [
        "--from",
        GRAIN_FROM,
        "--to",
        GRAIN_TO,
        "--commodity",
        "grain",
    ];
    let cap = |extra: &[&'static str]| -> Vec<&str> {
        ["capacity", GRAIN]
            .into_iter()
            .chain(q)
            .chain(extra.iter().copied())
            .collect()
    };
    case("capacity", &cap(&[]), 0, &[]);
    case("capacity-json", &cap(&["--format", "json"]), 0, &[]);
    case("capacity-geojson", &cap(&["--format", "geojson"]), 0, &[]);
    case(
        "capacity-scenario-time",
        &cap(&["--scenario", RESTORE, "--minimize", "time"]),
        0,
        &[],
    );
    case(
        "capacity-triangle-limits",
        &[
            "capacity",
            TRIANGLE,
            "--from",
            "kyiv=1 Mt/year",
            "--to",
            "Gdańsk port",
            "--format",
            "json",
        ],
        0,
        &[],
    );
    let cmp = |extra: &[&'static str]| -> Vec<&str> {
        ["compare", GRAIN]
            .into_iter()
            .chain(q)
            .chain(extra.iter().copied())
            .collect()
    };
    case("compare", &cmp(&["--scenario", RESTORE]), 0, &[]);
    case(
        "compare-json",
        &cmp(&["--scenario", RESTORE, "--format", "json"]),
        0,
        &[],
    );
    case(
        "compare-combination",
        &cmp(&["--scenario", COMBINATION]),
        0,
        &[],
    );
}

#[test]
fn assign_freight() {
    let a = |extra: &[&'static str]| -> Vec<&str> {
        [
            "assign",
            GRAIN,
            "--demand",
            "examples/grain-corridors/demand.csv",
            "--gap",
            "1e-6",
            "--threads",
            "1",
        ]
        .into_iter()
        .chain(extra.iter().copied())
        .collect()
    };
    case(
        "assign-grain",
        &a(&["--flows", "$TMP/flows.csv"]),
        0,
        &["flows.csv"],
    );
    case("assign-grain-json", &a(&["--format", "json"]), 0, &[]);
    case("assign-grain-geojson", &a(&["--format", "geojson"]), 0, &[]);
    case(
        "assign-grain-time-scenario",
        &a(&[
            "--minimize",
            "time",
            "--scenario",
            RESTORE,
            "--method",
            "cfw",
        ]),
        0,
        &[],
    );
    case("assign-grain-algb", &a(&["--method", "algb"]), 1, &[]);
    case("assign-grain-toll", &a(&["--toll-factor", "1"]), 1, &[]);
}

#[test]
fn assign_tntp() {
    for (name, net, trips) in [("braess", BRAESS, BRAESS_TRIPS), ("grid", GRID, GRID_TRIPS)] {
        let a = |extra: &[&'static str]| -> Vec<&str> {
            ["assign", net, "--demand", trips, "--threads", "1"]
                .into_iter()
                .chain(extra.iter().copied())
                .collect()
        };
        case(
            &format!("assign-{name}"),
            &a(&["--flows", "$TMP/flows.csv"]),
            0,
            &["flows.csv"],
        );
        case(
            &format!("assign-{name}-json"),
            &a(&["--format", "json", "--method", "algb", "--gap", "1e-8"]),
            0,
            &[],
        );
    }
    case(
        "import-tntp",
        &["import", "tntp", BRAESS, "--out", "$TMP/b"],
        0,
        &["b/links.csv", "b/demand.csv"],
    );
    case(
        "import-tntp-json",
        &[
            "import", "tntp", BRAESS, "--out", "$TMP/b", "--format", "json",
        ],
        0,
        &[],
    );
}

#[test]
fn import_merge_export() {
    case(
        "import-osm",
        &[
            "import",
            "osm",
            "data/osm/monaco.graphhopper.osm.gz",
            "--out",
            "$TMP/m",
        ],
        0,
        &[],
    );
    case(
        "import-sea",
        &[
            "import",
            "sea",
            "data/searoute/marnet_searoute.geojson",
            "--out",
            "$TMP/s",
        ],
        0,
        &[],
    );
    case(
        "import-osm-json",
        &[
            "import",
            "osm",
            "data/osm/monaco.graphhopper.osm.gz",
            "--out",
            "$TMP/m",
            "--format",
            "json",
        ],
        0,
        &[],
    );
    case(
        "import-ports",
        &[
            "import",
            "ports",
            "data/searoute/searoute_ports.geojson",
            "--out",
            "$TMP/p",
        ],
        0,
        &[],
    );
    case(
        "merge",
        &[
            "merge",
            TRIANGLE,
            GRAIN,
            "--out",
            "$TMP/merged",
            "--snap-km",
            "20",
        ],
        0,
        &[],
    );
    case(
        "merge-json",
        &[
            "merge",
            TRIANGLE,
            GRAIN,
            "--out",
            "$TMP/merged",
            "--snap-km",
            "20",
            "--format",
            "json",
        ],
        0,
        &[],
    );
    case(
        "export",
        &["export", TRIANGLE, "--out", "$TMP/t.geojson"],
        0,
        &["t.geojson"],
    );
}

#[test]
fn criticality_sweep_and_invest() {
    let q = [
        "--from",
        GRAIN_FROM,
        "--to",
        GRAIN_TO,
        "--commodity",
        "grain",
    ];
    let crit = |extra: &[&'static str]| -> Vec<&str> {
        ["criticality", GRAIN]
            .into_iter()
            .chain(q)
            .chain(extra.iter().copied())
            .collect()
    };
    case("criticality", &crit(&[]), 0, &[]);
    case("criticality-json", &crit(&["--format", "json"]), 0, &[]);
    case(
        "criticality-borders-csv",
        &crit(&["--elements", "borders,terminals", "--format", "csv"]),
        0,
        &[],
    );
    case(
        "criticality-scenario",
        &crit(&["--scenario", RESTORE, "--elements", "terminals"]),
        0,
        &[],
    );
    let scenarios = "examples/grain-corridors/scenarios/restore-black-sea-ports.toml,examples/grain-corridors/scenarios/close-polish-road-crossings.toml,examples/grain-corridors/scenarios/romanian-gauge-capacity.toml";
    let sweep = |extra: &[&'static str]| -> Vec<&str> {
        [
            "sweep",
            GRAIN,
            "--scenarios",
            scenarios,
            "--from",
            GRAIN_FROM,
            "--to",
            GRAIN_TO,
        ]
        .into_iter()
        .chain(extra.iter().copied())
        .collect()
    };
    case("sweep", &sweep(&["--commodity", "grain,fuel"]), 0, &[]);
    case(
        "sweep-grid-json",
        &sweep(&["--grid", "--commodity", "grain", "--format", "json"]),
        0,
        &[],
    );
    case(
        "sweep-grid-csv",
        &sweep(&["--grid", "--commodity", "grain", "--format", "csv"]),
        0,
        &[],
    );
    let invest = |extra: &[&'static str]| -> Vec<&str> {
        [
            "invest",
            GRAIN,
            "--projects",
            "examples/grain-corridors/projects.toml",
            "--budget",
            "200",
        ]
        .into_iter()
        .chain(q)
        .chain(extra.iter().copied())
        .collect()
    };
    case("invest", &invest(&[]), 0, &[]);
    case("invest-json", &invest(&["--format", "json"]), 0, &[]);
    case("invest-csv", &invest(&["--format", "csv"]), 0, &[]);
}

/// The built-in solver's answer: a build with HiGHS says `"solver":
/// "highs"` and may pick another optimum where the LP has several (its
/// own tests, `optimise_cli.rs`, check the objective instead).
#[cfg(not(feature = "highs"))]
#[test]
fn optimise_freight() {
    let a = |extra: &[&'static str]| -> Vec<&str> {
        [
            "optimise",
            GRAIN,
            "--demand",
            "examples/grain-corridors/demand.csv",
        ]
        .into_iter()
        .chain(extra.iter().copied())
        .collect()
    };
    case("optimise-grain-json", &a(&["--format", "json"]), 0, &[]);
    case(
        "optimise-grain-geojson",
        &a(&[
            "--format",
            "geojson",
            "--minimize",
            "cost",
            "--scenario",
            RESTORE,
        ]),
        0,
        &[],
    );
}

/// The skim matrix as JSON, the bytes the HTTP API (`POST .../skim`)
/// answers too (`crates/corridor-server/tests/api.rs` compares with this
/// file) and Python's `Network.skim` parses.
#[test]
fn skim_grain_json() {
    case(
        "skim-grain-json",
        &[
            "skim",
            GRAIN,
            "--from",
            GRAIN_FROM,
            "--to",
            GRAIN_TO,
            "--commodity",
            "grain",
            "--scenario",
            "examples/grain-corridors/scenarios/restore-black-sea-ports.toml",
            "--format",
            "json",
        ],
        0,
        &[],
    );
}
