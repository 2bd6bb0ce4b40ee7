//! Traffic and freight assignment, one path whatever the network: demand
//! spread over links, terminals and border crossings that slow down as
//! they fill, until no traveller or shipper can switch to a cheaper path
//! (user equilibrium per class). [`assign`] is [`build`] (the lowering,
//! the congestible elements and the classes), [`solve`]
//! ([`corridor_graph::assignment::assign`] on a rayon pool of the asked
//! size) and [`report`] (arc flows back to links, terminals and borders);
//! [`AssignReport::to_result`] gives the model's result in users' ids.
//!
//! What tells a road-like network (veh/h: one class of vehicles, each link
//! direction congesting on its own, time + weighted toll and length) from
//! a freight one (t/day: one class per commodity sharing the capacities of
//! links, terminals and borders, `route`'s costs) is data, [`CostTerms`];
//! see `problem.rs` for what each step takes from it. A road-like network
//! is one class on per-arc elements, which the solver recognises and runs
//! on the BPR arrays themselves (and only there offers Algorithm B).
//!
//! Files: `config.rs` (the knobs and the cost terms), `problem.rs` (the
//! lowering into classes and elements), `report.rs` (the solution in model
//! terms), `result.rs` (the model's result, in users' ids). This module
//! reads no files: demand arrives as model rows.

mod config;
mod problem;
mod report;
mod result;
#[cfg(test)]
mod tests;

pub use config::{AssignConfig, CostTerms, MAX_THREADS};
pub use problem::{
    DEFAULT_BPR_ALPHA, DEFAULT_BPR_BETA, ELEMENT_BPR_ALPHA, ELEMENT_BPR_BETA, ElementLayout,
    Problem, build,
};
pub use report::{AssignReport, ClassReport, ElementFlows, report};
pub use result::iteration_record;

use crate::{Error, Result};
use corridor_graph::assignment::{self as solver, Assignment, IterationStat, Method};
use corridor_model::Network;
use corridor_model::demand::DemandRow;
use std::time::Instant;

/// Assigns `demand` on `net`: [`build`], [`solve`], [`report`].
/// `on_iteration` sees every iteration as it ends (progress bars).
///
/// # Errors
/// [`Error::InvalidRequest`] for a knob out of range, a demand row or an
/// element that cannot be assigned (named with file and line where known),
/// Algorithm B on freight classes; [`Error::InvalidQuery`] for a row whose
/// commodity the network does not have.
pub fn assign(
    net: &Network,
    demand: &[DemandRow],
    config: &AssignConfig,
    on_iteration: &mut (dyn FnMut(&IterationStat) + Send),
) -> Result<AssignReport> {
    let start = Instant::now();
    let terms = config.cost_terms(net);
    config.check(terms)?;
    let problem = build(net, demand, terms)?;
    let r = solve(&problem, config, on_iteration)?;
    check_finite(net, demand, &r)?;
    Ok(report(net, &problem, r, config.method, start))
}

/// Refuses a solution with a NaN or infinite objective, gap, flow or cost:
/// it would be reported as an equilibrium ("target reached") while it
/// means the numbers overflowed. The error names the largest demand row,
/// which is what overflows in practice (a demand of 1e308 t/day).
fn check_finite(net: &Network, demand: &[DemandRow], r: &Assignment) -> Result<()> {
    let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
    let ok = r.objective.is_finite()
        && r.relative_gap.is_finite()
        && finite(&r.load)
        && r.flow.iter().all(|f| finite(f))
        && r.cost.iter().zip(&r.flow).all(|(c, f)| {
            // An unusable arc costs infinity; only used ones must be finite.
            c.iter().zip(f).all(|(c, f)| *f == 0.0 || c.is_finite())
        });
    if ok {
        return Ok(());
    }
    let largest = demand
        .iter()
        .max_by(|a, b| a.amount.total_cmp(&b.amount))
        .map(|d| {
            let at = d
                .source
                .as_ref()
                .map(|s| format!("{s}: "))
                .unwrap_or_default();
            let amount = if d.amount.abs() < 1e12 {
                d.amount.to_string()
            } else {
                format!("{:e}", d.amount)
            };
            format!(
                "; the largest demand is {at}{amount} {} of {} from \"{}\" to \"{}\"",
                net.flow_unit.as_str(),
                d.commodity,
                net.node(d.origin).source_id,
                net.node(d.destination).source_id
            )
        })
        .unwrap_or_default();
    Err(Error::InvalidRequest(format!(
        "the assignment's numbers overflowed (objective {}, relative gap {}): the demand is too large for floating point{largest}",
        r.objective, r.relative_gap
    )))
}

/// Solves a built problem on `config.threads` threads (see
/// [`crate::threads::on_threads`]).
pub fn solve(
    problem: &Problem,
    config: &AssignConfig,
    on_iteration: &mut (dyn FnMut(&IterationStat) + Send),
) -> Result<Assignment> {
    if config.method == Method::AlgorithmB && problem.layout != ElementLayout::PerArc {
        return Err(Error::InvalidRequest(
            "Algorithm B (algb) is single-class; for freight networks use aon, fw, cfw or bfw"
                .into(),
        ));
    }
    config.check_gap()?;
    let solver_config = config.solver();
    let run = || {
        solver::assign(
            &problem.lowered.csr,
            &problem.elements,
            &problem.classes,
            &solver_config,
            on_iteration,
        )
    };
    crate::threads::on_threads(config.threads, run)?
        .map_err(|e| Error::InvalidRequest(e.to_string()))
}
