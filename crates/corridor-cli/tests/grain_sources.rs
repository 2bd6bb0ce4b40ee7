//! The grain example's coordinates and sea lengths against the references
//! `examples/grain-corridors/sources.csv` cites for them: every port whose
//! row names the World Port Index has that index's position
//! (`data/world_port_index/wpi_ports.csv`), every place whose row names a
//! UN/LOCODE has the code list's position (when the list is at hand in
//! `../shared/data/unlocode`), and every sea leg whose row names searoute is
//! as long as `corridor route --minimize distance` finds on the shipped
//! searoute lanes. A figure edited without its source, or a source row
//! whose note names the wrong entry, fails here.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod csv_text;
use csv_text::records;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> PathBuf {
    root().join("examples/grain-corridors")
}

/// `sources.csv` rows of `file` whose publisher contains `publisher`.
fn source_rows(file: &str, publisher: &str) -> Vec<HashMap<String, String>> {
    records(&example().join("sources.csv"))
        .into_iter()
        .filter(|r| r["file"] == file && r["publisher"].contains(publisher))
        .collect()
}

/// The word after `marker` in `note` (an index number or a code).
fn after(note: &str, marker: &str) -> String {
    let at = note
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in {note:?}"));
    note[at + marker.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Node id -> (lat, lon) as `nodes.csv` writes them.
fn nodes() -> HashMap<String, (f64, f64)> {
    records(&example().join("nodes.csv"))
        .into_iter()
        .map(|r| {
            let lat = r["lat"].parse().unwrap();
            let lon = r["lon"].parse().unwrap();
            (r["id"].clone(), (lat, lon))
        })
        .collect()
}

/// Checks that the source row's value, and the node's coordinate in
/// `nodes.csv`, are the reference's `(lat, lon)` rounded to 4 decimals.
fn check_coordinate(row: &HashMap<String, String>, reference: (f64, f64), what: &str) {
    let (lat, lon) = reference;
    let want = match row["field"].as_str() {
        "lat" => lat,
        "lon" => lon,
        f => panic!("field {f} of {row:?}"),
    };
    let want = (want * 1e4).round() / 1e4;
    let value: f64 = row["value"].parse().unwrap();
    assert!(
        (value - want).abs() < 1e-9,
        "{what}: {row:?} gives {value}, the reference {want}"
    );
    let (nlat, nlon) = nodes()[&row["element"]];
    let node = if row["field"] == "lat" { nlat } else { nlon };
    assert!(
        (node - want).abs() < 1e-9,
        "{what}: nodes.csv has {node}, the reference {want}"
    );
}

#[test]
fn port_coordinates_are_the_world_port_index_ones() {
    let wpi: HashMap<String, (f64, f64)> =
        records(&root().join("data/world_port_index/wpi_ports.csv"))
            .into_iter()
            .map(|r| {
                let number = r["World Port Index Number"]
                    .trim_end_matches(".0")
                    .to_string();
                let lat = r["Latitude"].parse().unwrap();
                let lon = r["Longitude"].parse().unwrap();
                (number, (lat, lon))
            })
            .collect();
    let rows = source_rows("nodes.csv", "World Port Index");
    // Odesa, Chornomorsk, Pivdennyi, Izmail, Reni, Constanța, Gdańsk and
    // Rotterdam, each with a latitude and a longitude row.
    assert_eq!(rows.len(), 16);
    for row in &rows {
        assert_eq!(row["status"], "published", "{row:?}");
        let number = after(&row["note"], "World Port Index no. ");
        let at = *wpi
            .get(&number)
            .unwrap_or_else(|| panic!("no port {number} in the index"));
        check_coordinate(row, at, &format!("WPI {number}"));
    }
}

#[test]
fn place_coordinates_are_the_un_locode_ones() {
    let list = std::env::var_os("CORRIDOR_UNLOCODE_CSV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data/unlocode/unlocode.csv"));
    let rows = source_rows("nodes.csv", "UN/LOCODE");
    assert_eq!(rows.len(), 36, "18 places with a latitude and a longitude");
    if !list.is_file() {
        eprintln!(
            "{} not found: UN/LOCODE positions not checked",
            list.display()
        );
        return;
    }
    let codes: HashMap<String, HashMap<String, String>> = records(Path::new(&list))
        .into_iter()
        .map(|r| (format!("{}{}", r["country"], r["location"]), r))
        .collect();
    for row in &rows {
        let code = after(&row["note"], "UN/LOCODE ");
        let entry = &codes[&code];
        // A geocoded position is Geoapify's (from OpenStreetMap), not the
        // code list's: it must not be cited as UN/LOCODE.
        assert!(entry["geocoded"].is_empty(), "{code} is geocoded");
        let at = (entry["lat"].parse().unwrap(), entry["lon"].parse().unwrap());
        check_coordinate(row, at, &code);
    }
}

#[test]
fn open_sea_lengths_are_the_searoute_ones() {
    let dir = tempfile::tempdir().unwrap();
    let lanes = dir.path().join("sea");
    Command::cargo_bin("corridor")
        .unwrap()
        .env_remove("RUST_LOG")
        .args(["import", "sea"])
        .arg(root().join("data/searoute/marnet_searoute.geojson"))
        .arg("--out")
        .arg(&lanes)
        .assert()
        .success();
    let ends: HashMap<String, (String, String)> = records(&example().join("links.csv"))
        .into_iter()
        .map(|r| (r["id"].clone(), (r["from"].clone(), r["to"].clone())))
        .collect();
    let nodes = nodes();
    let at = |id: &str| {
        let (lat, lon) = nodes[id];
        format!("{lat},{lon}")
    };
    let rows = source_rows("links.csv", "searoute");
    assert_eq!(rows.len(), 6);
    for row in &rows {
        assert_eq!(row["status"], "derived", "{row:?}");
        assert_eq!(row["field"], "length", "{row:?}");
        let (from, to) = &ends[&row["element"]];
        let out = Command::cargo_bin("corridor")
            .unwrap()
            .env_remove("RUST_LOG")
            .arg("route")
            .arg(&lanes)
            .args(["--from", &at(from), "--to", &at(to)])
            .args(["--minimize", "distance", "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let lanes_km = json["totals"]["km"].as_f64().unwrap();
        let snaps: f64 = json["snap_km"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_f64().unwrap())
            .sum();
        let value: f64 = row["value"].parse().unwrap();
        assert!(
            (lanes_km + snaps - value).abs() <= 1.0,
            "{}: {lanes_km:.1} km on the lanes + {snaps:.1} km of snaps, sources.csv says {value}",
            row["element"]
        );
    }
}
