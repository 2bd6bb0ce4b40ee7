//! The engine: lowers a [`corridor_model::Network`] into a graph (one
//! [`lower()`] for every question, [`LowerConfig`] saying what a question
//! adds) and runs the questions Corridor answers on it: routes, capacity,
//! scenario comparison, assignment and the system optimum.
//!
//! It sees no files and no terminal: `corridor-io` reads and writes,
//! `corridor-cli` talks to people. Results come back in model ids.
//! [`answer`] is the entry every face calls: questions in users' words
//! (`corridor_model::query`) in, results (`corridor_model::results`) out.

pub mod access;
pub mod answer;
pub mod arc_origin;
pub mod assign;
pub mod capacity;
pub mod compare;
pub mod cost;
pub mod criticality;
pub mod explain;
pub mod hierarchy;
pub mod invest;
pub mod land;
pub mod lower;
pub mod merge;
pub mod optimise;
pub mod progress;
pub mod route;
pub mod snap;
pub mod sweep;
pub mod threads;
pub mod water_path;

pub use access::{Avoid, NamedObstacle, NodeRef, Obstacle};
pub use arc_origin::{ArcOrigin, Element, LayerIdx};
pub use assign::{AssignConfig, AssignReport, CostTerms};
pub use capacity::{Bottleneck, CapacityQuery, CapacityReport, ElementFlow, capacity_query};
pub use compare::{CompareReport, compare};
/// The assignment algorithms and their per-iteration report, for faces
/// that name a method without depending on `corridor-graph`.
pub use corridor_graph::assignment::{IterationStat, Method};
pub use cost::{ArcAttrs, Objective};
pub use criticality::{CriticalityConfig, CriticalityStats, criticality, criticality_with_stats};
pub use explain::{NoRoute, NoRouteReason};
pub use invest::{InvestConfig, Project, invest};
pub use lower::{
    ElementTable, LowerConfig, Lowered, SourceSinkConfig, VertexRole, ZoneConfig, lower,
};
pub use optimise::{OptimiseConfig, OptimiseReport};
pub use progress::Progress;
pub use route::{RouteConfig, RouteResult, Shipment, route};
pub use sweep::{SweepConfig, sweep};

/// Errors of engine queries. A query that finds no route is an error
/// that carries why (its message says it in a planner's words).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("unknown {kind} \"{id}\"")]
    UnknownId { kind: &'static str, id: String },
    /// Boxed: the explanation is large and errors travel in every `Result`.
    #[error("{0}")]
    NoRoute(Box<NoRoute>),
    #[error("{0}")]
    InvalidRequest(String),
    /// A query field that does not fit the network (an unknown place,
    /// commodity, scenario or method; a knob out of range). `field` is the
    /// query's field name, so an API can point at it; the message is the
    /// one the CLI prints.
    #[error("{message}")]
    InvalidQuery { field: String, message: String },
    /// The asker cancelled the question through its [`Progress`] before it
    /// finished; no partial answer is given.
    #[error("the question was cancelled")]
    Cancelled,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
