//! `sweep` in users' words: the scenarios picked by name, places resolved
//! on the base, commodities checked, then [`crate::sweep()`]. And
//! [`merge_sweep`], which puts the parts of one sweep (asked of several
//! workers) back into the report one worker would have given.

use super::criticality::{check_part, check_threads};
use super::flows::resolved;
use super::place::resolve_commodity;
use super::scenarios::pick_scenarios;
use crate::sweep::SweepConfig;
use crate::{Error, Progress, Result};
use corridor_model::results::SweepReport;
use corridor_model::{CapacityQuery, Network, Scenario, SweepQuery};

/// Refuses what [`sweep`] would refuse before answering a row (threads,
/// part, scenario names, a grid too large, commodities, places), so a
/// face that answers later can refuse the query at once.
pub fn check_sweep(base: &Network, catalogue: &[Scenario], query: &SweepQuery) -> Result<()> {
    plan(base, catalogue, query).map(|_| ())
}

/// Sweeps `base` with the query's scenarios (looked up in `catalogue`):
/// each alone, or with `grid` every combination, for every commodity;
/// `progress` counts the rows answered and can cancel.
pub fn sweep(
    base: &Network,
    catalogue: &[Scenario],
    query: &SweepQuery,
    progress: &Progress,
) -> Result<SweepReport> {
    let plan = plan(base, catalogue, query)?;
    let config = SweepConfig {
        grid: query.grid,
        threads: query.threads,
        part: query.part,
        progress: progress.clone(),
    };
    crate::sweep(base, &plan.picked, &plan.query, &plan.commodities, &config)
}

/// A sweep's scenarios, commodity ids and capacity question, checked.
struct Plan {
    picked: Vec<Scenario>,
    commodities: Vec<String>,
    query: CapacityQuery,
}

fn plan(base: &Network, catalogue: &[Scenario], query: &SweepQuery) -> Result<Plan> {
    check_threads(query.threads)?;
    check_part(query.part)?;
    let picked = pick_scenarios(catalogue, &query.scenarios)?;
    let commodities: Vec<String> = if query.commodities.is_empty() {
        let first = base.commodities.first().ok_or_else(|| {
            Error::InvalidRequest("the network lists no commodity; add one".into())
        })?;
        vec![first.source_id.clone()]
    } else {
        query
            .commodities
            .iter()
            .map(|c| {
                resolve_commodity(base, Some(c.trim()))
                    .map(|id| base.commodities[id.index()].source_id.clone())
                    .map_err(|e| match e {
                        // The query's field is the plural.
                        Error::InvalidQuery { message, .. } => Error::InvalidQuery {
                            field: "commodities".into(),
                            message,
                        },
                        other => other,
                    })
            })
            .collect::<Result<_>>()?
    };
    let capacity = resolved(
        base,
        &CapacityQuery {
            from: query.from.clone(),
            to: query.to.clone(),
            commodity: None,
            minimize: query.minimize,
            scenarios: Vec::new(),
        },
    )?;
    crate::sweep::combinations(picked.len(), query.grid)?;
    Ok(Plan {
        picked,
        commodities,
        query: capacity,
    })
}

/// The whole sweep from the reports of every part of it (in any order):
/// the same rows, in the same order, as asking without parts.
pub fn merge_sweep(parts: Vec<SweepReport>) -> Result<SweepReport> {
    let refuse = |m: String| Error::InvalidRequest(format!("cannot merge sweep parts: {m}"));
    let Some(first) = parts.first() else {
        return Err(refuse("no parts".into()));
    };
    let of = first.part.map_or(1, |p| p.of);
    let shell = |r: &SweepReport| SweepReport {
        rows: Vec::new(),
        part: None,
        ..r.clone()
    };
    let expected = shell(first);
    let mut by_index: Vec<Option<&SweepReport>> = vec![None; of];
    for r in &parts {
        let index = match (r.part, first.part) {
            (Some(p), Some(_)) if p.of == of && p.index < of => p.index,
            (None, None) => 0,
            _ => return Err(refuse("the parts split the rows differently".into())),
        };
        if by_index[index].replace(r).is_some() {
            return Err(refuse(format!("part {index} is given twice")));
        }
        if shell(r) != expected {
            return Err(refuse(format!("part {index} answers another question")));
        }
    }
    if let Some(missing) = by_index.iter().position(Option::is_none) {
        return Err(refuse(format!("part {missing} of {of} is missing")));
    }
    let total: usize = parts.iter().map(|r| r.rows.len()).sum();
    // Row i went to part i % of, at position i / of.
    let rows = (0..total)
        .map(|i| {
            by_index[i % of]
                .and_then(|r| r.rows.get(i / of))
                .cloned()
                .ok_or_else(|| refuse(format!("part {} has too few rows", i % of)))
        })
        .collect::<Result<_>>()?;
    Ok(SweepReport { rows, ..expected })
}
