//! `route` in users' words: places, commodity, avoid list and scenarios
//! resolved, then [`crate::route`] on the lowered network, with the snap
//! distance of `lat,lon` and UN/LOCODE places recorded on the itineraries.
//!
//! [`PreparedNetwork`] keeps a network with its lowering, so a face that
//! answers many route questions on one network (a server) lowers it once
//! instead of once per question; [`route`] is the same answer for a face
//! that asks once.

use super::place::{resolve_commodity, resolve_node, resolve_vessel, snapped};
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

/// [`route`] on a routing lowering made before, such as one read from a
/// compiled network file, when it fits `net` (base network with the
/// query's scenarios applied): `stored` must be the routing lowering of
/// `base` (`lower(base, &LowerConfig::default())`), and is used when the
/// scenarios left the topology alone ([`crate::lower::same_topology`]:
/// closures and new costs only change weights); otherwise `net` is lowered
/// afresh. Answers are [`route`]'s either way.
pub fn route_with_stored(
    base: &Network,
    stored: Option<&Lowered>,
    net: &Network,
    query: &RouteQuery,
) -> Result<RouteResult> {
    let fits = stored.filter(|l| l.is_routing_lowering() && crate::lower::same_topology(base, net));
    route_lowered(net, fits, query)
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

    /// [`PreparedNetwork::new`] with the routing lowering of `net` made
    /// before (read from a compiled file), so a server restarts without
    /// lowering; `None` (or another kind of lowering) lowers as `new` does.
    pub fn with_stored(net: Network, stored: Option<Lowered>) -> Self {
        match stored.filter(Lowered::is_routing_lowering) {
            Some(lowered) => Self {
                net,
                lowered,
                cch: std::sync::OnceLock::new(),
            },
            None => Self::new(net),
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
        vessel: resolve_vessel(query.vessel.as_deref())?,
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
    use proptest::{prop_assert, prop_assert_eq};

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

    /// Every pair's answer on `net` through a lowering stored for `base`
    /// and read back, as JSON, against `route` on `net` alone.
    fn stored_answers_as_route(base: &Network, net: &Network) {
        let bytes = crate::lower::stored_routing_lowering(base).unwrap();
        let stored = Lowered::from_stored(&bytes, base).unwrap().unwrap();
        let ids: Vec<&str> = net.nodes.iter().map(|n| n.source_id.as_str()).collect();
        let json = |r: Result<RouteResult>| match r {
            Ok(r) => serde_json::to_string(&r).unwrap(),
            Err(e) => e.to_string(),
        };
        for (i, from) in ids.iter().enumerate() {
            for to in ids.iter().skip(i % 5).step_by(5) {
                for c in &net.commodities {
                    let mut q = RouteQuery::new(*from, *to);
                    q.commodity = Some(c.source_id.clone());
                    let fresh = json(route(net, &q));
                    let kept = json(route_with_stored(base, Some(&stored), net, &q));
                    assert_eq!(fresh, kept, "{from} -> {to}, {}", c.source_id);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8))]
        /// A stored lowering answers as lowering afresh, on the network it
        /// was made for, on one whose scenario only changes weights (it is
        /// used) and on one whose topology changed (it must not be).
        #[test]
        fn a_stored_lowering_answers_as_a_fresh_one(seed in 0u64..1000) {
            use corridor_fixtures::generate::{GenerateConfig, multimodal};
            let base = multimodal(&GenerateConfig::small(seed));
            stored_answers_as_route(&base, &base);
            // Through a compiled file and back: the model and its stored
            // lowering answer as the network written.
            let bytes = corridor_io::compiled::to_bytes_with_lowering(
                &base,
                &[],
                crate::lower::stored_routing_lowering(&base).as_deref(),
            );
            let path = std::path::Path::new("g.corridor");
            let (back, stored) = corridor_io::compiled::from_bytes_with_lowering(
                &bytes,
                path,
                |net, lowering| Lowered::from_stored(lowering.unwrap(), net).unwrap(),
            )
            .unwrap();
            prop_assert!(stored.is_some());
            for (i, from) in base.nodes.iter().enumerate().step_by(5) {
                let to = &base.nodes[(i * 7 + 3) % base.nodes.len()];
                let q = RouteQuery::new(from.source_id.as_str(), to.source_id.as_str());
                let a = route(&base, &q).map(|r| serde_json::to_string(&r).unwrap());
                let b = route_with_stored(&back.network, stored.as_ref(), &back.network, &q)
                    .map(|r| serde_json::to_string(&r).unwrap());
                prop_assert_eq!(a.map_err(|e| e.to_string()), b.map_err(|e| e.to_string()));
            }
            let mut closed = base.clone();
            for l in closed.links.iter_mut().step_by(4) {
                l.open = false;
                l.length_km *= 1.5;
            }
            prop_assert!(crate::lower::same_topology(&base, &closed));
            stored_answers_as_route(&base, &closed);
            let mut turned = base.clone();
            for l in turned.links.iter_mut().step_by(3) {
                l.oneway = !l.oneway;
            }
            prop_assert!(!crate::lower::same_topology(&base, &turned));
            stored_answers_as_route(&base, &turned);
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
