//! `route` in users' words: places, commodity, avoid list and scenarios
//! resolved, then [`crate::route`] on the lowered network, with the snap
//! distance of `lat,lon` and UN/LOCODE places recorded on the itineraries.
//!
//! [`PreparedNetwork`] keeps a network with its lowering, so a face that
//! answers many route questions on one network (a server) lowers it once
//! instead of once per question; [`route`] is the same answer for a face
//! that asks once.

use super::place::{resolve_commodity, resolve_node, resolve_vessel, snapped};
use crate::hierarchy::Hierarchy;
use crate::lower::{LowerConfig, Lowered, lower};
use crate::{Avoid, Error, Result, RouteConfig, Shipment};
use corridor_graph::VertexIdx;
use corridor_model::{Network, RouteQuery, RouteResult, RoutingEngine};

/// From how many arcs `auto` routes a kept network on its hierarchy: below
/// it Dijkstra takes milliseconds, and answers exactly as the CLI does
/// (the two engines may pick different paths between equally good ones).
pub const AUTO_CCH_ARCS: usize = 100_000;

/// The best itinerary (or the Pareto set) for `query` on `net`, the
/// network with the query's scenarios already applied (see
/// [`super::with_scenarios`]). No route is an [`crate::Error::NoRoute`]
/// whose message lists the obstacles.
pub fn route(net: &Network, query: &RouteQuery) -> Result<RouteResult> {
    route_lowered(net, None, None, query)
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
    route_with_stored_order(base, stored, None, net, query)
}

/// [`route_with_stored`] with the nested-dissection order stored beside
/// the lowering (section `CCHO` of a compiled file, already checked
/// against it by [`crate::hierarchy::stored_order`]): with
/// `engine: cch`, the hierarchy is contracted in it instead of ordering
/// the network again.
pub fn route_with_stored_order(
    base: &Network,
    stored: Option<&Lowered>,
    order: Option<Vec<VertexIdx>>,
    net: &Network,
    query: &RouteQuery,
) -> Result<RouteResult> {
    let fits = stored.filter(|l| l.is_routing_lowering() && crate::lower::same_topology(base, net));
    let order = order.filter(|_| fits.is_some());
    route_lowered(net, fits, order.map(Fresh::Order), query)
}

/// A network and the lowering every route question on it uses, built
/// once: route answers on it are exactly [`route`]'s on the network (up to
/// ties between equally good paths with the `cch` engine).
#[derive(Debug)]
pub struct PreparedNetwork {
    pub(super) net: Network,
    pub(super) lowered: Lowered,
    /// A nested-dissection order of `lowered` read from a compiled file,
    /// used when the hierarchy is built.
    stored_order: Option<Vec<VertexIdx>>,
    /// The contraction hierarchy of `lowered` with its kept
    /// customizations, built by the first question that asks for it.
    hierarchy: std::sync::OnceLock<Hierarchy>,
}

impl PreparedNetwork {
    /// Lowers `net` for routes (what [`route`] does on every call).
    pub fn new(net: Network) -> Self {
        let lowered = lower(&net, &LowerConfig::default());
        Self::lowered(net, lowered)
    }

    fn lowered(net: Network, lowered: Lowered) -> Self {
        Self {
            net,
            lowered,
            stored_order: None,
            hierarchy: std::sync::OnceLock::new(),
        }
    }

    /// [`PreparedNetwork::new`] with the routing lowering of `net` made
    /// before (read from a compiled file), so a server restarts without
    /// lowering; `None` (or another kind of lowering) lowers as `new` does.
    pub fn with_stored(net: Network, stored: Option<Lowered>) -> Self {
        match stored.filter(Lowered::is_routing_lowering) {
            Some(lowered) => Self::lowered(net, lowered),
            None => Self::new(net),
        }
    }

    /// Keeps `order` (a nested-dissection order of this network's
    /// lowering, checked by [`crate::hierarchy::stored_order`]) for the
    /// hierarchy, so building it costs a contraction, not an ordering.
    pub fn with_cch_order(mut self, order: Option<Vec<VertexIdx>>) -> Self {
        self.stored_order = order.filter(|o| o.len() == self.lowered.n_vertices());
        self
    }

    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The contraction hierarchy of this network's lowering (built on
    /// first use, from the stored order when there is one).
    pub fn hierarchy(&self) -> &Hierarchy {
        self.hierarchy
            .get_or_init(|| Hierarchy::new(&self.net, &self.lowered, self.stored_order.clone()))
    }

    /// Whether [`PreparedNetwork::hierarchy`] is built already (a route
    /// with the `auto` or `cch` engine then costs a customization at most).
    pub fn hierarchy_built(&self) -> bool {
        self.hierarchy.get().is_some()
    }

    /// [`route`] on this network without lowering it again. The `auto`
    /// engine takes the hierarchy here: a prepared network answers many
    /// questions, and after the first of each commodity, objective and
    /// scenario a route costs a query, not a search of the network.
    pub fn route(&self, query: &RouteQuery) -> Result<RouteResult> {
        route_lowered(
            &self.net,
            Some(&self.lowered),
            Some(Fresh::Kept(self)),
            query,
        )
    }
}

/// Where a route's hierarchy comes from, when its engine asks for one.
enum Fresh<'a> {
    /// A prepared network's (kept between questions).
    Kept(&'a PreparedNetwork),
    /// Contracted for this question in a stored order.
    Order(Vec<VertexIdx>),
}

/// [`route`] on `lowered` (the default lowering of `net`) when given,
/// else on a fresh one. Places and knobs are checked before lowering, so a
/// bad question costs no lowering.
fn route_lowered(
    net: &Network,
    lowered: Option<&Lowered>,
    hierarchy: Option<Fresh<'_>>,
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
    // `auto`: the hierarchy where one is kept (a prepared network) and the
    // network is large enough for Dijkstra to be slow, else Dijkstra: one
    // route does not pay back a customization, and below that size the
    // server answers with the CLI's own path, ties included.
    let use_cch = match query.engine {
        RoutingEngine::Cch => true,
        RoutingEngine::Dijkstra => false,
        RoutingEngine::Auto => {
            matches!(hierarchy, Some(Fresh::Kept(_))) && lowered.csr.n_arcs() >= AUTO_CCH_ARCS
        }
    };
    let made;
    let hierarchy = match (use_cch, hierarchy) {
        (false, _) => None,
        (true, Some(Fresh::Kept(p))) => Some(p.hierarchy()),
        (true, Some(Fresh::Order(order))) => {
            made = Hierarchy::new(net, lowered, Some(order));
            Some(&made)
        }
        (true, None) => {
            made = Hierarchy::new(net, lowered, None);
            Some(&made)
        }
    };
    let mut result = crate::route::route_on(net, lowered, hierarchy, &shipment, &config)?;
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
        let ids: Vec<String> = net.nodes.iter().map(|n| n.source_id.to_string()).collect();
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

    /// The JSON of an answer, or its error's words.
    fn answer_json(r: Result<RouteResult>) -> String {
        match r {
            Ok(r) => serde_json::to_string(&r).unwrap(),
            Err(e) => e.to_string(),
        }
    }

    /// Whether `got` answers as `want` does: the same JSON, or (a tie
    /// between equally good paths, which the two engines may break
    /// differently) both itineraries with the same objective total.
    fn same_or_tied(want: &str, got: &str, minimize: &str) -> bool {
        if want == got {
            return true;
        }
        let total = |s: &str| -> Option<f64> {
            let v: serde_json::Value = serde_json::from_str(s).ok()?;
            let key = if minimize == "distance" {
                "km"
            } else if minimize == "time" {
                "hours"
            } else if minimize == "co2" {
                "co2_kg"
            } else {
                minimize
            };
            v["totals"][key].as_f64()
        };
        match (total(want), total(got)) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
            _ => false,
        }
    }

    /// Routes on `net` between `pairs`, every commodity and objective:
    /// Dijkstra against the CCH, fresh (one hierarchy per question) and
    /// kept (a prepared network's, customizations cached). Every answer
    /// must be the same or tied, and at least `exact` of them the same JSON.
    fn engines_agree(net: &Network, pairs: &[(String, String)], exact: f64) {
        use corridor_model::Objective;
        let prepared = PreparedNetwork::new(net.clone());
        let (mut n, mut same) = (0usize, 0usize);
        for (from, to) in pairs {
            for c in &net.commodities {
                for minimize in [
                    Objective::Cost,
                    Objective::Time,
                    Objective::Distance,
                    Objective::Co2,
                ] {
                    let mut q = RouteQuery::new(from.clone(), to.clone());
                    q.commodity = Some(c.source_id.clone());
                    q.minimize = minimize;
                    q.engine = RoutingEngine::Dijkstra;
                    let want = answer_json(route(net, &q));
                    let auto = answer_json(prepared.route(&RouteQuery {
                        engine: RoutingEngine::Auto,
                        ..q.clone()
                    }));
                    let kept = answer_json(prepared.route(&RouteQuery {
                        engine: RoutingEngine::Cch,
                        ..q.clone()
                    }));
                    q.engine = RoutingEngine::Cch;
                    let fresh = answer_json(route(net, &q));
                    let what = format!("{from} -> {to}, {}, {minimize:?}", c.source_id);
                    let m = minimize.as_str();
                    assert!(
                        same_or_tied(&want, &fresh, m),
                        "{what}: fresh\n{want}\n{fresh}"
                    );
                    assert!(
                        same_or_tied(&want, &kept, m),
                        "{what}: kept\n{want}\n{kept}"
                    );
                    assert_eq!(fresh, kept, "{what}: fresh and kept hierarchies");
                    if prepared.lowered.csr.n_arcs() < AUTO_CCH_ARCS {
                        assert_eq!(want, auto, "{what}: auto on a small network is Dijkstra");
                    }
                    n += 1;
                    same += usize::from(want == fresh);
                }
            }
        }
        assert!(
            same as f64 >= exact * n as f64,
            "{same} of {n} answers identical"
        );
        let kept = prepared.hierarchy().n_kept();
        assert!(
            (1..=crate::hierarchy::METRICS_KEPT).contains(&kept),
            "{kept}"
        );
    }

    #[test]
    fn the_cch_engine_answers_as_dijkstra_on_the_shipped_examples() {
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        for name in ["triangle.toml", "grain-corridors"] {
            let mut net = corridor_io::read_network(&examples.join(name))
                .unwrap()
                .network;
            crate::answer::ensure_commodity(&mut net).unwrap();
            let ids: Vec<String> = net.nodes.iter().map(|n| n.source_id.to_string()).collect();
            let pairs: Vec<(String, String)> = ids
                .iter()
                .enumerate()
                .flat_map(|(i, a)| {
                    ids.iter()
                        .skip(i % 3)
                        .step_by(3)
                        .map(|b| (a.clone(), b.clone()))
                })
                .collect();
            engines_agree(&net, &pairs, 0.9);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]
        /// On generated networks, random pairs.
        #[test]
        fn the_cch_engine_answers_as_dijkstra_on_generated_networks(seed in 0u64..1000) {
            use corridor_fixtures::generate::{GenerateConfig, multimodal};
            use rand::{Rng, SeedableRng};
            let net = multimodal(&GenerateConfig::small(seed));
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let n = net.nodes.len();
            let pairs: Vec<(String, String)> = (0..12)
                .map(|_| {
                    let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
                    (net.nodes[a].source_id.to_string(), net.nodes[b].source_id.to_string())
                })
                .collect();
            engines_agree(&net, &pairs, 0.8);
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
