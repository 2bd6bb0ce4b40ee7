//! The system optimum: the cheapest way to move a demand within hard
//! capacities — a capacitated multi-commodity minimum-cost flow on the
//! lowering `assign` uses. Each commodity keeps its own bans and costs
//! (`route`'s arc weights under `--minimize`); links (per direction),
//! terminals, borders and nodes share their capacity among all
//! commodities through the capacity factors `assign` uses; every
//! origin–destination pair may leave demand unserved at a penalty, so the
//! problem is always feasible and the answer says what cannot move. The
//! duals of the capacity rows are the shadow prices: what one more t/day
//! of a binding capacity saves per day.
//!
//! Flows are per origin and commodity (equivalent to per pair: grain from
//! A to X cannot stand in for grain from B to Y). [`build`] makes the
//! [`Problem`] (`problem.rs`), [`solve`] picks a formulation and a solver
//! and [`OptimiseReport::to_result`] maps the answer back (`report.rs`):
//!
//! - `arc-node`: the arc-node LP (`lp.rs`), solved by the built-in
//!   `microlp` (`microlp.rs`, up to [`MICROLP_MAX_COLUMNS`] columns) or,
//!   with the `highs` feature, by HiGHS (`highs.rs`);
//! - `paths`: column generation (`paths.rs`: arc-path master solved by
//!   HiGHS, or by microlp for small problems without it; pricing by
//!   Dijkstra per origin and commodity).
//!
//! `auto` ([`auto_formulation`]) takes the arc-node LP up to
//! [`HIGHS_ARC_NODE_MAX_COLUMNS`] flow columns (with HiGHS; without, up to
//! what microlp takes) and paths beyond.
//!
//! `compare.rs` sets a base against a scenario. `docs/optimise.md` has the formulation, units, penalty, duals and the
//! measured limits.

mod compare;
mod cut_bound;
mod flow_start;
mod greedy;
mod lagrangian;
mod lp;
// With HiGHS the built-in solver serves the tests only.
#[cfg_attr(feature = "highs", allow(dead_code))]
mod microlp;
mod paths;
mod pricing;
mod problem;
mod report;

#[cfg(feature = "highs")]
mod highs;
#[cfg(feature = "highs")]
pub use highs::HighsMaster;
#[cfg(test)]
mod tests;

pub use compare::{MAX_PRICE_CHANGES, compare};
pub use lp::{ArcNode, Flows, Lp, LpSolution};
pub use microlp::{MICROLP_MAX_COLUMNS, MicrolpMaster};
pub use paths::{
    Master, PathSolution, PathStats, PathsConfig, StopRule, Stopped, column_generation,
    master_rows, relative_gap,
};
pub use problem::{CapacityRow, Group, Od, Problem, RowUse, build, default_penalty};
pub use report::OptimiseReport;

use crate::{Objective, Result};
pub use corridor_model::Formulation;
use corridor_model::Network;
use corridor_model::demand::DemandRow;
use corridor_model::results::LpSize;
use std::time::Instant;

/// `auto` solves the arc-node LP up to this many flow columns with HiGHS
/// and column generation (`paths`) beyond (docs/optimise.md: where the
/// two cross on the benchmark's networks).
pub const HIGHS_ARC_NODE_MAX_COLUMNS: usize = 100_000;

/// The knobs of [`optimise`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OptimiseConfig {
    pub minimize: Objective,
    /// Per t/day unserved; `None` derives it ([`default_penalty`]).
    pub unserved_penalty: Option<f64>,
    pub formulation: Formulation,
    /// Write one line per solve of column generation's master to stderr
    /// (its size, simplex iterations, objective and bound): what
    /// `corridor optimise --verbose` shows.
    pub trace: bool,
    /// How column generation runs (`paths`; the optimum does not depend
    /// on it).
    pub paths: PathsConfig,
    /// Stop column generation once the relative gap between the master's
    /// objective and the best lower bound is at most this; `None`: at the
    /// optimum. The arc-node LP is always solved to the optimum.
    pub gap: Option<f64>,
    /// Stop column generation after the first feasible master solve past
    /// this many seconds since [`optimise`] began; `None`: no limit.
    pub time_limit_seconds: Option<f64>,
    /// Solve the arc-node LP by HiGHS's interior point method without
    /// crossover instead of dual simplex (`optimise_bench
    /// --arc-node-ipm`; ignored without HiGHS): how the optimum of the
    /// 100-group benchmark, a 2.2M-column arc-node LP, was found
    /// (docs/optimise.md, "Size limits").
    pub arc_node_ipm: bool,
}

/// Whether this build has HiGHS.
pub const HAS_HIGHS: bool = cfg!(feature = "highs");

/// [`build`] then [`solve`].
pub fn optimise(
    net: &Network,
    demand: &[DemandRow],
    config: &OptimiseConfig,
) -> Result<OptimiseReport> {
    let start = Instant::now();
    let p = build(net, demand, config.minimize, config.unserved_penalty)?;
    solve(net, p, config, start)
}

/// The formulation `auto` picks for `p` in this build: the arc-node LP
/// while its flow columns (counted before pruning) stay within the
/// solver's limit ([`HIGHS_ARC_NODE_MAX_COLUMNS`], or
/// [`MICROLP_MAX_COLUMNS`] without HiGHS), paths beyond.
pub fn auto_formulation(p: &Problem) -> Formulation {
    let limit = if HAS_HIGHS {
        HIGHS_ARC_NODE_MAX_COLUMNS
    } else {
        MICROLP_MAX_COLUMNS
    };
    if p.arc_node_bound() <= limit {
        Formulation::ArcNode
    } else {
        Formulation::Paths
    }
}

/// Solves a built problem in `formulation` (see the module doc).
pub fn solve(
    net: &Network,
    problem: Problem,
    config: &OptimiseConfig,
    start: Instant,
) -> Result<OptimiseReport> {
    let formulation = match config.formulation {
        Formulation::Auto => auto_formulation(&problem),
        f => f,
    };
    let (flows, lp, paths, stopped, bound) = if formulation == Formulation::ArcNode {
        let (flows, lp) = solve_arc_node(net, &problem, config)?;
        (flows, lp, None, Stopped::Optimal, None)
    } else {
        let (s, lp) = solve_paths(net, &problem, config, start)?;
        let bound = (s.stopped != Stopped::Optimal).then_some(s.bound);
        (s.flows, lp, Some(s.stats), s.stopped, bound)
    };
    Ok(OptimiseReport {
        problem,
        flows,
        lp,
        paths,
        stopped,
        bound,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn solve_arc_node(net: &Network, p: &Problem, config: &OptimiseConfig) -> Result<(Flows, LpSize)> {
    let an = ArcNode::build(p, net);
    let lp = &an.lp;
    let size = |solver: &str| LpSize {
        formulation: Formulation::ArcNode.as_str().into(),
        solver: solver.into(),
        columns: lp.n_cols(),
        rows: lp.n_rows(),
        nonzeros: lp.nonzeros(),
        rounds: 1,
        flows: p.groups.len(),
    };
    #[cfg(feature = "highs")]
    {
        let s = highs::solve_by(lp, config.arc_node_ipm, config.paths.solver_log)?;
        Ok((an.solved(p, &s), size("highs")))
    }
    #[cfg(not(feature = "highs"))]
    {
        let _ = config;
        if lp.n_cols() > MICROLP_MAX_COLUMNS {
            return Err(crate::Error::InvalidRequest(format!(
                "the problem's LP has {} columns ({} origin–commodity flows); the built-in solver takes up to {MICROLP_MAX_COLUMNS}: build Corridor with HiGHS (`cargo build --release -p corridor-cli --features highs`, see docs/optimise.md)",
                lp.n_cols(),
                p.groups.len()
            )));
        }
        let s = microlp::solve(lp)?;
        Ok((an.solved(p, &s), size("microlp")))
    }
}

/// Column generation with HiGHS's master, or microlp's in a build
/// without HiGHS.
fn solve_paths(
    net: &Network,
    p: &Problem,
    config: &OptimiseConfig,
    start: Instant,
) -> Result<(PathSolution, LpSize)> {
    let (lower, upper) = paths::master_rows(p);
    #[cfg(feature = "highs")]
    let mut master = highs::HighsMaster::new(&lower, &upper, &config.paths)?;
    #[cfg(not(feature = "highs"))]
    let mut master = microlp::MicrolpMaster::new(&lower, &upper);
    let stop = StopRule {
        gap: config.gap,
        deadline: (config.time_limit_seconds)
            .map(|t| start + std::time::Duration::from_secs_f64(t.clamp(0.0, 1e9))),
    };
    let knobs = (&config.paths, &stop, config.trace);
    let s = paths::column_generation(p, net, &mut master, knobs)?;
    let size = LpSize {
        formulation: Formulation::Paths.as_str().into(),
        solver: paths::Master::solver(&master).into(),
        columns: s.stats.columns,
        rows: s.stats.rows,
        nonzeros: s.stats.nonzeros,
        rounds: s.stats.rounds,
        flows: p.groups.len(),
    };
    Ok((s, size))
}

/// The arc-node LP of a demand, for `--write-lp` (the benchmark solves the
/// same LP with scipy).
pub fn arc_node_lp(net: &Network, demand: &[DemandRow], config: &OptimiseConfig) -> Result<Lp> {
    let p = build(net, demand, config.minimize, config.unserved_penalty)?;
    Ok(ArcNode::build(&p, net).lp)
}
