//! Every file format Corridor reads and writes, and the result writers.
//!
//! Reading turns a file into a [`Loaded`] network: the model plus a list of
//! diagnostics naming file, line and field for every broken record (readers
//! never stop at the first problem and never panic on user data). Writing
//! goes through [`write_atomic`]. Planner units (`12 Mt/year`, `40
//! trains/day`, `30 h`) are normalised by [`units`]. This crate does no
//! routing and no lowering; it depends on the model only.
//!
//! Modules by format: `network_toml` (hand-written TOML), `network_csv` (CSV
//! bundle), `geojson_out` (network and itinerary maps), `report` (every
//! command's result as text tables, JSON, GeoJSON and CSV; one file per
//! kind of result), `tntp` (TNTP networks, trips, nodes and flows), `demand`
//! (demand CSV and TNTP trips as demand rows), `scenario` (scenario files),
//! `projects` (the candidate investments of `corridor invest`),
//! `compiled` (the binary files of `corridor build`, loaded in a blink).
//! `record` and `build` are the format-neutral core shared by the TOML and
//! CSV readers; `read` detects formats and dispatches.
//!
//! Imports from open data: `osm` (OpenStreetMap), `sea` (searoute lanes),
//! `ports` (World Port Index, searoute ports) and `countries` (Natural Earth
//! polygons for border detection).

mod atomic;
mod build;
pub mod compiled;
pub mod countries;
mod csv_rows;
pub mod demand;
mod error;
/// Test support for the fuzz targets and the fuzz smoke test; not API.
#[doc(hidden)]
pub mod fuzz;
mod geojson_out;
pub mod gpkg;
mod network_csv;
mod network_toml;
mod open_data;
pub mod osm;
pub mod passages;
pub mod ports;
pub mod projects;
mod read;
mod record;
pub mod report;
mod rows_parallel;
mod rows_plain;
pub mod scenario;
pub mod sea;
pub mod tntp;
mod toml_doc;
mod toml_pieces;
mod toml_plain;
pub mod units;
pub mod waterways;

pub use atomic::{Outputs, clean_leftovers, write_atomic};
pub use error::{Error, Result};
pub use geojson_out::{
    EditProperties, itinerary_geojson, network_geojson, write_network_geojson,
    write_network_geojson_with,
};
pub use network_csv::{BUNDLE_FILES, read_csv_bundle, write_csv_bundle};
pub use network_toml::{network_toml_string, read_toml, write_toml};
pub use projects::{ProjectFileEntry, ProjectsFile, read_projects};
pub use read::{Format, Loaded, detect_format, read_network};
pub use report::route::itinerary_text;
pub use scenario::{parse_scenario, read_scenario};
