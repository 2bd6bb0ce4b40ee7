//! A sweep's answer: one capacity row per scenario (or combination of
//! scenarios) and commodity, with the ratio to the base and the first
//! bottleneck.

use crate::query::Part;
use crate::results::Bottleneck;
use serde::{Deserialize, Serialize};

/// The capacity of one commodity with one combination of scenarios.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    pub commodity: String,
    /// Applied in this order; empty for the base.
    pub scenarios: Vec<String>,
    /// `None` when the row failed (see `error`).
    pub max_flow: Option<f64>,
    /// `max_flow` over the base's for the same commodity; `None` when
    /// the base carries 0 or the row failed.
    pub ratio: Option<f64>,
    /// The cheapest maximum flow's cost per unit; `None` when the row
    /// failed.
    pub cost_per_unit: Option<f64>,
    /// The largest element of the minimum cut.
    pub bottleneck: Option<Bottleneck>,
    /// As `CapacityReport::exact`.
    pub exact: bool,
    /// Why the row has no answer: the combination could not be applied
    /// (an edit refused, an edited network with errors) or the capacity
    /// question failed on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The answer to a sweep. Deserialize: parts answered by separate
/// workers (Ray tasks) come back as JSON to be merged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepReport {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub minimize: String,
    pub unit: String,
    /// The scenarios swept, in the order combinations apply them.
    pub scenarios: Vec<String>,
    pub grid: bool,
    /// Commodity by commodity (in the query's order); within one, the
    /// base first, then each scenario alone, then (with `grid`) pairs,
    /// triples and so on, each size in lexicographic order of positions.
    pub rows: Vec<SweepRow>,
    /// The part of the rows this report holds, when only one was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
}
