//! `route` in users' words: places, commodity, avoid list and scenarios
//! resolved, then [`crate::route`] on the lowered network, with the snap
//! distance of `lat,lon` and UN/LOCODE places recorded on the itineraries.
//!
//! [`PreparedNetwork`] keeps a network with its lowering, so a face that
//! answers many route questions on one network (a server) lowers it once
//! instead of once per question; [`route`] is the same answer for a face
//! that asks once.

use super::place::{resolve_commodity, resolve_node, snapped};
use crate::lower::{LowerConfig, Lowered, lower};
use crate::{Avoid, Error, Result, RouteConfig, Shipment};
use corridor_model::{Network, RouteQuery, RouteResult};

/// The best itinerary (or the Pareto set) for `query` on `net`, the
/// network with the query's scenarios already applied (see
/// [`super::with_scenarios`]). No route is an [`crate::Error::NoRoute`]
/// whose message lists the obstacles.
pub fn route(net: &Network, query: &RouteQuery) -> Result<RouteResult> {
    route_lowered(net, None, query)
}

/// A network and the lowering every route question on it uses, built
/// once: route answers on it are exactly [`route`]'s on the network.
#[derive(Clone, Debug)]
pub struct PreparedNetwork {
    pub(super) net: Network,
    pub(super) lowered: Lowered,
    /// The contraction hierarchy of `lowered`, built by the first question
    /// that asks for it (see [`super::skim`]'s `cch` engine).
    pub(super) cch: std::sync::OnceLock<corridor_graph::cch::Cch>,
}

impl PreparedNetwork {
    /// Lowers `net` for routes (what [`route`] does on every call).
    pub fn new(net: Network) -> Self {
        let lowered = lower(&net, &LowerConfig::default());
        Self {
            net,
            lowered,
            cch: std::sync::OnceLock::new(),
        }
    }

    pub fn network(&self) -> &Network {
        &self.net
    }

    /// [`route`] on this network without lowering it again.
    pub fn route(&self, query: &RouteQuery) -> Result<RouteResult> {
        route_lowered(&self.net, Some(&self.lowered), query)
    }
}

/// [`route`] on `lowered` (the default lowering of `net`) when given,
/// else on a fresh one. Places and knobs are checked before lowering, so a
/// bad question costs no lowering.
fn route_lowered(
    net: &Network,
    lowered: Option<&Lowered>,
    query: &RouteQuery,
) -> Result<RouteResult> {
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
    // `crate::route` refuses these too, with the same words; here the
    // error also names the query's field.
    if !(query.tonnes.is_finite() && query.tonnes > 0.0) {
        return Err(Error::InvalidQuery {
            field: "tonnes".into(),
            message: format!("tonnes must be a positive number, got {}", query.tonnes),
        });
    }
    let fresh;
    let lowered = match lowered {
        Some(l) => l,
        None => {
            fresh = lower(net, &LowerConfig::default());
            &fresh
        }
    };
    let mut result = crate::route(net, lowered, &shipment, &config)?;
    let snap = [&query.from, &query.to].map(|p| snapped(net, p).map(|x| x.1));
    if snap.iter().any(Option::is_some) {
        for it in &mut result.itineraries {
            it.snap_km = Some(snap.map(|k| k.unwrap_or(0.0)));
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_fixtures::networks::gauge_break;

    #[test]
    fn a_prepared_network_answers_as_route_does() {
        let net = gauge_break();
        let prepared = PreparedNetwork::new(net.clone());
        let ids: Vec<String> = net.nodes.iter().map(|n| n.source_id.clone()).collect();
        for from in &ids {
            for to in &ids {
                let mut q = RouteQuery::new(from.clone(), to.clone());
                for pareto in [false, true] {
                    q.pareto = pareto;
                    let a = route(&net, &q).map_err(|e| e.to_string());
                    let b = prepared.route(&q).map_err(|e| e.to_string());
                    assert_eq!(a, b, "{from} -> {to}, pareto {pareto}");
                }
            }
        }
    }

    #[test]
    fn bad_tonnes_name_the_field_in_the_engine_words() {
        let net = gauge_break();
        let ids: Vec<&str> = net.nodes.iter().map(|n| n.source_id.as_str()).collect();
        for t in [-5.0, 0.0, f64::NAN, f64::INFINITY] {
            let mut q = RouteQuery::new(ids[0], ids[2]);
            q.tonnes = t;
            match route(&net, &q).unwrap_err() {
                Error::InvalidQuery { field, message } => {
                    assert_eq!(field, "tonnes");
                    assert_eq!(
                        message,
                        format!("tonnes must be a positive number, got {t}")
                    );
                }
                other => panic!("{other}"),
            }
        }
    }
}
