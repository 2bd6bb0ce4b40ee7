//! `capacity` and `compare` in users' words: places (with optional supply
//! and absorption limits) resolved to node ids once, so the same question
//! can be asked of a base network and of its scenarios, then
//! [`crate::capacity_query`] and [`crate::compare`].

use super::place::resolve_node;
use super::scenarios::{apply_scenarios, pick_scenarios};
use crate::{Error, Result};
use corridor_model::results::{CapacityReport, CompareReport};
use corridor_model::{CapacityQuery, CompareQuery, Endpoint, Network, Scenario};

/// `items` with every place replaced by its node id, limits checked.
fn endpoints(net: &Network, items: &[Endpoint], field: &str) -> Result<Vec<Endpoint>> {
    items
        .iter()
        .map(|e| {
            if let Some(l) = e.limit
                && !(l.is_finite() && l >= 0.0)
            {
                return Err(Error::InvalidQuery {
                    field: field.to_string(),
                    message: format!("\"{}\": limit {l} must be a non-negative number", e.place),
                });
            }
            let node = resolve_node(net, e.place.trim(), field)?;
            Ok(Endpoint {
                place: net.node(node).source_id.to_string(),
                limit: e.limit,
            })
        })
        .collect()
}

/// The query with node ids for places and no scenarios (already applied).
pub(super) fn resolved(net: &Network, q: &CapacityQuery) -> Result<CapacityQuery> {
    Ok(CapacityQuery {
        from: endpoints(net, &q.from, "from")?,
        to: endpoints(net, &q.to, "to")?,
        commodity: q.commodity.clone(),
        minimize: q.minimize,
        scenarios: Vec::new(),
    })
}

/// How much `net` (the network with the query's scenarios already
/// applied, see [`super::with_scenarios`]) carries from the origins to the
/// destinations, and what limits it.
pub fn capacity(net: &Network, query: &CapacityQuery) -> Result<CapacityReport> {
    crate::capacity_query(net, &resolved(net, query)?)
}

/// `base` against `base` with the query's scenarios applied (looked up in
/// `scenarios`), places resolved on the base.
pub fn compare(
    base: &Network,
    scenarios: &[Scenario],
    query: &CompareQuery,
) -> Result<CompareReport> {
    let picked = pick_scenarios(scenarios, &query.scenarios)?;
    let edited = apply_scenarios(base, &picked)?;
    let names: Vec<String> = picked.into_iter().map(|s| s.name).collect();
    let q = resolved(base, &query.capacity())?;
    let mut report = crate::compare(base, &edited, &names, &q)?;
    if let Some(o) = &query.optimise {
        report.optimise = Some(super::compare_optima(base, &edited, o)?);
    }
    Ok(report)
}
