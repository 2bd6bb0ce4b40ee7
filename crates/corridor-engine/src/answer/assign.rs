//! `assign` in users' words, one entry whatever the network: demand rows
//! (inline or read from a file), the method by its short name, the knobs
//! checked and turned into [`CostTerms`] by the network's flow unit, then
//! [`crate::assign::assign`] and its report as one [`AssignResult`] in
//! users' ids.

use super::place::resolve_node;
use crate::assign::{AssignConfig, CostTerms, iteration_record};
use crate::{Error, IterationStat, Method, Objective, Result};
use corridor_model::demand::DemandRow;
use corridor_model::results::{AssignResult, IterationRecord};
use corridor_model::{AssignQuery, DemandEntry, FlowUnit, Network};

/// Every method by its short name, with one line for help texts.
pub const METHODS: [(&str, &str); 5] = [
    ("aon", "all-or-nothing at free-flow cost"),
    ("fw", "Frank–Wolfe"),
    ("cfw", "conjugate Frank–Wolfe"),
    ("bfw", "bi-conjugate Frank–Wolfe"),
    (
        "algb",
        "Algorithm B (Dial 2006), bush-based: reaches far smaller gaps (road-like networks)",
    ),
];

/// What sees each iteration as it ends (progress bars).
pub type ProgressFn<'a> = &'a mut (dyn FnMut(&IterationRecord) + Send);

fn method(name: &str) -> Result<Method> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "aon" => Method::AllOrNothing,
        "fw" => Method::FrankWolfe,
        "cfw" => Method::ConjugateFrankWolfe,
        "bfw" => Method::BiconjugateFrankWolfe,
        "algb" => Method::AlgorithmB,
        _ => {
            return Err(Error::InvalidQuery {
                field: "method".into(),
                message: format!("unknown method \"{name}\" (expected aon, fw, cfw, bfw, algb)"),
            });
        }
    })
}

/// Checks what needs no network: the method, the gap and the threads.
pub fn check_assign_knobs(query: &AssignQuery) -> Result<()> {
    method(&query.method)?;
    if query.gap.is_nan() || query.gap < 0.0 {
        return Err(Error::InvalidQuery {
            field: "gap".into(),
            message: format!("--gap {} must be a non-negative number", query.gap),
        });
    }
    if let Some(t) = query.threads
        && !(1..=crate::assign::MAX_THREADS).contains(&t)
    {
        return Err(Error::InvalidQuery {
            field: "threads".into(),
            message: format!(
                "--threads {t} must be between 1 and {} (this machine has {} cores)",
                crate::assign::MAX_THREADS,
                std::thread::available_parallelism().map_or(1, |n| n.get())
            ),
        });
    }
    Ok(())
}

/// The cost terms the query asks for on `net`: its flow unit says which
/// knobs apply, and the others must be left at their defaults.
fn cost_terms(net: &Network, query: &AssignQuery) -> Result<CostTerms> {
    if net.flow_unit == FlowUnit::TonnesPerDay {
        if query.toll_factor != 0.0 || query.distance_factor != 0.0 {
            return Err(Error::InvalidQuery {
                field: "toll_factor".into(),
                message: "--toll-factor and --distance-factor weigh road-like (veh/h) networks; a freight network's costs come from --minimize".into(),
            });
        }
        return Ok(CostTerms::Freight {
            minimize: query.minimize.unwrap_or(Objective::Generalised),
            vessel: super::place::resolve_vessel(query.vessel.as_deref())?,
        });
    }
    if query.vessel.is_some() {
        return Err(Error::InvalidQuery {
            field: "vessel".into(),
            message: "--vessel applies to freight networks (t/day) with sea lanes".into(),
        });
    }
    if let Some(m) = query.minimize {
        return Err(Error::InvalidQuery {
            field: "minimize".into(),
            message: format!(
                "--minimize {m} applies to freight networks (t/day); this network's flow unit is {} and its cost is time + --toll-factor × toll + --distance-factor × length",
                net.flow_unit.as_str()
            ),
        });
    }
    Ok(CostTerms::Road {
        toll_factor: query.toll_factor,
        distance_factor: query.distance_factor,
    })
}

/// Checks the knobs that apply to one kind of network only.
pub fn check_assign_network(net: &Network, query: &AssignQuery) -> Result<()> {
    cost_terms(net, query).map(|_| ())
}

/// Inline demand resolved against `net`: places as everywhere, the
/// commodity by id (default: the first; TNTP networks have none).
pub fn demand_rows(net: &Network, entries: &[DemandEntry]) -> Result<Vec<DemandRow>> {
    entries
        .iter()
        .map(|e| {
            if !(e.amount.is_finite() && e.amount >= 0.0) {
                return Err(Error::InvalidQuery {
                    field: "demand".into(),
                    message: format!(
                        "{} -> {}: amount {} must be a non-negative number",
                        e.origin, e.destination, e.amount
                    ),
                });
            }
            let commodity = match &e.commodity {
                Some(c) => c.clone(),
                None => net
                    .commodities
                    .first()
                    .map_or_else(|| "vehicles".to_string(), |c| c.source_id.clone()),
            };
            Ok(DemandRow {
                origin: resolve_node(net, &e.origin, "demand")?,
                destination: resolve_node(net, &e.destination, "demand")?,
                commodity,
                amount: e.amount,
                source: None,
            })
        })
        .collect()
}

/// Assigns the query's inline demand on `net`, the network with the
/// query's scenarios already applied (see [`super::with_scenarios`]).
pub fn assign(net: &Network, query: &AssignQuery, progress: ProgressFn) -> Result<AssignResult> {
    check_assign_knobs(query)?;
    let rows = demand_rows(net, &query.demand)?;
    assign_rows(net, query, &rows, progress)
}

/// Assigns demand rows already resolved against `net` (e.g. read from a
/// demand file with file and line per row) instead of `query.demand`.
pub fn assign_rows(
    net: &Network,
    query: &AssignQuery,
    rows: &[DemandRow],
    progress: ProgressFn,
) -> Result<AssignResult> {
    check_assign_knobs(query)?;
    let config = AssignConfig {
        costs: Some(cost_terms(net, query)?),
        method: method(&query.method)?,
        gap: query.gap,
        max_iter: query.max_iter,
        threads: query.threads,
    };
    let mut on_iteration = |s: &IterationStat| progress(&iteration_record(s));
    let r = crate::assign::assign(net, rows, &config, &mut on_iteration)?;
    Ok(r.to_result(net, query.gap, rows.len()))
}
