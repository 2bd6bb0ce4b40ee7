//! Why there is no route, in a planner's words and as data.
//!
//! On failure we search again on a relaxed graph: every arc the shipment
//! may not use (closed, banned, avoided) is allowed at a large penalty, and
//! every missing change of layer at a node is added as a virtual transfer at
//! the same penalty. The path with the fewest penalties names the smallest
//! set of obstacles whose removal would give a route, e.g. `border
//! "yahodyn-dorohusk" is closed; no terminal at dorohusk changes rail:1520
//! to rail:1435`. Only runs when routing failed, so it may be slow.
//!
//! The answer is a [`NoRoute`] (what [`crate::Error::NoRoute`] carries): the
//! obstacles of each blocked way in the user's ids, whose `Display` is the
//! sentence the CLI prints.

use crate::access::{Avoid, NamedObstacle, NodeRef, Obstacle, arc_obstacle};
use crate::cost::{Objective, arc_attrs};
use crate::lower::{ArcOrigin, Lowered, VertexRole};
use corridor_graph::{Csr, ShortestPath, VertexIdx};
use corridor_model::{Commodity, Network, NodeId, VesselClass, is_sea_lane};
use serde::Serialize;
use std::fmt;

const PENALTY: f64 = 1e12;
/// Distinct blocked ways listed at most.
const MAX_WAYS: usize = 5;

/// Why a commodity cannot go from one node to another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoRoute {
    /// The commodity's id.
    pub commodity: String,
    pub from: NodeRef,
    pub to: NodeRef,
    pub reason: NoRouteReason,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoRouteReason {
    /// The origin has no link at all.
    OriginHasNoLink,
    /// The destination has no link at all.
    DestinationHasNoLink,
    /// No chain of links, terminals and borders joins them, even through
    /// closed or banned elements.
    Disconnected,
    /// Every way there is, each with the obstacles that block it (fewest
    /// obstacles first, at most five ways).
    Blocked { ways: Vec<Vec<NamedObstacle>> },
}

impl fmt::Display for NoRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no route for {} from {} to {}",
            self.commodity, self.from, self.to
        )?;
        let join = |way: &[NamedObstacle]| {
            way.iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        };
        match &self.reason {
            NoRouteReason::OriginHasNoLink => write!(f, ": the origin {} has no link", self.from),
            NoRouteReason::DestinationHasNoLink => {
                write!(f, ": the destination {} has no link", self.to)
            }
            NoRouteReason::Disconnected => f.write_str(
                ": no chain of links, terminals and borders connects them at all (they lie on separate parts of the network)",
            ),
            NoRouteReason::Blocked { ways } if ways.len() == 1 => {
                write!(f, ": {}", join(&ways[0]))
            }
            NoRouteReason::Blocked { ways } => {
                f.write_str("; every way is blocked:")?;
                for way in ways {
                    write!(f, "\n  - {}", join(way))?;
                }
                Ok(())
            }
        }
    }
}

/// Why `commodity` has no route from `from` to `to` avoiding `avoid`.
pub fn explain_no_route(
    net: &Network,
    lowered: &Lowered,
    from: NodeId,
    to: NodeId,
    avoid: &Avoid,
    commodity: &Commodity,
) -> NoRoute {
    explain_no_route_by(net, lowered, from, to, avoid, commodity, &[])
}

/// [`explain_no_route`] when the sea legs were tried with `vessels` (see
/// [`crate::route::vessel_classes`]): a class-dependent arc that none of
/// them may use is an obstacle too, and a way blocked only because no one
/// class fits all of it says so.
pub fn explain_no_route_by(
    net: &Network,
    lowered: &Lowered,
    from: NodeId,
    to: NodeId,
    avoid: &Avoid,
    commodity: &Commodity,
    vessels: &[&VesselClass],
) -> NoRoute {
    let mut answer = NoRoute {
        commodity: commodity.source_id.clone(),
        from: NodeRef::of(net, from),
        to: NodeRef::of(net, to),
        reason: NoRouteReason::Disconnected,
    };
    if lowered.vertices_of(from).next().is_none() {
        answer.reason = NoRouteReason::OriginHasNoLink;
    } else if lowered.vertices_of(to).next().is_none() {
        answer.reason = NoRouteReason::DestinationHasNoLink;
    } else {
        let r = relaxed(net, lowered, avoid, commodity, vessels);
        let ways = blocked_ways(&r, lowered, from, to, !vessels.is_empty());
        if !ways.is_empty() {
            let ids: Vec<String> = vessels.iter().map(|v| v.id.to_string()).collect();
            let named = |way: Vec<Obstacle>| {
                way.into_iter()
                    .map(|o| match o.named(net, &lowered.layers, commodity) {
                        NamedObstacle::VesselLimits {
                            link,
                            limits,
                            commodity,
                            ..
                        } => NamedObstacle::VesselLimits {
                            link,
                            limits,
                            commodity,
                            vessels: ids.clone(),
                        },
                        NamedObstacle::NoSingleVessel { commodity, .. } => {
                            NamedObstacle::NoSingleVessel {
                                commodity,
                                vessels: ids.clone(),
                            }
                        }
                        other => other,
                    })
                    .collect()
            };
            answer.reason = NoRouteReason::Blocked {
                ways: ways.into_iter().map(named).collect(),
            };
        }
    }
    answer
}

/// The lowered graph with every obstacle passable at a penalty.
struct Relaxed {
    csr: Csr,
    /// Per arc (CSR order).
    obstacle: Vec<Option<Obstacle>>,
    weight: Vec<f64>,
}

/// The real arcs, then one virtual transfer per missing (node, layer ->
/// layer) change.
fn relaxed(
    net: &Network,
    lowered: &Lowered,
    avoid: &Avoid,
    commodity: &Commodity,
    vessels: &[&VesselClass],
) -> Relaxed {
    let tails = lowered.csr.tails();
    let mut arcs: Vec<(VertexIdx, VertexIdx)> = tails
        .iter()
        .copied()
        .zip(lowered.csr.heads().iter().copied())
        .collect();
    let mut obstacle: Vec<Option<Obstacle>> = lowered
        .arc_origin
        .iter()
        .map(|&o| arc_obstacle(net, o, commodity, avoid))
        .collect();
    if !vessels.is_empty() {
        for &a in lowered.vessels.arcs() {
            let ArcOrigin::Link { link, .. } = lowered.arc_origin[a.index()] else {
                continue;
            };
            let l = net.link(link);
            let fits = |v: &&VesselClass| {
                (!is_sea_lane(l) || v.fits(l))
                    && v.calls_at(net.node(l.from))
                    && v.calls_at(net.node(l.to))
            };
            let o = &mut obstacle[a.index()];
            if o.is_none() && !vessels.iter().any(fits) {
                *o = Some(Obstacle::VesselLimits(link));
            }
        }
    }
    let mut base: Vec<f64> = lowered
        .arc_origin
        .iter()
        .map(|&o| {
            let x = arc_attrs(net, lowered, o);
            x.value(Objective::Cost, net, commodity).max(0.0)
        })
        .collect();
    for node in 0..net.nodes.len() {
        let node = NodeId::from_index(node);
        let outs: Vec<VertexIdx> = lowered
            .vertices_of(node)
            .filter(|&v| lowered.vertex_role[v.index()] != VertexRole::In)
            .collect();
        for &a in &outs {
            for &b in &outs {
                if a == b || lowered.csr.out_arcs(a).any(|x| lowered.csr.head(x) == b) {
                    continue;
                }
                arcs.push((a, b));
                base.push(0.0);
                obstacle.push(Some(Obstacle::MissingTransfer {
                    node,
                    from: lowered.vertex_layer[a.index()],
                    to: lowered.vertex_layer[b.index()],
                }));
            }
        }
    }
    let (csr, order) = Csr::from_arcs(lowered.n_vertices(), &arcs);
    let obstacle: Vec<Option<Obstacle>> = order.iter().map(|&i| obstacle[i as usize]).collect();
    let weight = order
        .iter()
        .zip(&obstacle)
        .map(|(&i, o)| base[i as usize] + if o.is_some() { PENALTY } else { 0.0 })
        .collect();
    Relaxed {
        csr,
        obstacle,
        weight,
    }
}

/// Each round finds the way with the fewest obstacles, then rules its
/// obstacles out, so the answer lists every distinct way and what blocks it
/// (a planner sees all the doors that are shut, not one). Empty when no way
/// exists at all.
/// `by_vessel`: the failed search kept one vessel class on every sea leg,
/// so a way free of obstacles here is one no single class fits.
fn blocked_ways(
    r: &Relaxed,
    lowered: &Lowered,
    from: NodeId,
    to: NodeId,
    by_vessel: bool,
) -> Vec<Vec<Obstacle>> {
    let mut weight = r.weight.clone();
    let tails = r.csr.tails();
    let sources: Vec<(VertexIdx, f64)> = lowered.source_vertices(from).map(|v| (v, 0.0)).collect();
    let mut sp = ShortestPath::new(r.csr.n_vertices());
    let mut ways: Vec<Vec<Obstacle>> = Vec::new();
    for _ in 0..MAX_WAYS {
        sp.run(&r.csr, &weight, &sources, None);
        let best = lowered
            .target_vertices(to)
            .filter(|&t| sp.reached(t))
            .min_by(|&a, &b| sp.dist(a).total_cmp(&sp.dist(b)));
        let Some(t) = best else { break };
        let mut way: Vec<Obstacle> = Vec::new();
        for a in sp.path_arcs(&tails, t).unwrap_or_default() {
            if let Some(o) = r.obstacle[a.index()]
                && !way.contains(&o)
            {
                way.push(o);
            }
        }
        if way.is_empty() {
            if by_vessel && ways.is_empty() {
                ways.push(vec![Obstacle::NoSingleVessel]);
            }
            break;
        }
        for (w, o) in weight.iter_mut().zip(&r.obstacle) {
            if o.is_some_and(|o| way.contains(&o)) {
                *w = f64::INFINITY;
            }
        }
        ways.push(way);
    }
    ways
}
