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
//! - the arc-node LP (`lp.rs`), solved by the built-in `microlp`
//!   (`microlp.rs`, up to [`MICROLP_MAX_COLUMNS`] columns) or, with the
//!   `highs` feature, by HiGHS (`highs.rs`, up to
//!   [`HIGHS_ARC_NODE_MAX_COLUMNS`]);
//! - column generation (arc-path master solved by HiGHS, pricing by
//!   Dijkstra per origin and commodity) beyond that, `highs` only.
//!
//! `compare.rs` sets a base against a scenario. `docs/optimise.md` has the formulation, units, penalty, duals and the
//! measured limits.

mod compare;
mod lp;
// With HiGHS the built-in solver serves the tests only.
#[cfg_attr(feature = "highs", allow(dead_code))]
mod microlp;
mod problem;
mod report;

#[cfg(feature = "highs")]
mod highs;
#[cfg(test)]
mod tests;

pub use compare::{MAX_PRICE_CHANGES, compare};
pub use lp::{ArcNode, Flows, Lp, LpSolution};
pub use microlp::MICROLP_MAX_COLUMNS;
pub use problem::{CapacityRow, Group, Od, Problem, RowUse, build, default_penalty};
pub use report::OptimiseReport;

use crate::{Objective, Result};
use corridor_model::Network;
use corridor_model::demand::DemandRow;
use corridor_model::results::LpSize;
use std::time::Instant;

/// The largest arc-node LP (columns) HiGHS is given as it is; larger
/// problems go to column generation (measured, see docs/optimise.md).
pub const HIGHS_ARC_NODE_MAX_COLUMNS: usize = 1_000_000;

/// How to solve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Method {
    /// The arc-node LP when it is small enough, else column generation.
    #[default]
    Auto,
    ArcNode,
    /// Needs the `highs` feature.
    ColumnGeneration,
}

impl Method {
    /// `auto`, `arc-node` or `column-generation`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Method::Auto),
            "arc-node" => Some(Method::ArcNode),
            "column-generation" => Some(Method::ColumnGeneration),
            _ => None,
        }
    }
}

/// The knobs of [`optimise`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OptimiseConfig {
    pub minimize: Objective,
    /// Per t/day unserved; `None` derives it ([`default_penalty`]).
    pub unserved_penalty: Option<f64>,
    pub method: Method,
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
    solve(net, p, config.method, start)
}

/// Solves a built problem (see the module doc for which way).
pub fn solve(
    net: &Network,
    problem: Problem,
    method: Method,
    start: Instant,
) -> Result<OptimiseReport> {
    let bound = problem.arc_node_bound();
    let limit = if HAS_HIGHS {
        HIGHS_ARC_NODE_MAX_COLUMNS
    } else {
        MICROLP_MAX_COLUMNS
    };
    let arc_node = match method {
        Method::ArcNode => true,
        Method::ColumnGeneration => false,
        Method::Auto => bound <= limit || !HAS_HIGHS,
    };
    let (flows, lp) = if arc_node {
        solve_arc_node(net, &problem)?
    } else {
        solve_column_generation(net, &problem)?
    };
    Ok(OptimiseReport {
        problem,
        flows,
        lp,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn solve_arc_node(net: &Network, p: &Problem) -> Result<(Flows, LpSize)> {
    let an = ArcNode::build(p, net);
    let lp = &an.lp;
    let size = |solver: &str| LpSize {
        formulation: "arc-node".into(),
        solver: solver.into(),
        columns: lp.n_cols(),
        rows: lp.n_rows(),
        nonzeros: lp.nonzeros(),
        rounds: 1,
        flows: p.groups.len(),
    };
    #[cfg(feature = "highs")]
    {
        let s = highs::solve(lp)?;
        Ok((an.solved(p, &s), size("highs")))
    }
    #[cfg(not(feature = "highs"))]
    {
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

fn solve_column_generation(net: &Network, p: &Problem) -> Result<(Flows, LpSize)> {
    #[cfg(feature = "highs")]
    {
        let (flows, st) = highs::column_generation(p, net)?;
        let size = LpSize {
            formulation: "column-generation".into(),
            solver: "highs".into(),
            columns: st.columns,
            rows: st.rows,
            nonzeros: st.nonzeros,
            rounds: st.rounds,
            flows: p.groups.len(),
        };
        Ok((flows, size))
    }
    #[cfg(not(feature = "highs"))]
    {
        let _ = (net, p);
        Err(crate::Error::InvalidRequest(
            "column generation needs HiGHS: build Corridor with `--features highs` (see docs/optimise.md)".into(),
        ))
    }
}

/// The arc-node LP of a demand, for `--write-lp` (the benchmark solves the
/// same LP with scipy).
pub fn arc_node_lp(net: &Network, demand: &[DemandRow], config: &OptimiseConfig) -> Result<Lp> {
    let p = build(net, demand, config.minimize, config.unserved_penalty)?;
    Ok(ArcNode::build(&p, net).lp)
}
