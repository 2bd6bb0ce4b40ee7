//! Graphs as flat arrays and the algorithms Corridor runs on them.
//!
//! This crate speaks only of **vertices** and **arcs** ([`VertexIdx`] and
//! [`ArcIdx`], newtypes over `u32`) and `f64` slices indexed by arc. It
//! knows nothing of freight, modes, terminals or files: `corridor-engine`
//! lowers a network into a [`Csr`] plus weight arrays and maps results back
//! to model ids.

pub mod assignment;
pub mod astar;
pub mod bidirectional;
pub mod cch;
mod cost_scaling;
pub mod csr;
mod heap;
pub mod max_flow;
pub mod min_cost_flow;
pub mod pareto;
pub mod shortest_path;
#[cfg(test)]
mod test_support;
pub mod vdf;
pub mod warm_flow;

pub use astar::AStar;
pub use bidirectional::{BidirectionalDijkstra, ReverseGraph};
pub use csr::{ArcIdx, Csr, VertexIdx};
pub use shortest_path::{INFINITY, ShortestPath};

/// Errors of the graph algorithms: inputs that are not a well-posed problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Wrong slice lengths, negative or NaN capacities or costs, bad vertex.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A path of unlimited capacity joins source and sink.
    #[error("the flow is unbounded: a path of unlimited capacity joins source and sink")]
    Unbounded,
}
