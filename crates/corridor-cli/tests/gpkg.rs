//! `--format gpkg` end to end on the shipped examples: `export`, `route`,
//! `capacity`, `compare` and `assign` write a GeoPackage that GDAL opens
//! (Debian `gdal-bin`'s `ogrinfo`), with the layers, the feature counts
//! and a geometry that the same command's JSON or GeoJSON implies. Without
//! `ogrinfo` these tests skip locally and fail when `CI=true` (`.ci/run`
//! installs it). The refusals (no `--out`, a network without coordinates)
//! need no GDAL.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
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
const RESTORE: &str = "examples/grain-corridors/scenarios/restore-black-sea-ports.toml";

/// Whether GDAL's `ogrinfo` runs here; under CI its absence is a failure.
fn have_ogrinfo() -> bool {
    let found = std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "CI=true but ogrinfo is missing (apt-get install gdal-bin)"
        );
        eprintln!("skipping: ogrinfo not found (apt-get install gdal-bin)");
    }
    found
}

fn ogrinfo(args: &[&str]) -> String {
    let out = std::process::Command::new("ogrinfo")
        .args(["-ro"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ogrinfo {args:?}: {stderr}");
    // GDAL warns on stderr about files it reads with doubt.
    assert!(
        !stderr.contains("Warning") && !stderr.contains("ERROR"),
        "ogrinfo {args:?}: {stderr}"
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A layer as GDAL lists it.
#[derive(Debug, PartialEq)]
struct Layer {
    geometry: String,
    count: usize,
    /// `name: Type` lines of its fields.
    fields: Vec<String>,
}

/// Every layer of a GeoPackage, in the file's order, as GDAL reads it.
fn layers(path: &Path) -> Vec<(String, Layer)> {
    let text = ogrinfo(&["-so", "-al", path.to_str().unwrap()]);
    let mut out: Vec<(String, Layer)> = Vec::new();
    let mut in_fields = false;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("Layer name: ") {
            out.push((
                name.to_string(),
                Layer {
                    geometry: String::new(),
                    count: 0,
                    fields: Vec::new(),
                },
            ));
            in_fields = false;
        } else if let Some((_, l)) = out.last_mut().map(|(n, l)| (n, l)) {
            if let Some(g) = line.strip_prefix("Geometry: ") {
                l.geometry = g.to_string();
            } else if let Some(c) = line.strip_prefix("Feature Count: ") {
                l.count = c.trim().parse().unwrap();
            } else if line.starts_with("FID Column") {
                in_fields = true;
            } else if in_fields
                && !line.starts_with("Geometry Column")
                && let Some((name, ty)) = line.split_once(": ")
            {
                let ty = ty.split(" (").next().unwrap_or(ty);
                l.fields.push(format!("{name}: {ty}"));
            }
        }
    }
    out
}

fn names(layers: &[(String, Layer)]) -> Vec<&str> {
    layers.iter().map(|(n, _)| n.as_str()).collect()
}

fn layer<'a>(layers: &'a [(String, Layer)], name: &str) -> &'a Layer {
    &layers.iter().find(|(n, _)| n == name).unwrap().1
}

/// The first position of feature `fid` of `layer`, as GDAL reads it.
fn first_position(path: &Path, layer: &str, fid: usize) -> [f64; 2] {
    let text = ogrinfo(&[
        "-q",
        path.to_str().unwrap(),
        layer,
        "-fid",
        &fid.to_string(),
    ]);
    let wkt = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("POINT (") || l.starts_with("MULTILINESTRING (("))
        .unwrap_or_else(|| panic!("no geometry in {text}"));
    let inner = wkt[wkt.find('(').unwrap()..].trim_start_matches('(');
    position(inner.split([',', ')']).next().unwrap())
}

/// `x y` of a WKT position.
fn position(wkt: &str) -> [f64; 2] {
    let xy: Vec<f64> = wkt.split_whitespace().map(|v| v.parse().unwrap()).collect();
    [xy[0], xy[1]]
}

/// Every feature's MultiLineString in `layer`, in feature order, as its
/// parts of (lon, lat) positions, as GDAL reads them.
fn multi_lines(path: &Path, layer: &str) -> Vec<Vec<Vec<[f64; 2]>>> {
    let text = ogrinfo(&["-q", path.to_str().unwrap(), layer]);
    text.lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("MULTILINESTRING (("))
        .map(|rest| {
            rest.trim_end_matches("))")
                .split("),(")
                .map(|part| part.split(',').map(position).collect())
                .collect()
        })
        .collect()
}

/// A GeoJSON line's parts: one for a LineString.
fn geojson_parts(feature: &Value) -> Vec<Vec<[f64; 2]>> {
    let g = &feature["geometry"];
    let part = |c: &Value| -> Vec<[f64; 2]> {
        c.as_array()
            .unwrap()
            .iter()
            .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
            .collect()
    };
    match g["type"].as_str() {
        Some("LineString") => vec![part(&g["coordinates"])],
        Some("MultiLineString") => g["coordinates"]
            .as_array()
            .unwrap()
            .iter()
            .map(part)
            .collect(),
        other => panic!("not a line: {other:?}"),
    }
}

/// Checks that GDAL's lines are the GeoJSON map's (the same split), every
/// part inside [−180, 180] with no step over 180° of longitude; returns how
/// many have more than one part.
fn same_split_lines(gpkg: &[Vec<Vec<[f64; 2]>>], map: &[&Value]) -> usize {
    assert_eq!(gpkg.len(), map.len());
    for (got, f) in gpkg.iter().zip(map) {
        let want = geojson_parts(f);
        assert_eq!(got.len(), want.len(), "{}", f["properties"]);
        for (g, w) in got.iter().zip(&want) {
            assert!(g.len() >= 2, "{}", f["properties"]);
            assert_eq!(g.len(), w.len(), "{}", f["properties"]);
            for (a, b) in g.iter().zip(w) {
                assert!((a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9);
            }
            assert!(g.iter().all(|p| (-180.0..=180.0).contains(&p[0])));
            assert!(g.windows(2).all(|s| (s[1][0] - s[0][0]).abs() <= 180.0));
        }
    }
    gpkg.iter().filter(|parts| parts.len() > 1).count()
}

fn close(a: [f64; 2], b: &Value) {
    let b = [b[0].as_f64().unwrap(), b[1].as_f64().unwrap()];
    assert!(
        (a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9,
        "{a:?} != {b:?}"
    );
}

/// Runs a command that writes `out` and checks it printed nothing on stdout.
fn write(args: &[&str]) {
    let out = corridor().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
}

/// A command's stdout as JSON.
fn json(args: &[&str]) -> Value {
    let out = corridor().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The network's GeoJSON map (`export --format geojson`).
fn network_map(dir: &Path) -> Value {
    let path = dir.join("network.geojson");
    write(&[
        "export",
        GRAIN,
        "--format",
        "geojson",
        "--out",
        path.to_str().unwrap(),
    ]);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Features of a GeoJSON map whose `property` is `value`.
fn features<'a>(map: &'a Value, property: &str, value: &str) -> Vec<&'a Value> {
    map["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"][property] == value)
        .collect()
}

fn first_coordinate(feature: &Value) -> &Value {
    let c = &feature["geometry"]["coordinates"];
    if c[0].is_array() { &c[0] } else { c }
}

#[test]
fn export_writes_the_four_element_layers_with_typed_columns() {
    if !have_ogrinfo() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("grain.gpkg");
    write(&[
        "export",
        GRAIN,
        "--format",
        "gpkg",
        "--out",
        gpkg.to_str().unwrap(),
    ]);
    let map = network_map(dir.path());
    let got = layers(&gpkg);
    assert_eq!(names(&got), ["nodes", "links", "terminals", "borders"]);
    for (name, element, geometry) in [
        ("nodes", "node", "Point"),
        ("links", "link", "Multi Line String"),
        ("terminals", "terminal", "Point"),
        ("borders", "border", "Point"),
    ] {
        let l = layer(&got, name);
        assert_eq!(l.geometry, geometry, "{name}");
        assert_eq!(l.count, features(&map, "element", element).len(), "{name}");
        assert!(l.count > 0, "{name}");
    }
    let links = layer(&got, "links");
    for field in [
        "id: String",
        "gauge: Integer",
        "length_km: Real",
        "capacity_t_per_day: Real",
        "open: Integer(Boolean)",
        "tags: String(JSON)",
    ] {
        assert!(
            links.fields.iter().any(|f| f == field),
            "{field} in {:?}",
            links.fields
        );
    }
    let first_link = features(&map, "element", "link")[0];
    close(
        first_position(&gpkg, "links", 1),
        first_coordinate(first_link),
    );
    let last_border = *features(&map, "element", "border").last().unwrap();
    close(
        first_position(&gpkg, "borders", layer(&got, "borders").count),
        first_coordinate(last_border),
    );
}

#[test]
fn route_writes_itineraries_legs_transfers_and_crossings() {
    if !have_ogrinfo() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("route.gpkg");
    let q = ["route", GRAIN, "--from", "vinnytsia", "--to", "rotterdam"];
    let mut args = q.to_vec();
    args.extend(["--format", "gpkg", "--out", gpkg.to_str().unwrap()]);
    write(&args);
    let mut args = q.to_vec();
    args.extend(["--format", "json"]);
    let it = json(&args);
    let mut args = q.to_vec();
    args.extend(["--format", "geojson"]);
    let map = json(&args);

    let got = layers(&gpkg);
    assert_eq!(
        names(&got),
        ["itineraries", "legs", "transfers", "crossings"]
    );
    assert_eq!(layer(&got, "itineraries").count, 1);
    assert_eq!(layer(&got, "itineraries").geometry, "Multi Line String");
    assert_eq!(layer(&got, "legs").geometry, "Multi Line String");
    for (name, key) in [
        ("legs", "legs"),
        ("transfers", "transfers"),
        ("crossings", "borders"),
    ] {
        assert_eq!(
            layer(&got, name).count,
            it[key].as_array().unwrap().len(),
            "{name}"
        );
    }
    assert!(layer(&got, "legs").count > 1);
    let legs = features(&map, "element", "leg");
    close(first_position(&gpkg, "legs", 2), first_coordinate(legs[1]));
    close(
        first_position(&gpkg, "itineraries", 1),
        first_coordinate(legs[0]),
    );
}

/// A scratch folder and the GeoPackage's path in it; `None` (the test
/// skips) without GDAL.
fn scratch(file: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    if !have_ogrinfo() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    Some((dir, path))
}

/// A network whose sea lanes cross the ±180° meridian (the map page's).
const PACIFIC: &str = "crates/corridor-server/tests/browser/networks/pacific.toml";

#[test]
fn lines_across_the_antimeridian_are_multilinestrings_split_there() {
    let Some((dir, gpkg)) = scratch("pacific.gpkg") else {
        return;
    };
    let geojson = dir.path().join("pacific.geojson");
    for (format, out) in [("gpkg", &gpkg), ("geojson", &geojson)] {
        write(&[
            "export",
            PACIFIC,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
    }
    let map: Value = serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    let got = layers(&gpkg);
    let links = layer(&got, "links");
    assert_eq!(links.geometry, "Multi Line String");
    let map_links = features(&map, "element", "link");
    assert_eq!(links.count, map_links.len());
    // Suva–Apia by its own geometry and Suva–Nukuʻalofa straight cross;
    // Nukuʻalofa–Apia does not.
    assert_eq!(
        same_split_lines(&multi_lines(&gpkg, "links"), &map_links),
        2
    );

    let gpkg = dir.path().join("route.gpkg");
    let q = ["route", PACIFIC, "--from", "suva", "--to", "apia"];
    write(
        &[
            &q[..],
            &["--format", "gpkg", "--out", gpkg.to_str().unwrap()],
        ]
        .concat(),
    );
    let map = json(&[&q[..], &["--format", "geojson"]].concat());
    let got = layers(&gpkg);
    assert_eq!(layer(&got, "itineraries").count, 1);
    let legs = features(&map, "element", "leg");
    assert_eq!(layer(&got, "legs").count, legs.len());
    assert_eq!(same_split_lines(&multi_lines(&gpkg, "legs"), &legs), 1);
    let whole = multi_lines(&gpkg, "itineraries");
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0].len(), 2, "the whole way crosses once");
}

#[test]
fn a_pareto_set_numbers_its_itineraries() {
    if !have_ogrinfo() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("pareto.gpkg");
    let q = [
        "route",
        GRAIN,
        "--from",
        "vinnytsia",
        "--to",
        "rotterdam",
        "--pareto",
    ];
    let mut args = q.to_vec();
    args.extend(["--format", "gpkg", "--out", gpkg.to_str().unwrap()]);
    write(&args);
    let mut args = q.to_vec();
    args.extend(["--format", "json"]);
    let set = json(&args);
    let its = set["itineraries"].as_array().unwrap();
    assert!(its.len() > 1);
    let got = layers(&gpkg);
    assert_eq!(layer(&got, "itineraries").count, its.len());
    let legs: usize = its
        .iter()
        .map(|i| i["legs"].as_array().unwrap().len())
        .sum();
    assert_eq!(layer(&got, "legs").count, legs);
}

/// Capacity GeoJSON features per GeoPackage layer.
fn by_layer(map: &Value) -> BTreeMap<&'static str, Vec<&Value>> {
    let mut out: BTreeMap<&'static str, Vec<&Value>> = BTreeMap::new();
    for f in map["features"].as_array().unwrap() {
        let layer = match f["properties"]["kind"].as_str().unwrap() {
            "link" => "links",
            "terminal" => "terminals",
            "border" => "borders",
            _ => "nodes",
        };
        out.entry(layer).or_default().push(f);
    }
    out
}

#[test]
fn capacity_writes_flows_per_element_kind_the_cut_and_a_summary() {
    if !have_ogrinfo() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("capacity.gpkg");
    let q = [
        "capacity",
        GRAIN,
        "--from",
        ELEVATORS,
        "--to",
        PORTS,
        "--commodity",
        "grain",
    ];
    let mut args = q.to_vec();
    args.extend(["--format", "gpkg", "--out", gpkg.to_str().unwrap()]);
    write(&args);
    let mut args = q.to_vec();
    args.extend(["--format", "geojson"]);
    let map = json(&args);
    let mut args = q.to_vec();
    args.extend(["--format", "json"]);
    let report = json(&args);

    let got = layers(&gpkg);
    assert_eq!(
        names(&got),
        [
            "links",
            "terminals",
            "borders",
            "nodes",
            "bottlenecks",
            "summary"
        ]
    );
    let expected = by_layer(&map);
    for name in ["links", "terminals", "borders", "nodes"] {
        let n = expected.get(name).map_or(0, Vec::len);
        assert_eq!(layer(&got, name).count, n, "{name}");
    }
    assert_eq!(
        layer(&got, "bottlenecks").count,
        report["bottlenecks"].as_array().unwrap().len()
    );
    assert_eq!(layer(&got, "bottlenecks").geometry, "None");
    assert_eq!(layer(&got, "summary").count, 1);
    close(
        first_position(&gpkg, "links", 1),
        first_coordinate(expected["links"][0]),
    );
    close(
        first_position(&gpkg, "borders", 1),
        first_coordinate(expected["borders"][0]),
    );
}

#[test]
fn compare_writes_flows_before_and_after_the_changed_cut_and_both_routes() {
    if !have_ogrinfo() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("compare.gpkg");
    let q = [
        "compare",
        GRAIN,
        "--scenario",
        RESTORE,
        "--from",
        ELEVATORS,
        "--to",
        PORTS,
        "--commodity",
        "grain",
    ];
    let mut args = q.to_vec();
    args.extend(["--format", "gpkg", "--out", gpkg.to_str().unwrap()]);
    write(&args);
    let mut args = q.to_vec();
    args.extend(["--format", "json"]);
    let r = json(&args);

    let got = layers(&gpkg);
    assert_eq!(
        names(&got),
        [
            "links",
            "terminals",
            "borders",
            "nodes",
            "legs",
            "bottlenecks",
            "summary"
        ]
    );
    // Every element with flow or in the cut on either side, once.
    let mut links = std::collections::BTreeSet::new();
    for side in ["base", "scenario"] {
        for key in ["elements", "bottlenecks"] {
            for e in r[side][key].as_array().unwrap() {
                if e["kind"] == "link" {
                    links.insert(e["id"].as_str().unwrap().to_string());
                }
            }
        }
    }
    assert_eq!(layer(&got, "links").count, links.len());
    let n_legs = |side: &str| r[side]["itinerary"]["legs"].as_array().map_or(0, Vec::len);
    assert_eq!(
        layer(&got, "legs").count,
        n_legs("route_before") + n_legs("route_after")
    );
    let changed = r["bottlenecks_appeared"].as_array().unwrap().len()
        + r["bottlenecks_disappeared"].as_array().unwrap().len();
    assert_eq!(layer(&got, "bottlenecks").count, changed);
    // Rows are in id order: the first link is the smallest id.
    let map = network_map(dir.path());
    let first = links.iter().next().unwrap();
    let feature = features(&map, "id", first)
        .into_iter()
        .find(|f| f["properties"]["element"] == "link")
        .unwrap();
    close(first_position(&gpkg, "links", 1), first_coordinate(feature));
}

#[test]
fn assign_writes_the_network_with_flow_columns_per_commodity() {
    if !have_ogrinfo() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("assign.gpkg");
    let flows = dir.path().join("flows.csv");
    let q = [
        "assign",
        GRAIN,
        "--demand",
        "examples/grain-corridors/demand.csv",
        "--gap",
        "1e-4",
    ];
    let mut args = q.to_vec();
    args.extend([
        "--format",
        "gpkg",
        "--out",
        gpkg.to_str().unwrap(),
        "--flows",
        flows.to_str().unwrap(),
    ]);
    write(&args);
    assert!(flows.exists(), "--flows lands with --out");
    let mut args = q.to_vec();
    args.extend(["--format", "json"]);
    let r = json(&args);
    let map = network_map(dir.path());

    let got = layers(&gpkg);
    assert_eq!(
        names(&got),
        [
            "nodes",
            "links",
            "terminals",
            "borders",
            "commodities",
            "summary"
        ]
    );
    for (name, key) in [
        ("links", "links"),
        ("terminals", "terminals"),
        ("borders", "borders"),
    ] {
        assert_eq!(
            layer(&got, name).count,
            r[key].as_array().unwrap().len(),
            "{name}"
        );
    }
    assert_eq!(
        layer(&got, "nodes").count,
        features(&map, "element", "node").len()
    );
    let commodities = r["commodities"].as_array().unwrap();
    assert_eq!(layer(&got, "commodities").count, commodities.len());
    let link_fields = &layer(&got, "links").fields;
    for c in commodities {
        let field = format!("flow_{}: Real", c["commodity"].as_str().unwrap());
        assert!(link_fields.contains(&field), "{field} in {link_fields:?}");
    }
    assert!(link_fields.contains(&"utilisation: Real".to_string()));
    close(
        first_position(&gpkg, "links", 1),
        first_coordinate(features(&map, "element", "link")[0]),
    );
}

#[test]
fn gpkg_needs_out_and_says_so() {
    for args in [
        vec![
            "route",
            GRAIN,
            "--from",
            "vinnytsia",
            "--to",
            "rotterdam",
            "--format",
            "gpkg",
        ],
        vec![
            "capacity", GRAIN, "--from", ELEVATORS, "--to", PORTS, "--format", "gpkg",
        ],
        vec![
            "compare",
            GRAIN,
            "--scenario",
            RESTORE,
            "--from",
            ELEVATORS,
            "--to",
            PORTS,
            "--format",
            "gpkg",
        ],
        vec![
            "assign",
            GRAIN,
            "--demand",
            "examples/grain-corridors/demand.csv",
            "--format",
            "gpkg",
        ],
    ] {
        let out = corridor().args(&args).output().unwrap();
        // A usage error whatever the files hold: 2, as clap's own.
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error: --format gpkg writes a file: give --out FILE.gpkg\n",
            "{args:?}"
        );
    }
}

#[test]
fn assign_refuses_a_gpkg_of_a_network_without_coordinates() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("braess.gpkg");
    let data = "crates/corridor-cli/tests/data/tntp";
    let out = corridor()
        .args([
            "assign",
            &format!("{data}/braess_net.tntp"),
            "--demand",
            &format!("{data}/braess_trips.tntp"),
            "--format",
            "gpkg",
            "--out",
            out_path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "--format gpkg needs a freight network (links without coordinates cannot be drawn)"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out_path.exists());
}
