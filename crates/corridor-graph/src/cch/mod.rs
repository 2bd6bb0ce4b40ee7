//! Customizable contraction hierarchies (CCH): one-to-one shortest paths
//! in well under a millisecond on continental graphs, for many weightings
//! of one topology.
//!
//! The work is split in three phases, each cheaper and more frequent than
//! the one before:
//! 1. [`nested_dissection_order`]: a vertex order from the topology alone
//!    (and coordinates), once per topology.
//! 2. [`Cch::new`]: contraction in that order, adding every shortcut any
//!    weighting could need (the chordal supergraph of the undirected
//!    graph), plus the elimination tree. Also metric-independent.
//! 3. [`Cch::customize`]: shortcut weights for one weight vector (one per
//!    commodity, objective and scenario: closures change weights, not the
//!    topology) by basic customization over lower triangles, level by
//!    elimination level; a level with enough triangles runs its vertices in
//!    parallel, and a heavy vertex its lower neighbours in parallel chunks.
//!
//! [`CchQuery`] then answers one-to-one (multi-source, multi-target)
//! questions by the elimination-tree query and unpacks shortcuts into the
//! original arcs; [`many_to_many`] answers a whole matrix by buckets,
//! summing extra per-arc quantities along each path without unpacking it;
//! [`Rphast`] gives many sources' distances to one fixed target set by
//! linear sweeps (what the relative gap of a traffic assignment needs).
//!
//! Inside, vertices are numbered by rank; an edge `{lo, hi}` (`lo < hi`)
//! of the upward graph carries a *forward* weight (`lo → hi`) and a
//! *backward* one (`hi → lo`).
//!
//! Reference: J. Dibbelt, B. Strasser and D. Wagner, "Customizable
//! Contraction Hierarchies", ACM Journal of Experimental Algorithmics 21
//! (2016); RoutingKit (Strasser et al.) is the reference implementation.

mod bisect;
mod contract;
mod customize;
mod flow;
mod many;
mod order;
mod query;
mod rphast;
mod stored;

pub use bisect::level_set_order;
pub use contract::Cch;
pub use customize::CchMetric;
pub use many::{CompensatedSum, PairSums, many_to_many};
pub use order::nested_dissection_order;
pub use query::CchQuery;
pub use rphast::{Rphast, RphastQuery};
pub use stored::{ORDER_LAYOUT_VERSION, order_from_bytes, order_to_bytes, topology_fingerprint};

#[cfg(test)]
mod tests;
