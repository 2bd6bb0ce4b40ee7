//! GeoPackage output (`--format gpkg`): a network or a command's answer as
//! an OGC GeoPackage 1.3 that GDAL and QGIS open, one layer per kind of
//! element with every attribute a typed column, geometry in WGS 84
//! (EPSG:4326) and an R*Tree index per layer. Each function returns the
//! file's bytes (the database is built in memory by the bundled SQLite),
//! so the caller writes them atomically like every other output; layers,
//! columns and units are listed in `docs/formats.md`.
//!
//! `writer` owns the container (metadata tables, layers, the index) and
//! `geometry` the blobs; `network`, `route`, `capacity`, `compare` and
//! `assign` decide what goes into the layers for each command.

mod assign;
mod capacity;
mod compare;
mod geometry;
mod network;
mod route;
mod writer;

pub use assign::assign;
pub use capacity::capacity;
pub use compare::compare;
pub use network::network;
pub use route::route;
