//! A comparison's answer: base against scenario, side by side.

use crate::Itinerary;
use crate::results::{Bottleneck, CapacityReport, OptimiseComparison};
use serde::Serialize;

/// The best route of one network, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteOutcome {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub itinerary: Option<Itinerary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_route: Option<String>,
}

/// Flow of one element before and after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowChange {
    pub kind: String,
    pub id: String,
    pub name: String,
    pub before: f64,
    pub after: f64,
    pub change: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareReport {
    /// Names of the scenarios applied, in order.
    pub scenarios: Vec<String>,
    pub base: CapacityReport,
    pub scenario: CapacityReport,
    /// Scenario capacity over base capacity; `None` when the base carries 0.
    pub ratio: Option<f64>,
    pub bottlenecks_appeared: Vec<Bottleneck>,
    pub bottlenecks_disappeared: Vec<Bottleneck>,
    pub route_before: RouteOutcome,
    pub route_after: RouteOutcome,
    /// The elements whose flow changed most, largest change first.
    pub flow_changes: Vec<FlowChange>,
    /// Base vs scenario system optimum, when the query gave a demand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimise: Option<OptimiseComparison>,
}
