//! A capacity answer: the maximum flow between origins and destinations,
//! the bottlenecks of a minimum cut and the flow through each element of the
//! cheapest maximum flow, all in users' ids.

use serde::Serialize;

/// One element of a minimum cut.
/// Deserialize: sweep reports come back from workers as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Bottleneck {
    /// `link`, `terminal`, `border`, `node` (a port's or station's own
    /// capacity), `supply` or `absorption` (limits given with the query).
    pub kind: String,
    pub id: String,
    pub name: String,
    /// The capacity the cut counts for this element, in the report's unit.
    pub capacity: f64,
    /// Its part of the cut (and so of the maximum flow), 0..1.
    pub share: f64,
}

/// Flow through one element in the cheapest maximum flow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElementFlow {
    pub kind: String,
    pub id: String,
    pub name: String,
    pub flow: f64,
    /// `None` when the element has no capacity.
    pub capacity: Option<f64>,
    /// Flow over capacity (for a link, its busier direction over the
    /// per-direction capacity); `None` without a capacity.
    pub utilisation: Option<f64>,
}

/// The answer to a capacity question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapacityReport {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub commodity: String,
    pub minimize: String,
    pub max_flow: f64,
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_flow_mt_per_year: Option<f64>,
    pub bottlenecks: Vec<Bottleneck>,
    /// Elements carrying flow, sorted by kind then id.
    pub elements: Vec<ElementFlow>,
    /// Cost of the cheapest maximum flow per unit of flow (per tonne), by
    /// the chosen criterion.
    pub cost_per_unit: f64,
    /// False when a capacity shared across layers had to be divided (see
    /// `lower_flow`); `max_flow` is then feasible and `upper_bound` is what
    /// the relaxation allowed.
    pub exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper_bound: Option<f64>,
    pub notes: Vec<String>,
}
