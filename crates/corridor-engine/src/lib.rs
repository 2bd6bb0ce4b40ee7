//! The engine: lowers a [`corridor_model::Network`] into a graph per
//! commodity and runs the questions Corridor answers on it (routes now;
//! capacity, scenarios and assignment build on the same lowering).
//!
//! It sees no files and no terminal: `corridor-io` reads and writes,
//! `corridor-cli` talks to people. Results come back in model ids.
//! [`answer`] is the entry every face calls: questions in users' words
//! (`corridor_model::query`) in, results (`corridor_model::results`) out.

pub mod answer;
pub mod assign;
pub mod assign_freight;
pub mod capacity;
pub mod compare;
pub mod cost;
pub mod explain;
pub mod lower;
pub mod lower_flow;
pub mod merge;
pub mod route;
pub mod snap;

pub use capacity::{
    Bottleneck, CapacityQuery, CapacityReport, ElementFlow, capacity, capacity_query,
};
pub use compare::{CompareReport, compare};
/// The assignment algorithms and their per-iteration report, for faces
/// that name a method without depending on `corridor-graph`.
pub use corridor_graph::assignment::{IterationStat, Method};
pub use cost::{ArcAttrs, Objective};
pub use lower::{ArcOrigin, Lowered, VertexRole};
pub use route::{Avoid, RouteRequest, RouteResult, route};

/// Errors of engine queries. A query that finds no route is an error
/// whose message explains why in a planner's words.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("unknown {kind} \"{id}\"")]
    UnknownId { kind: &'static str, id: String },
    #[error("{0}")]
    NoRoute(String),
    #[error("{0}")]
    InvalidRequest(String),
    /// A query field that does not fit the network (an unknown place,
    /// commodity, scenario or method; a knob out of range). `field` is the
    /// query's field name, so an API can point at it; the message is the
    /// one the CLI prints.
    #[error("{message}")]
    InvalidQuery { field: String, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
