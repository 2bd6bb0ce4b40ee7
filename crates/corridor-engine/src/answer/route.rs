//! `route` in users' words: places, commodity, avoid list and scenarios
//! resolved, then [`crate::route`] on the lowered network, with the snap
//! distance of `lat,lon` and UN/LOCODE places recorded on the itineraries.

use super::place::{resolve_commodity, resolve_node, snapped};
use crate::lower::{LowerConfig, lower};
use crate::{Avoid, Result, RouteConfig, Shipment};
use corridor_model::{Network, RouteQuery, RouteResult};

/// The best itinerary (or the Pareto set) for `query` on `net`, the
/// network with the query's scenarios already applied (see
/// [`super::with_scenarios`]). No route is an [`crate::Error::NoRoute`]
/// whose message lists the obstacles.
pub fn route(net: &Network, query: &RouteQuery) -> Result<RouteResult> {
    let commodity = resolve_commodity(net, query.commodity.as_deref())?;
    let shipment = Shipment {
        from: resolve_node(net, &query.from, "from")?,
        to: resolve_node(net, &query.to, "to")?,
        commodity,
        tonnes: query.tonnes,
    };
    let config = RouteConfig {
        objective: query.minimize,
        via: query
            .via
            .iter()
            .map(|v| resolve_node(net, v, "via"))
            .collect::<Result<_>>()?,
        avoid: Avoid::resolve(net, &query.avoid)?,
        pareto: query.pareto,
    };
    let lowered = lower(net, &LowerConfig::default());
    let mut result = crate::route(net, &lowered, &shipment, &config)?;
    let snap = [&query.from, &query.to].map(|p| snapped(net, p).map(|x| x.1));
    if snap.iter().any(Option::is_some) {
        for it in &mut result.itineraries {
            it.snap_km = Some(snap.map(|k| k.unwrap_or(0.0)));
        }
    }
    Ok(result)
}
