//! A system optimum's answer in users' ids: the cheapest plan that moves a
//! demand within the capacities of links, terminals, borders and nodes,
//! what it costs per commodity, what cannot move (by origin–destination
//! pair), what one more t/day of each binding capacity is worth, and the
//! flow of every commodity through every element. The engine fills it
//! (`corridor_engine::optimise`); `docs/optimise.md` defines every number.

use serde::Serialize;
use std::collections::BTreeMap;

/// Size of the linear program that was solved, and how.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LpSize {
    /// `arc-node` (one flow variable per arc and origin–commodity) or
    /// `paths` (path variables added by shortest paths: column generation).
    pub formulation: String,
    /// `microlp` (built in) or `highs`.
    pub solver: String,
    /// Columns and rows of the (final, for column generation) LP.
    pub columns: usize,
    pub rows: usize,
    pub nonzeros: usize,
    /// Column generation rounds (1 for the arc-node LP).
    pub rounds: usize,
    /// Origin–commodity flows (the LP's commodities).
    pub flows: usize,
}

/// What one commodity moves and pays in the optimum.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommodityOptimum {
    pub commodity: String,
    /// t/day asked (intrazonal rows excluded).
    pub demand_t_per_day: f64,
    pub served_t_per_day: f64,
    pub unserved_t_per_day: f64,
    /// Σ flow × cost per tonne by `minimize`, per day (penalty excluded).
    pub total_cost: f64,
    /// `total_cost` / served; 0 when nothing moves.
    pub cost_per_t: f64,
}

/// Demand of one origin–destination pair and commodity that cannot move.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnservedDemand {
    pub origin: String,
    pub destination: String,
    pub commodity: String,
    pub demand_t_per_day: f64,
    pub unserved_t_per_day: f64,
}

/// The dual of one binding capacity: what one more t/day of it saves per
/// day (in the objective's unit; penalties of unserved demand included).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShadowPrice {
    /// `link` (one direction), `terminal`, `border` or `node`.
    pub kind: String,
    pub id: String,
    pub name: String,
    /// A link direction's ends, in travel order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Capacity-equivalent t/day.
    pub capacity_t_per_day: f64,
    /// Capacity-equivalent t/day used (commodities weighted by their
    /// capacity factors).
    pub load_t_per_day: f64,
    /// Objective saved per day per extra t/day of capacity (≥ 0).
    pub shadow_price: f64,
}

/// Flow through one link, terminal, border or node with a capacity in the
/// optimum. Links carry `from` and `to` (both directions summed in `flow`;
/// `load` and `utilisation` are the busier direction's), the others `node`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElementOptimum {
    pub kind: String,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// t/day of all commodities.
    pub flow: f64,
    /// t/day per commodity id (commodities with demand).
    pub flow_by_commodity: BTreeMap<String, f64>,
    /// Capacity-equivalent t/day.
    pub load: f64,
    pub capacity_t_per_day: Option<f64>,
    /// load / capacity; `None` without a capacity.
    pub utilisation: Option<f64>,
}

/// The answer to `optimise`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptimiseResult {
    pub network: String,
    /// `cost`, `time`, `distance`, `co2` or `generalised`.
    pub minimize: String,
    /// The objective's unit per tonne: the network's currency for `cost`
    /// and `generalised`, `h`, `km` or `kg CO2` otherwise.
    pub unit: String,
    /// Penalty per t/day of unserved demand, in `unit`.
    pub unserved_penalty: f64,
    /// `default` (derived from the network, see docs/optimise.md) or `given`.
    pub penalty_source: String,
    /// Moving the served demand, per day (penalties excluded).
    pub total_cost: f64,
    /// `total_cost` + penalty × unserved: what the LP minimised.
    pub objective: f64,
    /// `optimal` (proven), `gap reached` (`gap` ≤ the query's `gap`) or
    /// `time limit` (stopped by `time_limit_seconds`). Only `optimal`
    /// answers are proven optimal; the others are feasible plans whose
    /// unserved demand and shadow prices may be artefacts of stopping
    /// early.
    pub status: String,
    /// A proven lower bound on the optimal objective (the best Lagrangian
    /// bound of column generation; `objective` when optimal).
    pub lower_bound: f64,
    /// (objective − lower_bound) / |objective| (0 when optimal): the
    /// optimum lies in [lower_bound, objective].
    pub gap: f64,
    pub demand_t_per_day: f64,
    pub served_t_per_day: f64,
    pub unserved_t_per_day: f64,
    /// Per commodity with demand, in the network's commodity order.
    pub by_commodity: Vec<CommodityOptimum>,
    /// Origin–destination pairs with unserved demand, largest first.
    pub unserved: Vec<UnservedDemand>,
    /// Binding capacities, highest price first.
    pub shadow_prices: Vec<ShadowPrice>,
    /// Every link, terminal, border and node with a capacity, in that
    /// order, each in network order.
    pub elements: Vec<ElementOptimum>,
    pub lp: LpSize,
    /// Demand rows as given.
    pub demand_rows: usize,
    /// Wall time including lowering.
    pub seconds: f64,
}

/// One side of a comparison of system optima.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptimumTotals {
    pub total_cost: f64,
    pub objective: f64,
    pub served_t_per_day: f64,
    pub unserved_t_per_day: f64,
}

/// An origin–destination pair whose unserved demand changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnservedChange {
    pub origin: String,
    pub destination: String,
    pub commodity: String,
    pub before: f64,
    pub after: f64,
}

/// A capacity whose shadow price changed (0 where it does not bind).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShadowPriceChange {
    pub kind: String,
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub before: f64,
    pub after: f64,
}

/// Base against scenario system optimum for the same demand, with one
/// penalty on both sides (the larger of the two defaults unless given).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptimiseComparison {
    pub minimize: String,
    pub unit: String,
    pub unserved_penalty: f64,
    pub base: OptimumTotals,
    pub scenario: OptimumTotals,
    pub unserved_changes: Vec<UnservedChange>,
    /// Largest change first.
    pub shadow_price_changes: Vec<ShadowPriceChange>,
}
