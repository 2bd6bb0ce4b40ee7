//! `skim` in users' words: an origin–destination matrix of the totals
//! `route` gives for one tonne, every origin to every destination.
//!
//! One one-to-many Dijkstra per origin on the objective's arc weights,
//! stopped once every destination is settled, origins in parallel (rayon,
//! one search state per thread); each destination's totals are then summed
//! along its tree path from [`reported_attrs`], the per-arc amounts
//! `route`'s itinerary adds up. The searches, the choice of arrival layer
//! (least distance, first on ties) and the summed arcs are `route`'s, so a
//! row equals `route`'s totals for that pair up to summation order. Cost:
//! |origins| Dijkstra searches, each up to the whole graph when destinations
//! are far apart.
//!
//! On sea lanes, the matrix is made once per vessel class the commodity
//! may use (or the one `vessel` forces), the arc table built once and only
//! the class-dependent arcs overwritten per class, and each pair keeps the
//! class best by the objective, named in its row: `route`'s choice.
//!
//! With the `cch` engine, the lowered topology is ordered by nested
//! dissection (node coordinates) and contracted once (kept by a
//! [`PreparedNetwork`]), customized once for the objective's weights, and
//! the matrix is one bucket many-to-many query: one upward search per
//! origin (its source vertices) and per destination (its target
//! vertices), then per pair a scan of the ranks both searches share. The
//! totals are carried as per-arc extras summed per shortcut, not by
//! unpacking paths. Costs equal Dijkstra's; on ties between equally good
//! paths the other columns may come from another of them. Both engines sum
//! the columns as compensated sums (the exact sum rounded once), so the
//! same path prints the same digits although the orders of the additions
//! differ.

use super::place::{resolve_commodity, resolve_node, resolve_vessel};
use super::route::PreparedNetwork;
use crate::hierarchy::Hierarchy;
use crate::lower::{LowerConfig, Lowered, lower};
use crate::route::{ArcTable, reported_attrs, vessel_classes};
use crate::{ArcAttrs, Avoid, Error, Result};
use corridor_graph::cch::{CompensatedSum, many_to_many};
use corridor_graph::{ArcIdx, ShortestPath, VertexIdx};
use corridor_model::results::{SkimResult, SkimRow};
use corridor_model::{Network, NodeId, RoutingEngine, SkimQuery};
use rayon::prelude::*;

/// The matrix for `query` on `net` (scenarios already applied, see
/// [`super::with_scenarios`]). An unknown place is an
/// [`Error::InvalidQuery`] whose field is `from[i]` or `to[i]` (0-based).
pub fn skim(net: &Network, query: &SkimQuery) -> Result<SkimResult> {
    skim_lowered(net, None, query)
}

impl PreparedNetwork {
    /// [`skim`] on this network without lowering it again (nor, for the
    /// `cch` engine, contracting it again).
    pub fn skim(&self, query: &SkimQuery) -> Result<SkimResult> {
        skim_lowered(&self.net, Some(self), query)
    }
}

/// Resolves every place of one list, naming the failing one by index.
fn places(net: &Network, list: &[String], field: &str) -> Result<Vec<NodeId>> {
    if list.is_empty() {
        return Err(Error::InvalidQuery {
            field: field.into(),
            message: format!("a skim needs at least one place in `{field}`"),
        });
    }
    list.iter()
        .enumerate()
        .map(|(i, p)| resolve_node(net, p, &format!("{field}[{i}]")))
        .collect()
}

fn skim_lowered(
    net: &Network,
    prepared: Option<&PreparedNetwork>,
    query: &SkimQuery,
) -> Result<SkimResult> {
    let commodity_id = resolve_commodity(net, query.commodity.as_deref())?;
    let commodity = &net.commodities[commodity_id.index()];
    let from = places(net, &query.from, "from")?;
    let to = places(net, &query.to, "to")?;
    let fresh;
    let lowered = match prepared {
        Some(p) => &p.lowered,
        None => {
            fresh = lower(net, &LowerConfig::default());
            &fresh
        }
    };
    let vessels = vessel_classes(lowered, commodity, resolve_vessel(query.vessel.as_deref())?)?;
    let mut table = ArcTable::new(net, lowered, commodity, &Avoid::default());
    let mut weight = table.weights(query.minimize, net, commodity);
    // One hierarchy for every vessel class: the classes change weights only.
    let made = std::sync::OnceLock::new();
    let matrix = |table: &ArcTable, weight: &[f64]| {
        let reported = reported_attrs(lowered, table);
        match query.engine.resolve(from.len()) {
            RoutingEngine::Dijkstra | RoutingEngine::Auto => {
                dijkstra_rows(lowered, weight, &reported, &from, &to)
            }
            RoutingEngine::Cch => {
                let hierarchy = match prepared {
                    Some(p) => p.hierarchy(),
                    None => made.get_or_init(|| Hierarchy::new(net, lowered, None)),
                };
                cch_rows(lowered, hierarchy, weight, &reported, &from, &to)
            }
        }
    };
    let mut rows: Vec<_> = if vessels.is_empty() {
        matrix(&table, &weight)
            .into_iter()
            .map(|r| (r, None))
            .collect()
    } else {
        let base = table.vessel_base(lowered);
        let mut best: Vec<(PairTotal, Option<&str>)> = Vec::new();
        for &v in &vessels {
            table.set_vessel(net, lowered, &base, v);
            table.refresh_weights(&mut weight, lowered, query.minimize, net, commodity);
            let these = matrix(&table, &weight);
            if best.is_empty() {
                best = these.into_iter().map(|r| (r, Some(v.id))).collect();
                continue;
            }
            let score = |x: &Option<ArcAttrs>| {
                x.map_or(f64::INFINITY, |x| x.value(query.minimize, net, commodity))
            };
            for (b, r) in best.iter_mut().zip(these) {
                if score(&r.2) < score(&b.0.2) {
                    *b = (r, Some(v.id));
                }
            }
        }
        best
    };
    // A pair with itself, or one no class reaches, names no class.
    for ((o, d, totals), v) in &mut rows {
        if o == d || totals.is_none() {
            *v = None;
        }
    }
    let row = |((o, d, totals), v): (PairTotal, Option<&str>)| SkimRow {
        from: net.node(o).source_id.to_string(),
        to: net.node(d).source_id.to_string(),
        cost: totals.map(|x| x.money),
        hours: totals.map(|x| x.hours),
        km: totals.map(|x| x.km),
        co2_kg: totals.map(|x| x.co2_kg),
        vessel: v.map(str::to_string),
    };
    Ok(SkimResult {
        commodity: commodity.source_id.clone(),
        minimize: query.minimize.as_str().to_string(),
        rows: rows.into_iter().map(row).collect(),
    })
}

/// One pair: origin, destination, totals if reachable.
type PairTotal = (NodeId, NodeId, Option<ArcAttrs>);
/// Per pair, in row order.
type PairTotals = Vec<PairTotal>;

fn dijkstra_rows(
    lowered: &Lowered,
    weight: &[f64],
    reported: &[ArcAttrs],
    from: &[NodeId],
    to: &[NodeId],
) -> PairTotals {
    let targets: Vec<Vec<VertexIdx>> = to
        .iter()
        .map(|&d| lowered.target_vertices(d).collect())
        .collect();
    let all_targets = targets.concat();
    let tails = lowered.csr.tails();
    let n = lowered.n_vertices();
    let rows: Vec<PairTotals> = from
        .par_iter()
        .map_init(
            || ShortestPath::new(n),
            |sp, &o| {
                let sources: Vec<(VertexIdx, f64)> =
                    lowered.source_vertices(o).map(|v| (v, 0.0)).collect();
                sp.run_to_all(&lowered.csr, weight, &sources, &all_targets);
                to.iter()
                    .zip(&targets)
                    .map(|(&d, ts)| {
                        let totals = if o == d {
                            Some(ArcAttrs::default())
                        } else {
                            best_arrival(sp, ts).map(|t| {
                                sum_attrs(&sp.path_arcs(&tails, t).unwrap_or_default(), reported)
                            })
                        };
                        (o, d, totals)
                    })
                    .collect()
            },
        )
        .collect();
    rows.concat()
}

/// The whole matrix by bucket many-to-many on one customization for
/// `weight` ([`many_to_many`]: one upward search per origin and per
/// destination, sources and targets in parallel), the totals carried as
/// per-arc extras.
fn cch_rows(
    lowered: &Lowered,
    hierarchy: &Hierarchy,
    weight: &[f64],
    reported: &[ArcAttrs],
    from: &[NodeId],
    to: &[NodeId],
) -> PairTotals {
    let metric = hierarchy.metric(weight);
    let sources: Vec<Vec<(VertexIdx, f64)>> = from
        .iter()
        .map(|&o| lowered.source_vertices(o).map(|v| (v, 0.0)).collect())
        .collect();
    let targets: Vec<Vec<(VertexIdx, f64)>> = to
        .iter()
        .map(|&d| lowered.target_vertices(d).map(|v| (v, 0.0)).collect())
        .collect();
    let extra: Vec<[f64; 4]> = reported
        .iter()
        .map(|x| [x.money, x.hours, x.km, x.co2_kg])
        .collect();
    let matrix = many_to_many(&metric, &sources, &targets, &extra);
    let pairs = from.iter().flat_map(|&o| to.iter().map(move |&d| (o, d)));
    pairs
        .zip(matrix)
        .map(|((o, d), pair)| {
            let totals = if o == d {
                Some(ArcAttrs::default())
            } else {
                pair.map(|(_, [money, hours, km, co2_kg])| ArcAttrs {
                    money,
                    hours,
                    km,
                    co2_kg,
                })
            };
            (o, d, totals)
        })
        .collect()
}

/// The reached target vertex of least distance, the first on ties: the
/// arrival layer `route` picks.
fn best_arrival(sp: &ShortestPath, targets: &[VertexIdx]) -> Option<VertexIdx> {
    targets
        .iter()
        .copied()
        .filter(|&t| sp.reached(t))
        .min_by(|&a, &b| sp.dist(a).total_cmp(&sp.dist(b)))
}

/// Per-tonne totals along a path, each summed as a [`CompensatedSum`]
/// (the exact sum rounded once), as the `cch` engine sums them in another
/// order: both engines print the same digits for the same path.
fn sum_attrs(path: &[ArcIdx], reported: &[ArcAttrs]) -> ArcAttrs {
    let mut sum = [CompensatedSum::default(); 4];
    for a in path {
        let x = reported[a.index()];
        for (s, v) in sum.iter_mut().zip([x.money, x.hours, x.km, x.co2_kg]) {
            *s = s.plus(v);
        }
    }
    let [money, hours, km, co2_kg] = sum.map(CompensatedSum::value);
    ArcAttrs {
        money,
        hours,
        km,
        co2_kg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::route;
    use corridor_model::RouteQuery;
    use std::path::Path;

    fn grain() -> Network {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/grain-corridors");
        let mut net = corridor_io::read_network(&dir).unwrap().network;
        crate::answer::ensure_commodity(&mut net).unwrap();
        net
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
    }

    #[test]
    fn every_row_equals_route_totals_on_the_grain_example() {
        let net = grain();
        let ids: Vec<String> = net.nodes.iter().map(|n| n.source_id.to_string()).collect();
        let prepared = PreparedNetwork::new(net.clone());
        let mut checked = 0;
        for commodity in net.commodities.iter().map(|c| c.source_id.clone()) {
            for minimize in [
                crate::Objective::Cost,
                crate::Objective::Time,
                crate::Objective::Generalised,
            ] {
                let mut q = SkimQuery::new(ids.clone(), ids.clone());
                q.commodity = Some(commodity.clone());
                q.minimize = minimize;
                let m = prepared.skim(&q).unwrap();
                assert_eq!(m, skim(&net, &q).unwrap());
                assert_eq!(m.rows.len(), ids.len() * ids.len());
                for row in &m.rows {
                    let mut rq = RouteQuery::new(row.from.clone(), row.to.clone());
                    rq.commodity = Some(commodity.clone());
                    rq.minimize = minimize;
                    if row.from == row.to {
                        assert_eq!(row.cost, Some(0.0));
                        continue;
                    }
                    match route(&net, &rq) {
                        Ok(r) => {
                            let t = r.itineraries[0].totals;
                            let got = [row.cost, row.hours, row.km, row.co2_kg];
                            let want = [t.cost, t.hours, t.km, t.co2_kg];
                            for (g, w) in got.iter().zip(want) {
                                assert!(close(g.unwrap(), w), "{row:?} vs {t:?}");
                            }
                            checked += 1;
                        }
                        Err(Error::NoRoute(_)) => assert!(!row.reachable(), "{row:?}"),
                        Err(e) => panic!("{e}"),
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} routed pairs");
    }

    #[test]
    fn the_cch_engine_gives_dijkstras_matrix() {
        let net = grain();
        let ids: Vec<String> = net.nodes.iter().map(|n| n.source_id.to_string()).collect();
        let prepared = PreparedNetwork::new(net.clone());
        for commodity in net.commodities.iter().map(|c| c.source_id.clone()) {
            for minimize in [
                crate::Objective::Cost,
                crate::Objective::Time,
                crate::Objective::Generalised,
            ] {
                let mut q = SkimQuery::new(ids.clone(), ids.clone());
                q.commodity = Some(commodity.clone());
                q.minimize = minimize;
                let want = prepared.skim(&q).unwrap();
                q.engine = RoutingEngine::Cch;
                let got = prepared.skim(&q).unwrap();
                assert_eq!(got, skim(&net, &q).unwrap(), "prepared and fresh agree");
                // No ties between distinct paths on this example: equal to
                // the last bit, as `skim --engine cch` prints it.
                assert_eq!(got, want);
                assert_eq!(got.rows.len(), want.rows.len());
                for (g, w) in got.rows.iter().zip(&want.rows) {
                    assert_eq!((&g.from, &g.to), (&w.from, &w.to));
                    assert_eq!(g.reachable(), w.reachable(), "{g:?} vs {w:?}");
                    // The objective's own column is decided; the others
                    // may come from another path of equal objective.
                    let decided = match minimize {
                        crate::Objective::Cost => Some((g.cost, w.cost)),
                        crate::Objective::Time => Some((g.hours, w.hours)),
                        _ => None,
                    };
                    if let Some((Some(a), Some(b))) = decided {
                        assert!(close(a, b), "{g:?} vs {w:?}");
                    }
                }
            }
        }
    }

    /// Generated networks: random places both ways, every row equal to
    /// Dijkstra's to the last bit (continuous weights leave no ties in
    /// practice, so the paths are the same; compensated sums make the
    /// order of the additions irrelevant).
    #[test]
    fn the_cch_engine_matches_dijkstra_on_generated_networks() {
        use corridor_fixtures::generate::{GenerateConfig, multimodal};
        use rand::seq::SliceRandom;
        use rand::{SeedableRng, rngs::StdRng};
        let cfgs = [
            GenerateConfig::small(3),
            GenerateConfig::small(8),
            GenerateConfig {
                n_countries: 3,
                grid_width: 12,
                grid_height: 10,
                ..GenerateConfig::million_links(5)
            },
        ];
        for cfg in cfgs {
            let mut net = multimodal(&cfg);
            crate::answer::ensure_commodity(&mut net).unwrap();
            let mut ids: Vec<String> = net.nodes.iter().map(|n| n.source_id.to_string()).collect();
            ids.shuffle(&mut StdRng::seed_from_u64(cfg.seed));
            ids.truncate(40);
            let prepared = PreparedNetwork::new(net);
            for minimize in [crate::Objective::Cost, crate::Objective::Time] {
                let mut q = SkimQuery::new(ids.clone(), ids[..25].to_vec());
                q.minimize = minimize;
                let want = prepared.skim(&q).unwrap();
                q.engine = RoutingEngine::Cch;
                let got = prepared.skim(&q).unwrap();
                assert_eq!(got.rows.len(), want.rows.len());
                assert!(want.rows.iter().filter(|r| r.reachable()).count() > 100);
                for (g, w) in got.rows.iter().zip(&want.rows) {
                    assert_eq!((&g.from, &g.to), (&w.from, &w.to));
                    assert_eq!(g.reachable(), w.reachable(), "{g:?} vs {w:?}");
                    assert_eq!(g, w, "same path, same digits");
                }
            }
        }
    }

    #[test]
    fn auto_takes_the_hierarchy_from_many_origins_on() {
        assert_eq!(RoutingEngine::Auto.resolve(3), RoutingEngine::Dijkstra);
        assert_eq!(
            RoutingEngine::Auto.resolve(RoutingEngine::AUTO_CCH_ORIGINS),
            RoutingEngine::Cch
        );
        assert_eq!(RoutingEngine::Cch.resolve(1), RoutingEngine::Cch);
        assert_eq!(
            RoutingEngine::Dijkstra.resolve(10_000),
            RoutingEngine::Dijkstra
        );
        let net = grain();
        let ids: Vec<String> = net.nodes.iter().map(|n| n.source_id.to_string()).collect();
        // 240 origins (the places repeated): the hierarchy, same matrix.
        let many: Vec<String> = ids.iter().cycle().take(240).cloned().collect();
        let mut q = SkimQuery::new(many, ids.clone());
        let want = skim(&net, &q).unwrap();
        q.engine = RoutingEngine::Auto;
        assert_eq!(skim(&net, &q).unwrap(), want);
    }

    #[test]
    fn unknown_places_name_their_list_and_index() {
        let net = grain();
        let q = SkimQuery::new(
            vec!["odesa".into()],
            vec!["vinnytsia".into(), "atlantis".into()],
        );
        match skim(&net, &q).unwrap_err() {
            Error::InvalidQuery { field, message } => {
                assert_eq!(field, "to[1]");
                assert!(message.contains("atlantis"), "{message}");
            }
            e => panic!("{e}"),
        }
        let q = SkimQuery::new(vec![], vec!["odesa".into()]);
        assert!(
            matches!(skim(&net, &q), Err(Error::InvalidQuery { field, .. }) if field == "from")
        );
    }
}
