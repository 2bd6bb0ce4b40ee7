//! A criticality (N−1) answer: the capacity question asked once per
//! element with that element closed, each closure's maximum flow, cheapest
//! cost and connectivity against the base, ranked most critical first.
//! The ranking lives here, with the data, so that a report assembled from
//! parts (a Ray cluster's tasks) ranks exactly as one computed whole.

use crate::query::Part;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The question's answer before anything is closed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriticalityBase {
    pub max_flow: f64,
    /// Per unit of flow, by the query's objective; 0 when nothing flows.
    pub cost_per_unit: f64,
    /// Some path of open elements (capacities ignored) leads from an
    /// origin to a destination.
    pub connected: bool,
    /// As `CapacityReport::exact`: false when a capacity shared across
    /// layers had to be divided by the heuristic.
    pub exact: bool,
}

/// One element closed, and what the closure does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriticalElement {
    /// `link`, `terminal`, `border` or `node`.
    pub kind: String,
    pub id: String,
    pub name: String,
    /// It carries flow in the base's cheapest maximum flow.
    pub used: bool,
    /// The maximum flow with the element closed.
    pub max_flow: f64,
    /// Base maximum minus `max_flow`, in the report's unit.
    pub lost: f64,
    /// `lost` over the base maximum, 0..1 (0 when the base carries 0).
    pub lost_share: f64,
    /// The cheapest cost per unit of the maximum flow with the element
    /// closed; 0 when nothing flows.
    pub cost_per_unit: f64,
    /// `cost_per_unit` minus the base's; `None` when either carries 0.
    pub cost_change: Option<f64>,
    /// Some path of open elements (capacities ignored) still leads from
    /// an origin to a destination.
    pub connected: bool,
    /// Origins and destinations that had such a path to the other side
    /// and have none once the element is closed.
    pub cut_off: Vec<String>,
    /// As `CapacityReport::exact`, for the network with the element
    /// closed.
    pub exact: bool,
}

/// The order kinds are examined and listed in.
pub const KIND_ORDER: [&str; 4] = ["link", "terminal", "border", "node"];

fn kind_rank(kind: &str) -> usize {
    KIND_ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KIND_ORDER.len())
}

impl CriticalElement {
    /// Whether closing it changes anything the report shows.
    pub fn has_effect(&self) -> bool {
        self.lost != 0.0
            || self.cost_change.is_some_and(|c| c != 0.0)
            || !self.connected
            || !self.cut_off.is_empty()
    }

    /// Most critical first: more flow lost; then disconnecting before
    /// not; then more origins or destinations cut off; then a larger
    /// rise in cost; then kind (link, terminal, border, node) and id, so
    /// the order is total and the same however the elements were split.
    pub fn rank(a: &Self, b: &Self) -> Ordering {
        let cost = |e: &Self| e.cost_change.unwrap_or(f64::NEG_INFINITY);
        b.lost
            .total_cmp(&a.lost)
            .then_with(|| a.connected.cmp(&b.connected))
            .then_with(|| b.cut_off.len().cmp(&a.cut_off.len()))
            .then_with(|| cost(b).total_cmp(&cost(a)))
            .then_with(|| kind_rank(&a.kind).cmp(&kind_rank(&b.kind)))
            .then_with(|| a.id.cmp(&b.id))
    }
}

/// The answer to a criticality question. Deserialize: parts answered by
/// separate workers (Ray tasks) come back as JSON to be merged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriticalityReport {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub commodity: String,
    pub minimize: String,
    /// Scenarios applied before anything is closed, in order.
    pub scenarios: Vec<String>,
    pub unit: String,
    /// The kinds closed (`link`, `terminal`, `border`, `node`).
    pub kinds: Vec<String>,
    pub base: CriticalityBase,
    /// Whether elements carrying no flow were answered from the base
    /// (see docs/criticality.md) rather than solved again.
    pub shortcut: bool,
    /// Every open element of the chosen kinds (of the part, if one was
    /// asked), most critical first (see [`CriticalElement::rank`]).
    pub elements: Vec<CriticalElement>,
    pub notes: Vec<String>,
    /// The part of the elements this report holds, when only one was
    /// asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
}
