//! Answers to questions in users' words: the one entry point the CLI, an
//! HTTP server and the Python package all call, so one question gives the
//! same result (and byte-identical JSON) on every face.
//!
//! A query names its scenarios; a face applies them with
//! [`with_scenarios`] (picking by name from the scenarios it loaded: files
//! on the command line, a server's scenario folder) and asks the query of
//! the network that comes back, which its writers then also use (GeoJSON
//! draws the edited network). [`compare`] alone takes the base and the
//! scenarios, since it answers on both. Each function resolves places and
//! commodities, runs the engine's own functions (`route`, `capacity`,
//! `compare`, `assign`, `optimise`) and returns a type of
//! `corridor_model::results`. The long ones (`criticality`, `sweep`,
//! `invest`) take a [`crate::Progress`] that counts their units of work
//! and can cancel them, and have a `check_*` that refuses their query
//! before any work, for faces that answer later (a server's jobs). It
//! reads no file and prints nothing: faces
//! read networks, scenarios and demand with `corridor-io` and write results
//! with `corridor_io::report`.

mod assign;
mod criticality;
mod flows;
mod invest;
mod optimise;
mod place;
mod route;
mod scenarios;
mod skim;
mod sweep;

pub use assign::{
    METHODS, ProgressFn, assign, assign_rows, check_assign_knobs, check_assign_network, demand_rows,
};
pub use criticality::{
    ELEMENT_KINDS, check_criticality, criticality, element_kinds, merge_criticality,
};
pub use flows::{capacity, compare};
pub use invest::{check_invest, invest};
pub use optimise::{
    compare_optima, optimise, optimise_config, optimise_lp, optimise_rows, optimise_rows_traced,
};
pub use place::{ensure_commodity, resolve_commodity, resolve_node, snapped};
pub use route::{PreparedNetwork, route, route_with_stored, route_with_stored_order};
pub use scenarios::{apply_scenarios, pick_scenarios, with_scenarios};
pub use skim::skim;
pub use sweep::{check_sweep, merge_sweep, sweep};
