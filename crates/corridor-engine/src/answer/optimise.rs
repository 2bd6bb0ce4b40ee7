//! `optimise` in users' words: demand rows (inline or read from a file),
//! the objective, the penalty and the formulation checked, then
//! [`crate::optimise::optimise`] and its report as one [`OptimiseResult`];
//! and the system-optimum part of `compare`.

use super::assign::demand_rows;
use crate::optimise::{Lp, OptimiseConfig, PathsConfig};
use crate::{Error, Result};
use corridor_model::demand::DemandRow;
use corridor_model::results::{OptimiseComparison, OptimiseResult};
use corridor_model::{FlowUnit, Network, OptimiseQuery};

/// The engine's knobs for `query`; what needs no network is checked here.
pub fn optimise_config(query: &OptimiseQuery) -> Result<OptimiseConfig> {
    if let Some(p) = query.unserved_penalty
        && !(p.is_finite() && p > 0.0)
    {
        return Err(Error::InvalidQuery {
            field: "unserved_penalty".into(),
            message: format!("--unserved-penalty {p} must be a positive number"),
        });
    }
    if let Some(g) = query.gap
        && !(g.is_finite() && g >= 0.0)
    {
        return Err(Error::InvalidQuery {
            field: "gap".into(),
            message: format!("--gap {g} must be a number ≥ 0 (a relative gap, e.g. 0.01)"),
        });
    }
    if let Some(t) = query.time_limit_seconds
        && !(t.is_finite() && t >= 0.0)
    {
        return Err(Error::InvalidQuery {
            field: "time_limit_seconds".into(),
            message: format!("--time-limit {t} must be a number of seconds ≥ 0"),
        });
    }
    if let Some(a) = query.smoothing
        && !(a.is_finite() && (0.0..1.0).contains(&a))
    {
        return Err(Error::InvalidQuery {
            field: "smoothing".into(),
            message: format!("--smoothing {a} must be a weight in [0, 1) (e.g. 0.5)"),
        });
    }
    let defaults = OptimiseConfig::default();
    Ok(OptimiseConfig {
        minimize: query.minimize,
        unserved_penalty: query.unserved_penalty,
        formulation: query.formulation,
        gap: query.gap,
        time_limit_seconds: query.time_limit_seconds,
        paths: PathsConfig {
            bound_steps: query.bound_steps.unwrap_or(defaults.paths.bound_steps),
            smoothing: query.smoothing.unwrap_or(defaults.paths.smoothing),
            ..defaults.paths
        },
        ..defaults
    })
}

/// A system optimum needs tonnes and commodities.
fn check_network(net: &Network) -> Result<()> {
    if net.flow_unit != FlowUnit::TonnesPerDay {
        return Err(Error::InvalidQuery {
            field: "network".into(),
            message: format!(
                "optimise needs a freight network (t/day with commodities); this network's flow unit is {}",
                net.flow_unit.as_str()
            ),
        });
    }
    Ok(())
}

/// The system optimum of the query's inline demand on `net` (the network
/// with the query's scenarios already applied).
pub fn optimise(net: &Network, query: &OptimiseQuery) -> Result<OptimiseResult> {
    optimise_config(query)?;
    let rows = demand_rows(net, &query.demand)?;
    optimise_rows(net, query, &rows)
}

/// The system optimum of demand rows already resolved against `net`
/// (e.g. read from a demand file) instead of `query.demand`.
pub fn optimise_rows(
    net: &Network,
    query: &OptimiseQuery,
    rows: &[DemandRow],
) -> Result<OptimiseResult> {
    optimise_rows_traced(net, query, rows, false)
}

/// [`optimise_rows`], writing one line per solve of column generation's
/// master to stderr when `trace` (the CLI's `--verbose`; not a query
/// field: it is how to watch a run, not what is asked).
pub fn optimise_rows_traced(
    net: &Network,
    query: &OptimiseQuery,
    rows: &[DemandRow],
    trace: bool,
) -> Result<OptimiseResult> {
    let config = OptimiseConfig {
        trace,
        ..optimise_config(query)?
    };
    check_network(net)?;
    Ok(crate::optimise::optimise(net, rows, &config)?.to_result(net))
}

/// The arc-node LP `optimise_rows` would solve (for `--write-lp`).
pub fn optimise_lp(net: &Network, query: &OptimiseQuery, rows: &[DemandRow]) -> Result<Lp> {
    let config = optimise_config(query)?;
    check_network(net)?;
    crate::optimise::arc_node_lp(net, rows, &config)
}

/// Base against edited system optimum of `query`'s inline demand, places
/// resolved on each network.
pub fn compare_optima(
    base: &Network,
    edited: &Network,
    query: &OptimiseQuery,
) -> Result<OptimiseComparison> {
    // Both sides exactly: a comparison of two stopped runs would compare
    // where each happened to stop.
    let config = OptimiseConfig {
        gap: None,
        time_limit_seconds: None,
        ..optimise_config(query)?
    };
    check_network(base)?;
    let base_rows = demand_rows(base, &query.demand)?;
    let edited_rows = demand_rows(edited, &query.demand)?;
    crate::optimise::compare(base, edited, &base_rows, &edited_rows, &config)
}
