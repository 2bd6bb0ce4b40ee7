//! The engine: lowers a [`corridor_model::Network`] into a graph per
//! commodity and runs the questions Corridor answers on it (routes now;
//! capacity, scenarios and assignment build on the same lowering).
//!
//! It sees no files and no terminal: `corridor-io` reads and writes,
//! `corridor-cli` talks to people. Results come back in model ids.

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
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
