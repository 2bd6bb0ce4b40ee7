//! `invest` in users' words: each project's scenario picked by name from
//! the ones a face loaded, places resolved on the base, then
//! [`crate::invest()`].

use super::criticality::check_threads;
use super::flows::resolved;
use super::scenarios::pick_scenarios;
use crate::Result;
use crate::invest::{InvestConfig, Project};
use corridor_model::results::InvestReport;
use corridor_model::{CapacityQuery, InvestQuery, Network, Scenario};

/// Screens the query's projects on `base`: each alone, and the set within
/// the budget that adds most capacity.
pub fn invest(base: &Network, catalogue: &[Scenario], query: &InvestQuery) -> Result<InvestReport> {
    check_threads(query.threads)?;
    let projects = query
        .projects
        .iter()
        .map(|p| {
            let scenario = pick_scenarios(catalogue, std::slice::from_ref(&p.scenario))?
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
    let config = InvestConfig {
        budget: query.budget,
        cost_unit: query.cost_unit.clone(),
        threads: query.threads,
        ..InvestConfig::default()
    };
    crate::invest(base, &projects, &q, &config)
}
