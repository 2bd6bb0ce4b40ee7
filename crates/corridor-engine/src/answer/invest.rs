//! `invest` in users' words: each project's scenario picked by name from
//! the ones a face loaded, places resolved on the base, then
//! [`crate::invest()`].

use super::criticality::check_threads;
use super::flows::resolved;
use super::scenarios::pick_scenarios;
use crate::invest::{InvestConfig, Project};
use crate::{Error, Progress, Result};
use corridor_model::results::InvestReport;
use corridor_model::{CapacityQuery, InvestQuery, Network, Scenario};

/// Refuses what [`invest`] would refuse before evaluating a set (threads,
/// scenario names, places, budget and costs), so a face that answers
/// later can refuse the query at once.
pub fn check_invest(base: &Network, catalogue: &[Scenario], query: &InvestQuery) -> Result<()> {
    let (projects, _) = plan(base, catalogue, query)?;
    crate::invest::check_numbers(&projects, query.budget)
}

/// Screens the query's projects on `base`: each alone, and the set within
/// the budget that adds most capacity; `progress` counts the sets
/// evaluated and can cancel.
pub fn invest(
    base: &Network,
    catalogue: &[Scenario],
    query: &InvestQuery,
    progress: &Progress,
) -> Result<InvestReport> {
    let (projects, q) = plan(base, catalogue, query)?;
    let config = InvestConfig {
        budget: query.budget,
        cost_unit: query.cost_unit.clone(),
        threads: query.threads,
        progress: progress.clone(),
        ..InvestConfig::default()
    };
    crate::invest(base, &projects, &q, &config)
}

/// The projects with their scenarios and the capacity question, checked.
fn plan(
    base: &Network,
    catalogue: &[Scenario],
    query: &InvestQuery,
) -> Result<(Vec<Project>, CapacityQuery)> {
    check_threads(query.threads)?;
    let projects = query
        .projects
        .iter()
        .map(|p| {
            let scenario = pick_scenarios(catalogue, std::slice::from_ref(&p.scenario))
                .map_err(|e| Error::InvalidQuery {
                    field: "projects".into(),
                    message: format!("project \"{}\": {e}", p.name),
                })?
                .pop()
                .expect("one name, one scenario");
            Ok(Project {
                name: p.name.clone(),
                scenario,
                cost: p.cost,
                note: p.note.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let q = resolved(
        base,
        &CapacityQuery {
            from: query.from.clone(),
            to: query.to.clone(),
            commodity: query.commodity.clone(),
            minimize: query.minimize,
            scenarios: Vec::new(),
        },
    )?;
    // What the base's solve would refuse first, refused before it starts.
    super::place::resolve_commodity(base, q.commodity.as_deref())?;
    Ok((projects, q))
}
