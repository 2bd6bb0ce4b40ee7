//! OpenStreetMap import: `.osm.pbf`, `.osm` and `.osm.gz` files into a
//! Corridor [`Network`] of rail (with gauge; untagged track takes its
//! country's, `gauges.rs`), roads, ferries and navigable waterways, with
//! stations naming rail vertices, ports, yards and ferry terminals as
//! terminals and border crossings from checkpoints and country polygons.
//!
//! `read.rs` reads the file, `tags.rs` says what its tags mean, `build/`
//! builds the topology in phases. What this module does not do: write
//! files (the CSV bundle and GeoJSON writers do) or talk to a terminal (the
//! CLI draws progress and prints the summary).

mod build;
pub mod gauges;
pub mod read;
mod tags;

use crate::countries::CountryIndex;
use corridor_model::{Diagnostic, Mode, ModeTable, Network};
use std::path::Path;

pub use corridor_model::results::OsmSummary;
pub use read::{ElementCounts, Passes, RawOsm, TWO_PASSES_FROM_BYTES};

/// Handling parameters given to every imported terminal.
#[derive(Clone, Debug, PartialEq)]
pub struct TerminalDefaults {
    /// Money per tonne handled.
    pub handling_cost_per_t: f64,
    pub hours: f64,
    pub co2_kg_per_t: f64,
}

impl Default for TerminalDefaults {
    fn default() -> Self {
        // A mid-range intermodal lift: ~3 EUR/t, half a day, ~1 kg CO2/t
        // (GLEC hub default order of magnitude).
        Self {
            handling_cost_per_t: 3.0,
            hours: 12.0,
            co2_kg_per_t: 1.0,
        }
    }
}

/// What to import and the defaults that fill gaps in OSM tagging.
#[derive(Clone, Debug)]
pub struct OsmConfig {
    pub rail: bool,
    pub road: bool,
    pub ferry: bool,
    /// Navigable rivers and canals (`waterway=river|canal` with `CEMT` or
    /// `ship=yes`) as `river` links, locks as time and capacity.
    pub waterway: bool,
    /// Keep `service=yard|siding|spur|crossover` rail.
    pub keep_sidings: bool,
    /// `highway=*` values imported as road links.
    pub road_classes: Vec<String>,
    /// Gauge of every rail way without a `gauge` tag; `None` takes the
    /// standard gauge of the way's country ([`gauges`]), 1435 mm where
    /// that is unknown. Each such way is warned about.
    pub default_gauge_mm: Option<u16>,
    /// Mode of `route=ferry` ways.
    pub ferry_mode: Mode,
    /// How far a port, yard or ferry terminal may be from the link it is
    /// joined to, km.
    pub attach_km: f64,
    /// How far a station node off the track may be from it, km.
    pub station_attach_km: f64,
    pub terminal: TerminalDefaults,
    /// Dwell at a `barrier=border_control` node, hours by mode.
    pub border_dwell_hours: ModeTable<f64>,
    /// Dwell where a link merely changes country (no checkpoint tagged:
    /// open borders such as France–Monaco), hours by mode.
    pub detected_border_dwell_hours: ModeTable<f64>,
    /// Trucks are this heavy (t); a lower `maxweight` closes the road.
    pub truck_weight_t: f64,
    /// `maxspeed` is a limit, not a commercial speed: caps used as speeds.
    pub max_truck_speed_kmh: f64,
    pub max_train_speed_kmh: f64,
    /// Read the file once, keeping every node's coordinates, or twice,
    /// keeping only those of the nodes the kept ways use (memory bounded
    /// by the network, not the file). Same network either way.
    pub passes: Passes,
}

impl Default for OsmConfig {
    fn default() -> Self {
        Self {
            rail: true,
            road: true,
            ferry: true,
            waterway: true,
            keep_sidings: false,
            road_classes: [
                "motorway",
                "motorway_link",
                "trunk",
                "trunk_link",
                "primary",
                "primary_link",
                "secondary",
                "secondary_link",
                "tertiary",
                "tertiary_link",
            ]
            .map(String::from)
            .to_vec(),
            default_gauge_mm: None,
            ferry_mode: Mode::Sea,
            attach_km: 2.0,
            station_attach_km: 0.5,
            terminal: TerminalDefaults::default(),
            border_dwell_hours: tags::checkpoint_dwell(),
            detected_border_dwell_hours: ModeTable::from_fn(|_| 0.0),
            truck_weight_t: 40.0,
            max_truck_speed_kmh: 80.0,
            max_train_speed_kmh: 100.0,
            passes: Passes::Auto,
        }
    }
}

/// The result of an import.
#[derive(Clone, Debug)]
pub struct OsmImport {
    pub network: Network,
    /// Warnings about tagging (missing gauge, unreadable values).
    pub diagnostics: Vec<Diagnostic>,
    pub summary: OsmSummary,
}

/// Gives an imported network the commodities a first route needs:
/// `general`, `container` and `bulk`, with values of time per tonne-hour
/// of 1.0, 2.0 and 0.2 (money of the network). Existing ids are kept.
pub fn add_default_commodities(net: &mut Network) {
    use corridor_model::{Commodity, CommodityClass};
    for (id, class, vot) in [
        ("general", CommodityClass::General, 1.0),
        ("container", CommodityClass::Container, 2.0),
        ("bulk", CommodityClass::Bulk, 0.2),
    ] {
        if net.commodity_id(id).is_none() {
            net.add_commodity(Commodity::new(id, class, vot))
                .expect("checked absent");
        }
    }
}

/// Reads an OSM file and builds its network. `countries` finds border
/// crossings where a link changes country (`None` turns that off).
pub fn import_osm(
    path: &Path,
    cfg: &OsmConfig,
    countries: Option<&CountryIndex>,
    progress: &mut dyn FnMut(u64),
) -> crate::Result<OsmImport> {
    let raw = read::read_file(path, cfg, progress)?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut imp = build::build(&raw, cfg, countries, &file);
    // An empty or irrelevant file must not become an empty network that
    // later commands reject with a stranger message.
    if imp.network.links.is_empty() {
        let elements = &imp.summary.elements;
        let message = if elements.total() == 0 {
            "the file holds no OpenStreetMap elements (is it empty or cut short?)".to_string()
        } else {
            format!(
                "nothing to import: {} nodes, {} ways and {} relations, but no railway, road, ferry route or waterway this importer keeps",
                elements.nodes, elements.ways, elements.relations
            )
        };
        return Err(crate::Error::Import {
            file: path.display().to_string(),
            at: String::new(),
            message,
        });
    }
    add_default_commodities(&mut imp.network);
    Ok(imp)
}

/// Builds a network from elements already read (for tests and tools that
/// filter the raw elements first).
pub fn build_network(
    raw: &RawOsm,
    cfg: &OsmConfig,
    countries: Option<&CountryIndex>,
    file: &str,
) -> OsmImport {
    build::build(raw, cfg, countries, file)
}
