//! What an import from open data kept and left out, for the end-of-run
//! summary: OpenStreetMap, sea lanes, port lists and TNTP networks. The
//! readers in `corridor-io` fill these; the writers print them.

use crate::Layer;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// Counts of elements read, for the summary and the benchmark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ElementCounts {
    pub nodes: u64,
    pub ways: u64,
    pub relations: u64,
}

impl ElementCounts {
    pub fn total(&self) -> u64 {
        self.nodes + self.ways + self.relations
    }
}

/// `{"rail:1435": {"links": 4, "km": 6.5}, ...}` rather than bare pairs.
fn layer_counts<S: Serializer>(m: &BTreeMap<Layer, (usize, f64)>, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Count {
        links: usize,
        km: f64,
    }
    let mut map = s.serialize_map(Some(m.len()))?;
    for (layer, &(links, km)) in m {
        map.serialize_entry(&layer.to_string(), &Count { links, km })?;
    }
    map.end()
}

/// What an OpenStreetMap import built and what it left out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OsmSummary {
    pub file: String,
    pub elements: ElementCounts,
    pub nodes: usize,
    pub links: usize,
    /// Links and km per layer (mode and gauge).
    #[serde(serialize_with = "layer_counts")]
    pub by_layer: BTreeMap<Layer, (usize, f64)>,
    /// Road links closed to trucks (`hgv=no`, low `maxweight`).
    pub closed_links: usize,
    pub terminals: usize,
    pub borders_checkpoint: usize,
    pub borders_detected: usize,
    /// Rail ways without a readable `gauge` tag, by the gauge (mm) they
    /// took: `--default-gauge`, else their country's standard gauge.
    pub untagged_gauge: BTreeMap<u16, usize>,
    /// Ways and features left out, by reason.
    pub skipped: BTreeMap<String, usize>,
    pub warnings: usize,
}

/// What an import of sea lanes found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeaSummary {
    pub features: usize,
    pub nodes: usize,
    pub links: usize,
    pub km: f64,
    /// Links per passage name.
    pub passages: BTreeMap<String, usize>,
    /// Features without a line geometry, left out.
    pub skipped: usize,
}

/// What an import of inland waterways built.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WaterwaysSummary {
    pub features: usize,
    pub nodes: usize,
    pub links: usize,
    /// River and sea ports (`terminal` and `port` nodes).
    pub ports: usize,
    pub km: f64,
    pub locks: usize,
    /// Stretches imported closed (the Dnipro below Kyiv, at war).
    pub closed_links: usize,
    /// Links and km per CEMT class.
    pub by_class: BTreeMap<String, (usize, f64)>,
}

/// What a ports import kept and left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PortsSummary {
    pub records: usize,
    pub ports: usize,
    /// Records left out, by reason.
    pub skipped: BTreeMap<String, usize>,
}

/// What a TNTP import wrote.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TntpSummary {
    pub network: String,
    pub nodes: usize,
    pub links: usize,
    /// Rows of the `_trips.tntp` sibling written to `demand.csv` (0 without one).
    pub demand_rows: usize,
    /// The output folder.
    pub out: String,
}

/// The summary of `corridor import SOURCE`, tagged by source in JSON
/// (`{"source": "osm", ...}`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum ImportSummary {
    Osm(OsmSummary),
    Sea(SeaSummary),
    Ports(PortsSummary),
    Tntp(TntpSummary),
    Waterways(WaterwaysSummary),
}
