//! An assignment's answer in users' ids: how the run converged and, for
//! freight networks, the flow of every commodity through every link,
//! terminal and border.
//!
//! Fields are declared in alphabetical order because the JSON of `assign`
//! has always listed its keys sorted; `serde` writes them in declaration
//! order. Fields marked `serde(skip)` feed the text and CSV writers but were
//! never part of the JSON, which stays identical to earlier releases.

use crate::Objective;
use serde::Serialize;
use std::collections::BTreeMap;

/// One iteration of an equilibrium run: the convergence as data (what
/// `--plot` draws).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct IterationRecord {
    /// 1-based.
    pub iteration: usize,
    /// Beckmann objective at the flows.
    pub objective: f64,
    pub relative_gap: f64,
    /// Wall time since the start of the assignment.
    pub seconds: f64,
}

/// The answer to an assignment: road-like networks (veh/h) are one class
/// of vehicles, freight networks (t/day) one class per commodity. In JSON
/// either is its own object (no tag), as it always was.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AssignResult {
    Road(RoadAssignResult),
    Freight(FreightAssignResult),
}

impl AssignResult {
    /// The convergence history, whichever kind of network.
    pub fn history(&self) -> &[IterationRecord] {
        match self {
            AssignResult::Road(r) => &r.history,
            AssignResult::Freight(r) => &r.history,
        }
    }

    /// The method's short name (`aon`, `fw`, `cfw`, `bfw`, `algb`).
    pub fn method(&self) -> &str {
        match self {
            AssignResult::Road(r) => &r.method,
            AssignResult::Freight(r) => &r.method,
        }
    }
}

/// Flow and cost of one link of a road-like network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkLoad {
    pub id: String,
    pub from: String,
    pub to: String,
    /// In the network's flow unit.
    pub flow: f64,
    /// Generalised cost at that flow; NaN for a closed link.
    pub cost: f64,
}

/// A road-like network's equilibrium.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoadAssignResult {
    pub history: Vec<IterationRecord>,
    pub iterations: usize,
    pub method: String,
    /// Beckmann objective.
    pub objective: f64,
    pub relative_gap: f64,
    /// Wall time including lowering.
    pub seconds: f64,
    #[serde(skip)]
    pub converged: bool,
    /// Demand whose destination cannot be reached (not assigned).
    #[serde(skip)]
    pub unreachable_demand: f64,
    /// Every link in network order (the `--flows` CSV).
    #[serde(skip)]
    pub links: Vec<LinkLoad>,
    /// What the run was asked: the target gap and how many demand rows.
    #[serde(skip)]
    pub target_gap: f64,
    #[serde(skip)]
    pub demand_rows: usize,
}

/// What one commodity shipped and paid at the equilibrium.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommodityLoad {
    pub commodity: String,
    pub relative_gap: f64,
    /// t/day of demand (intrazonal rows excluded).
    pub t_per_day: f64,
    /// Σ flow × cost in the objective's unit per day.
    pub total_cost: f64,
    /// t/day with no itinerary (not assigned).
    pub unreachable_t_per_day: f64,
    /// On sea lanes: t/day of demand per vessel class, by the class each
    /// origin–destination pair sails (absent without sea lanes).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub vessels: BTreeMap<String, f64>,
}

/// Flow through one link, terminal or border at the equilibrium. Links
/// carry `from` and `to`, terminals and borders their `node`. Non-finite
/// numbers (no capacity, closed) are written as JSON `null`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElementLoad {
    pub capacity_t_per_day: Option<f64>,
    /// t/day of all commodities (both directions of a link).
    pub flow: f64,
    /// t/day per commodity id.
    pub flow_by_commodity: BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Hours to pass at the equilibrium load (a link's busier direction; a
    /// border's longest dwell); NaN when closed.
    pub hours: f64,
    pub id: String,
    /// Capacity-equivalent t/day (a link's busier direction, commodities
    /// weighted by their capacity factors).
    pub load: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// load / capacity; NaN without a capacity.
    pub utilisation: f64,
}

/// A freight network's multi-class equilibrium.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FreightAssignResult {
    /// Every border, network order.
    pub borders: Vec<ElementLoad>,
    /// Per commodity of the demand, in the network's commodity order.
    pub commodities: Vec<CommodityLoad>,
    pub converged: bool,
    pub history: Vec<IterationRecord>,
    pub iterations: usize,
    /// Every link, network order.
    pub links: Vec<ElementLoad>,
    pub method: String,
    pub minimize: Objective,
    /// The (value-of-time normalised) Beckmann objective, hours-equivalent
    /// per day.
    pub objective: f64,
    pub relative_gap: f64,
    pub seconds: f64,
    /// True when the equilibrium is the minimum of `objective` (see
    /// `docs/assignment.md`).
    pub symmetric: bool,
    /// Every terminal, network order.
    pub terminals: Vec<ElementLoad>,
    #[serde(skip)]
    pub target_gap: f64,
    #[serde(skip)]
    pub demand_rows: usize,
}
