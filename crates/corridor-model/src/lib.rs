//! Corridor's domain model in users' words: nodes, links, modes and gauges,
//! terminals, borders, commodities, validation diagnostics; the questions
//! users ask (`query`) and every command's answer (`results`).
//!
//! This crate does no I/O and knows no file format; `corridor-io` fills a
//! [`Network`] from files and `corridor-engine` lowers it into graphs. Units
//! are fixed here once: tonnes, km, hours, tonnes/day, kg CO2 and money in the
//! network's currency.

pub mod commodity;
pub mod demand;
pub mod diagnostic;
pub mod ids;
pub mod itinerary;
pub mod mode;
pub mod network;
pub mod objective;
pub mod quantity;
pub mod query;
pub mod results;
pub mod scenario;
mod validate;
pub mod vessel;

pub use commodity::{Commodity, CommodityClass, CommodityRule};
/// The string type of node and link ids, names and country codes: inline
/// up to 24 bytes (as large as a `String`, with no heap allocation behind
/// it), so that a network of millions of elements holds no small heap
/// strings for them. Reads as a `&str`; build one with `.into()`.
pub use compact_str::CompactString;
pub use diagnostic::{Diagnostic, Severity, SourceRef};
pub use ids::{BorderId, CommodityId, LinkId, NodeId, TerminalId};
pub use itinerary::{BorderCrossing, Itinerary, Leg, Step, Totals, Transfer};
pub use mode::{Layer, Mode, ModeDefaults, ModeTable};
pub use network::{
    Border, Detached, FlowUnit, Link, LinkDetails, NOT_FREIGHT_PORT_TAGS, Network, Node,
    NodeDetails, NodeKind, Terminal, Vehicles,
};
pub use objective::Objective;
pub use quantity::Quantity;
pub use query::{
    AssignQuery, CapacityQuery, CompareQuery, CriticalityQuery, DemandEntry, Endpoint, Formulation,
    InvestQuery, OptimiseQuery, Part, ProjectEntry, RouteQuery, RoutingEngine, SkimQuery,
    SweepQuery,
};
pub use results::RouteResult;
pub use scenario::{Edit, EditAt, ElementKind, ElementRef, Scenario, Selection};
pub use vessel::{
    PORT_DRAUGHT_TAG, SEA_LANE_TAG, VESSEL_CLASSES, VesselClass, is_sea_lane, port_draught_m,
    vessels_for,
};

/// Errors of the model's own operations (lookups and edits); reading files
/// has its own error type in `corridor-io`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("unknown {kind} \"{id}\"")]
    UnknownId { kind: &'static str, id: String },
    #[error("duplicate {kind} id \"{id}\"")]
    DuplicateId { kind: &'static str, id: String },
    #[error("{0}")]
    Invalid(String),
    /// A scenario edit that cannot be applied (an unknown id, a value out
    /// of range); `place` names the file, line, edit number and what the
    /// edit does.
    #[error("{place}: {message}")]
    Edit {
        place: Box<scenario::EditPlace>,
        message: String,
    },
    /// The errors a network has after scenario edits (what
    /// `Network::validate` finds), each at the edit that caused it.
    #[error(
        "the network after the scenarios has {} error(s):\n{}",
        .0.len(),
        scenario::lines(.0)
    )]
    EditedNetwork(Vec<scenario::EditedError>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
