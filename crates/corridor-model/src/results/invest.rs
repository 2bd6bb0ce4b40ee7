//! An investment screening's answer: what each project adds to the
//! capacity on its own, and the set within the budget that adds most,
//! with the method that found it and whether it is proven best.

use serde::Serialize;

/// One project on its own.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectOutcome {
    pub name: String,
    pub scenario: String,
    pub cost: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The maximum flow with this project alone; `None` if it failed.
    pub max_flow: Option<f64>,
    /// `max_flow` minus the base's.
    pub added: Option<f64>,
    /// `added` per unit of cost; `None` for a project that costs 0.
    pub added_per_cost: Option<f64>,
    /// Its edits only raise capacities, open or add elements (see
    /// docs/capacity.md, "Investment screening").
    pub raises_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The set of projects chosen within the budget.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BestSet {
    /// Project names, in the order the projects are listed.
    pub projects: Vec<String>,
    pub cost: f64,
    pub max_flow: f64,
    /// `max_flow` minus the base's.
    pub added: f64,
    /// `branch and bound`, `enumeration` or `greedy`.
    pub method: String,
    /// Proven to add most within the budget (ties broken by lower cost).
    pub exact: bool,
    /// No set within the budget exceeds this (greedy with projects that
    /// only raise capacities: the maximum with every affordable project).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper_bound: Option<f64>,
    /// Combinations whose maximum flow was computed.
    pub evaluated: usize,
}

/// The answer to an investment screening.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InvestReport {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub commodity: String,
    pub minimize: String,
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_unit: Option<String>,
    pub budget: f64,
    pub base_max_flow: f64,
    /// In the order the query lists them.
    pub projects: Vec<ProjectOutcome>,
    pub best: BestSet,
    pub notes: Vec<String>,
}
