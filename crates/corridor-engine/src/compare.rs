//! Base network versus scenario, side by side: capacity and its ratio,
//! bottlenecks that appeared or disappeared, the best route for the first
//! origin–destination pair before and after, and the elements whose flow
//! changed most.
//!
//! It applies nothing itself: the caller passes the base and the already
//! edited network (see `corridor_model::scenario`), and the same query in
//! user ids is asked of both.

use crate::capacity::{Bottleneck, CapacityQuery, capacity_query, resolve_commodity, round};
use crate::lower::{LowerConfig, lower};
use crate::route::{RouteConfig, Shipment, route};
use crate::{Error, Result};
use corridor_model::{Itinerary, Network};
use std::collections::BTreeMap;

pub use corridor_model::results::{CompareReport, FlowChange, RouteOutcome};

/// How many changed elements a comparison lists.
pub const MAX_CHANGES: usize = 10;

/// Compares `base` with `edited` (the base with scenarios applied).
pub fn compare(
    base: &Network,
    edited: &Network,
    scenario_names: &[String],
    query: &CapacityQuery,
) -> Result<CompareReport> {
    let before = capacity_query(base, query)?;
    let after = capacity_query(edited, query)?;
    let key = |b: &Bottleneck| (b.kind.clone(), b.id.clone());
    let keys_before: Vec<_> = before.bottlenecks.iter().map(key).collect();
    let keys_after: Vec<_> = after.bottlenecks.iter().map(key).collect();
    let appeared = after
        .bottlenecks
        .iter()
        .filter(|b| !keys_before.contains(&key(b)))
        .cloned()
        .collect();
    let disappeared = before
        .bottlenecks
        .iter()
        .filter(|b| !keys_after.contains(&key(b)))
        .cloned()
        .collect();

    let mut flows: BTreeMap<(String, String), (String, f64, f64)> = BTreeMap::new();
    for e in &before.elements {
        flows
            .entry((e.kind.clone(), e.id.clone()))
            .or_insert((e.name.clone(), 0.0, 0.0))
            .1 = e.flow;
    }
    for e in &after.elements {
        flows
            .entry((e.kind.clone(), e.id.clone()))
            .or_insert((e.name.clone(), 0.0, 0.0))
            .2 = e.flow;
    }
    let mut changes: Vec<FlowChange> = flows
        .into_iter()
        .filter(|(_, (_, b, a))| (a - b).abs() > 1e-9 * (1.0 + a.abs().max(b.abs())))
        .map(|((kind, id), (name, b, a))| FlowChange {
            kind,
            id,
            name,
            before: b,
            after: a,
            change: round(a - b),
        })
        .collect();
    changes.sort_by(|x, y| {
        y.change
            .abs()
            .total_cmp(&x.change.abs())
            .then_with(|| x.kind.cmp(&y.kind))
            .then_with(|| x.id.cmp(&y.id))
    });
    changes.truncate(MAX_CHANGES);

    Ok(CompareReport {
        scenarios: scenario_names.to_vec(),
        ratio: (before.max_flow > 0.0).then(|| round(after.max_flow / before.max_flow)),
        route_before: best_route(base, query),
        route_after: best_route(edited, query),
        base: before,
        scenario: after,
        bottlenecks_appeared: appeared,
        bottlenecks_disappeared: disappeared,
        flow_changes: changes,
        optimise: None,
    })
}

/// The best route for the query's first origin and first destination, by
/// the query's objective, for one tonne.
pub fn best_route(net: &Network, query: &CapacityQuery) -> RouteOutcome {
    let attempt = || -> Result<Itinerary> {
        let id = |x: &str| {
            net.node_id(x).ok_or_else(|| Error::UnknownId {
                kind: "node",
                id: x.to_string(),
            })
        };
        let from = id(&query
            .from
            .first()
            .ok_or_else(|| Error::InvalidRequest("no origin".into()))?
            .place)?;
        let to = id(&query
            .to
            .first()
            .ok_or_else(|| Error::InvalidRequest("no destination".into()))?
            .place)?;
        let shipment = Shipment {
            from,
            to,
            commodity: resolve_commodity(net, query.commodity.as_deref())?,
            tonnes: 1.0,
        };
        let config = RouteConfig {
            objective: query.minimize,
            ..RouteConfig::default()
        };
        let r = route(
            net,
            &lower(net, &LowerConfig::default()),
            &shipment,
            &config,
        )?;
        r.itineraries
            .into_iter()
            .next()
            .ok_or_else(|| Error::InvalidRequest("no itinerary".into()))
    };
    match attempt() {
        Ok(it) => RouteOutcome {
            itinerary: Some(it),
            no_route: None,
        },
        Err(e) => RouteOutcome {
            itinerary: None,
            no_route: Some(e.to_string()),
        },
    }
}
