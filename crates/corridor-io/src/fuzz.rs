//! Test support, not API: one fuzz harness per reader, shared by the
//! `cargo fuzz` targets in `fuzz/` and the bounded smoke test
//! (`tests/fuzz_smoke.rs`) that `cargo test` runs, so the fuzzers and CI
//! check the same invariants.
//!
//! Each harness takes arbitrary bytes, hands them to the public reader the
//! CLI uses (through a scratch file when the reader only takes paths, so
//! the UTF-8 and I/O handling is exercised too) and panics when an
//! invariant the readers promise does not hold:
//!
//! - the reader returns, it never panics;
//! - every error and every diagnostic names the file it is about (OSM
//!   warnings name the element by its OSM id instead);
//! - a network the reader accepts without error diagnostics validates, and
//!   writing it as TOML and reading that back gives no error either;
//! - open-data imports return networks that validate.
//!
//! Absurd allocations (sizes taken from counts in the input) are caught by
//! the capped global allocator of the fuzz targets and the smoke test, not
//! here. Nothing in this module is stable; it is public only so that those
//! two can reach it.

use crate::osm::{OsmConfig, import_osm};
use crate::{Loaded, Result};
use corridor_model::{Diagnostic, Network};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// A harness: arbitrary bytes in, a panic when an invariant fails.
pub type Harness = fn(&[u8]);

/// Every harness by name, in the order of the fuzz targets.
pub const HARNESSES: [(&str, Harness); 13] = [
    ("toml_network", toml_network),
    ("csv_bundle", csv_bundle),
    ("scenario", scenario),
    ("demand_csv", demand_csv),
    ("tntp_net", tntp_net),
    ("tntp_trips", tntp_trips),
    ("osm_xml", osm_xml),
    ("osm_pbf", osm_pbf),
    ("sea_lanes", sea_lanes),
    ("ports_geojson", ports_geojson),
    ("ports_csv", ports_csv),
    ("countries_geojson", countries_geojson),
    ("compiled_network", compiled_network),
];

/// The files of a CSV bundle in the order [`csv_bundle`] splits its input
/// into them.
pub const CSV_BUNDLE_FILES: [&str; 7] = [
    "nodes.csv",
    "links.csv",
    "terminals.csv",
    "borders.csv",
    "commodities.csv",
    "network.csv",
    "network.toml",
];

/// Separates the files of a CSV bundle in [`csv_bundle`]'s input.
pub const CSV_BUNDLE_SEPARATOR: u8 = 0;

/// A `.toml` network.
pub fn toml_network(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.file("fuzz.toml", data);
    check_loaded(crate::read_network(&path), &dir);
}

/// A compiled network (`corridor build`), read as the CLI reads it; then,
/// when it starts with the marker, again with its length and checksum
/// made to match, so that mutations reach the decoder behind them (which
/// must refuse or read, never panic; a file edited on purpose is trusted
/// as far as its values go, so validity is not checked there).
pub fn compiled_network(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.file("fuzz.corridor", data);
    check_loaded(crate::read_network(&path), &dir);
    let mut sealed = data.to_vec();
    seal_compiled(&mut sealed);
    if let Err(e) = crate::compiled::from_bytes(&sealed, &path) {
        check_error(&e, &dir);
    }
}

/// Makes a compiled network's header length and checksum match its bytes.
pub fn seal_compiled(bytes: &mut [u8]) {
    crate::compiled::seal(bytes);
}

/// A CSV bundle: the input is split at [`CSV_BUNDLE_SEPARATOR`] bytes into
/// the files of [`CSV_BUNDLE_FILES`], in that order; files after the last
/// part are absent (so `nodes.csv` alone, or all seven including both
/// headers, can be tried).
pub fn csv_bundle(data: &[u8]) {
    let dir = Scratch::new();
    for (part, name) in data
        .split(|&b| b == CSV_BUNDLE_SEPARATOR)
        .zip(CSV_BUNDLE_FILES)
    {
        dir.file(name, part);
    }
    check_loaded(crate::read_network(&dir.0), &dir);
}

/// A scenario file, parsed and then applied to the grain-corridors
/// example (whose ids the shipped scenarios use).
pub fn scenario(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.file("fuzz-scenario.toml", data);
    let base = grain_corridors();
    match crate::read_scenario(&path, &base.vehicles) {
        Ok(s) => {
            if let Err(e) = s.apply(base) {
                // Applying names the edit's source; a parsed edit always
                // has one.
                let text = e.to_string();
                assert!(!text.is_empty());
            }
        }
        Err(e) => check_error(&e, &dir),
    }
}

/// A demand CSV against the grain-corridors example.
pub fn demand_csv(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.file("demand.csv", data);
    match crate::demand::read_demand(&path, grain_corridors()) {
        Ok(rows) => {
            for r in rows {
                assert!(
                    r.amount.is_finite() && r.amount >= 0.0,
                    "demand row accepted with amount {}",
                    r.amount
                );
            }
        }
        Err(e) => check_error(&e, &dir),
    }
}

/// A TNTP `_net.tntp` file (without a `_node.tntp` sibling).
pub fn tntp_net(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.file("fuzz_net.tntp", data);
    check_loaded(crate::read_network(&path), &dir);
}

/// A TNTP `_trips.tntp` file, read as demand on a network with as many
/// nodes as the file has zones (capped, so the network stays small).
pub fn tntp_trips(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.file("fuzz_trips.tntp", data);
    match crate::tntp::read_trips_file(&path) {
        Ok(trips) => {
            assert!(trips.total().is_finite() || trips.origins.is_empty());
            let mut net = Network::new("zones");
            for n in 1..=trips.n_zones.min(64) {
                let node = corridor_model::Node::new(
                    &n.to_string(),
                    corridor_model::NodeKind::Zone,
                    0.0,
                    0.0,
                    "",
                );
                net.add_node(node).expect("distinct names");
            }
            let file = path.display().to_string();
            if let Err(e) = crate::demand::tntp_demand(&trips, &net, &file) {
                check_error(&e, &dir);
            }
        }
        Err(e) => check_error(&e, &dir),
    }
}

/// An OpenStreetMap XML file (`.osm`).
pub fn osm_xml(data: &[u8]) {
    osm(data, "fuzz.osm");
}

/// An OpenStreetMap PBF file (`.osm.pbf`).
pub fn osm_pbf(data: &[u8]) {
    osm(data, "fuzz.osm.pbf");
}

fn osm(data: &[u8], name: &str) {
    let dir = Scratch::new();
    let path = dir.file(name, data);
    match import_osm(&path, &OsmConfig::default(), None, &mut |_| {}) {
        Ok(imp) => {
            check_osm_diagnostics(&imp.diagnostics);
            check_imported(&imp.network);
        }
        Err(e) => check_error(&e, &dir),
    }
}

/// A searoute `marnet` sea-lane GeoJSON.
pub fn sea_lanes(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.file("marnet.geojson", data);
    let closed = crate::sea::DEFAULT_CLOSED_PASSAGES.map(String::from);
    match crate::sea::read_sea_lanes(&path, &closed) {
        Ok((net, _)) => check_imported(&net),
        Err(e) => check_error(&e, &dir),
    }
}

/// A searoute ports GeoJSON.
pub fn ports_geojson(data: &[u8]) {
    ports(data, "ports.geojson");
}

/// A ports CSV: the World Port Index, or UN/LOCODE when the header says so
/// (`read_ports` tells them apart by the first line).
pub fn ports_csv(data: &[u8]) {
    ports(data, "ports.csv");
}

fn ports(data: &[u8], name: &str) {
    let dir = Scratch::new();
    let path = dir.file(name, data);
    match crate::ports::read_ports(&path) {
        Ok((net, _)) => check_imported(&net),
        Err(e) => check_error(&e, &dir),
    }
}

/// A Natural Earth admin-0 countries GeoJSON (border detection), with a
/// point looked up so the polygons are used, not only parsed.
pub fn countries_geojson(data: &[u8]) {
    let dir = Scratch::new();
    let path = dir.file("countries.geojson", data);
    match crate::countries::CountryIndex::from_path(&path) {
        Ok(index) => {
            let _ = index.country_at(24.0, 50.0);
        }
        Err(e) => check_error(&e, &dir),
    }
}

// ------------------------------------------------------------- invariants

fn check_loaded(result: Result<Loaded>, dir: &Scratch) {
    let loaded = match result {
        Ok(l) => l,
        Err(e) => return check_error(&e, dir),
    };
    check_diagnostics(&loaded.diagnostics, dir);
    if loaded.has_errors() {
        return;
    }
    // Accepted: the model agrees, and what we would write reads back.
    let invalid: Vec<Diagnostic> = loaded
        .network
        .validate()
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    assert!(invalid.is_empty(), "accepted but invalid: {invalid:?}");
    let written = crate::network_toml_string(&loaded.network);
    let value: toml::Value = toml::from_str(&written).expect("the writer writes TOML");
    assert_finite(&value, "network");
    let again = dir.file("written.toml", written.as_bytes());
    match crate::read_toml(&again) {
        Ok(l) => {
            let errors: Vec<String> = l.errors().map(ToString::to_string).collect();
            assert!(
                errors.is_empty(),
                "written TOML does not read back: {errors:?}"
            );
        }
        Err(e) => panic!("written TOML does not read back: {e}"),
    }
}

/// Every number of an accepted network is finite (seen through the TOML
/// writer, which writes every field that is not a default).
fn assert_finite(v: &toml::Value, at: &str) {
    match v {
        toml::Value::Float(x) => assert!(x.is_finite(), "accepted with {at} = {x}"),
        toml::Value::Array(a) => a.iter().for_each(|x| assert_finite(x, at)),
        toml::Value::Table(t) => t
            .iter()
            .for_each(|(k, x)| assert_finite(x, &format!("{at}.{k}"))),
        _ => {}
    }
}

fn check_diagnostics(diagnostics: &[Diagnostic], dir: &Scratch) {
    for d in diagnostics {
        let named = d
            .source
            .as_ref()
            .is_some_and(|s| Path::new(&*s.file).starts_with(&dir.0));
        assert!(named, "diagnostic without its file: {d}");
    }
}

/// OSM files have no lines worth naming (PBF has none at all) and an
/// import reads one file, which its summary names: its warnings name the
/// element instead, by OSM id.
fn check_osm_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let element = ["node ", "way ", "relation "].iter().any(|k| {
            d.subject
                .strip_prefix(k)
                .is_some_and(|id| id.parse::<i64>().is_ok())
        });
        assert!(element, "OSM warning without its element: {d}");
        assert!(
            !d.is_error(),
            "OSM import returned an error diagnostic: {d}"
        );
    }
}

fn check_error(e: &crate::Error, dir: &Scratch) {
    let text = e.to_string();
    assert!(
        text.contains(&*dir.0.to_string_lossy()),
        "error without its file: {text}"
    );
}

/// Open-data imports build networks for `merge`: they must validate, and
/// their positions are WGS84 degrees (snapping measures distances on them).
fn check_imported(net: &Network) {
    for n in &net.nodes {
        let ok = (-90.0..=90.0).contains(&n.lat) && (-180.0..=180.0).contains(&n.lon);
        assert!(
            ok,
            "imported node \"{}\" at ({}, {})",
            n.source_id, n.lon, n.lat
        );
    }
    let invalid: Vec<String> = net
        .validate()
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert!(invalid.is_empty(), "imported network invalid: {invalid:?}");
}

// -------------------------------------------------------------- plumbing

/// A fresh folder per call, removed afterwards; unique per process and
/// call so parallel tests do not share files.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "corridor-fuzz-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).expect("scratch file");
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The grain-corridors example, compiled in, read once.
fn grain_corridors() -> &'static Network {
    static NET: OnceLock<Network> = OnceLock::new();
    NET.get_or_init(|| {
        let dir = Scratch::new();
        for (name, text) in [
            (
                "nodes.csv",
                include_str!("../../../examples/grain-corridors/nodes.csv"),
            ),
            (
                "links.csv",
                include_str!("../../../examples/grain-corridors/links.csv"),
            ),
            (
                "terminals.csv",
                include_str!("../../../examples/grain-corridors/terminals.csv"),
            ),
            (
                "borders.csv",
                include_str!("../../../examples/grain-corridors/borders.csv"),
            ),
            (
                "commodities.csv",
                include_str!("../../../examples/grain-corridors/commodities.csv"),
            ),
            (
                "network.csv",
                include_str!("../../../examples/grain-corridors/network.csv"),
            ),
        ] {
            dir.file(name, text.as_bytes());
        }
        crate::read_csv_bundle(&dir.0)
            .and_then(Loaded::into_network)
            .expect("the grain-corridors example reads")
    })
}
