//! Pricing for column generation (`paths.rs`): given the master's duals,
//! find each pair's cheapest path under its commodity's costs plus the
//! capacity prices, and the paths around the capacities it would fill.
//!
//! It owns what makes pricing cheap at scale:
//!
//! - cost classes: commodities with the same arc costs and capacity
//!   factors share one reduced-cost array per round (generated and real
//!   demand often has many commodities of one kind);
//! - potentials: prices only add to an arc's cost, so the distance to a
//!   group's destinations under its commodity's costs without prices
//!   (one reverse Dijkstra per group, once) is a consistent lower bound
//!   under any prices, and every pricing search is an A* towards one
//!   destination that explores little more than the corridor of its path;
//! - scratch weights per worker, so barring a path's full capacities
//!   costs the arcs barred, not a copy of every arc's cost.
//!
//! Searches stay exact (A* with an admissible potential), so a pair with
//! a path of negative reduced cost is always found: the optimality proof
//! of `paths.rs` does not depend on anything here being a heuristic
//! except which extra paths are proposed.

use super::problem::Problem;
use corridor_graph::{AStar, ArcIdx, ReverseGraph, ShortestPath, VertexIdx};
use corridor_model::Network;
use rayon::prelude::*;
use std::collections::HashMap;

/// Most columns one pair gets in one round: its cheapest path under the
/// prices, then paths around the capacities that path would fill
/// ([`paths_around`]). A pair of a capacitated network needs many paths
/// (its demand over its bottlenecks' capacities); one a round made one
/// round per path.
pub const PATHS_PER_PAIR: usize = 12;

/// A path's capacity entries in the master (row r as `pairs + r`), with
/// factors, repeats summed, sorted; its demand row first.
pub(super) fn path_entries(
    p: &Problem,
    net: &Network,
    od: usize,
    arcs: &[ArcIdx],
) -> Vec<(usize, f64)> {
    let g = &p.groups[p.ods[od].group];
    let n_od = p.ods.len();
    let mut caps: Vec<(usize, f64)> = arcs
        .iter()
        .flat_map(|&a| p.uses(a).iter())
        .chain(g.origin_row.iter())
        .map(|u| (n_od + u.row as usize, p.factor(net, g.commodity, *u)))
        .collect();
    caps.sort_by_key(|e| e.0);
    let mut out: Vec<(usize, f64)> = Vec::with_capacity(caps.len() + 1);
    out.push((od, 1.0));
    for (r, v) in caps {
        match out.last_mut() {
            Some(last) if last.0 == r => last.1 += v,
            _ => out.push((r, v)),
        }
    }
    out
}

/// Whether a reduced cost lets a column enter.
pub(super) fn negative(rc: f64, sigma: f64) -> bool {
    rc < -1e-9 * (1.0 + sigma.abs())
}

/// A group with more destinations than this is priced by one Dijkstra
/// tree from its origin; smaller groups by one A* per pair.
const TREE_MIN_PAIRS: usize = 4;

/// What pricing keeps between rounds: cost classes, potentials and the
/// reduced costs of the last prices.
#[derive(Clone)]
pub(super) struct Pricing {
    /// Per commodity (index into `Problem::commodities`), its cost class.
    pub(super) class: Vec<usize>,
    /// Per class, one commodity of it.
    rep: Vec<usize>,
    /// Per group, per vertex: a lower bound on the cost to its nearest
    /// destination (f32, rounded down; infinite: none reachable).
    pub(super) potential: Vec<Vec<f32>>,
    /// Per class, arc costs plus capacity prices (the last round's).
    pub(super) reduced: Vec<Vec<f64>>,
    pub(super) tails: Vec<VertexIdx>,
}

/// A pair's cheapest path: its length and arcs, `None` if unreachable.
type Cheapest = Option<(f64, Vec<ArcIdx>)>;

impl Pricing {
    pub(super) fn new(p: &Problem, net: &Network) -> Self {
        let (class, rep) = cost_classes(p, net);
        let potential = potentials(p, &class, &rep);
        Pricing {
            class,
            rep,
            potential,
            reduced: Vec::new(),
            tails: p.lowered.csr.tails(),
        }
    }

    /// Sets the reduced costs for capacity prices `price` (per capacity
    /// row, ≥ 0; `None`: the costs alone).
    pub(super) fn set_prices(&mut self, p: &Problem, net: &Network, price: Option<&[f64]>) {
        self.reduced.resize_with(self.rep.len(), Vec::new);
        let rep = &self.rep;
        (self.reduced.par_iter_mut().enumerate())
            .for_each(|(c, out)| reduced_weights(p, net, rep[c], price, out));
    }

    /// Per pair, its cheapest path under the current reduced costs: one
    /// A* per pair, or one Dijkstra tree per group with many destinations.
    pub(super) fn cheapest_paths(&self, p: &Problem) -> Vec<Cheapest> {
        let csr = &p.lowered.csr;
        let n = csr.n_vertices();
        let per_group: Vec<Vec<(usize, Cheapest)>> = p
            .groups
            .par_iter()
            .enumerate()
            .map_init(
                || (ShortestPath::new(n), AStar::new(n)),
                |(sp, astar), (gi, g)| {
                    let w = &self.reduced[self.class[g.commodity]];
                    if g.ods.len() > TREE_MIN_PAIRS {
                        let sinks: Vec<VertexIdx> =
                            p.ods[g.ods.clone()].iter().map(|o| o.sink).collect();
                        sp.run_to_all(csr, w, &[(g.source, 0.0)], &sinks);
                        return (g.ods.clone())
                            .map(|j| {
                                let t = p.ods[j].sink;
                                (j, sp.path_arcs(&self.tails, t).map(|a| (sp.dist(t), a)))
                            })
                            .collect();
                    }
                    let pot = &self.potential[gi];
                    (g.ods.clone())
                        .map(|j| {
                            let t = p.ods[j].sink;
                            let d =
                                astar.run(csr, w, &[(g.source, 0.0)], t, |v| pot[v.index()] as f64);
                            (
                                j,
                                d.and_then(|d| astar.path_arcs(&self.tails, t).map(|a| (d, a))),
                            )
                        })
                        .collect()
                },
            )
            .collect();
        let mut out: Vec<Cheapest> = (0..p.ods.len()).map(|_| None).collect();
        for (j, path) in per_group.into_iter().flatten() {
            out[j] = path;
        }
        out
    }
}

/// Commodities with equal arc costs and equal capacity factors on every
/// mode: per commodity its class, per class one commodity.
fn cost_classes(p: &Problem, net: &Network) -> (Vec<usize>, Vec<usize>) {
    let mut class = Vec::with_capacity(p.commodities.len());
    let mut rep: Vec<usize> = Vec::new();
    let factors = |k: usize| &net.commodities[p.commodities[k].index()].capacity_factor;
    for k in 0..p.commodities.len() {
        let same = rep.iter().position(|&r| {
            factors(r) == factors(k)
                && (p.weight[r].iter().zip(&p.weight[k]))
                    .all(|(a, b)| a == b || (a.is_nan() && b.is_nan()))
        });
        class.push(same.unwrap_or_else(|| {
            rep.push(k);
            rep.len() - 1
        }));
    }
    (class, rep)
}

/// Per group, the cost from every vertex to its nearest destination
/// under its commodity's costs without prices: one reverse Dijkstra from
/// the destinations, groups in parallel. Scaled down by 1e-6 before
/// rounding to f32 so that it stays a lower bound.
fn potentials(p: &Problem, class: &[usize], rep: &[usize]) -> Vec<Vec<f32>> {
    let rev = ReverseGraph::new(&p.lowered.csr);
    let rw: Vec<Vec<f64>> = rep.iter().map(|&k| rev.weights(&p.weight[k])).collect();
    let n = p.lowered.n_vertices();
    p.groups
        .par_iter()
        .map_init(
            || ShortestPath::new(n),
            |sp, g| {
                let sinks: Vec<(VertexIdx, f64)> =
                    p.ods[g.ods.clone()].iter().map(|o| (o.sink, 0.0)).collect();
                sp.run(&rev.csr, &rw[class[g.commodity]], &sinks, None);
                let mut pot = vec![f32::INFINITY; n];
                for &v in sp.touched() {
                    let d = sp.dist(v);
                    if d.is_finite() {
                        pot[v.index()] = (d * (1.0 - 1e-6)) as f32;
                    }
                }
                pot
            },
        )
        .collect()
}

/// Commodity `k`'s arc costs plus the capacity prices its arcs pay, into
/// `out` (reused between rounds: classes × arcs can be large).
fn reduced_weights(
    p: &Problem,
    net: &Network,
    k: usize,
    price: Option<&[f64]>,
    out: &mut Vec<f64>,
) {
    let w = &p.weight[k];
    out.clear();
    let Some(price) = price else {
        out.extend_from_slice(w);
        return;
    };
    out.extend(p.lowered.csr.arcs().map(|a| {
        let base = w[a.index()];
        if !base.is_finite() {
            return base;
        }
        base + (p.uses(a).iter())
            .map(|u| p.factor(net, k, *u) * price[u.row as usize])
            .sum::<f64>()
    }));
}

/// One worker's search state and a copy of one class's reduced costs
/// with some arcs barred (`dirty`, restored after each pair).
struct Scratch {
    astar: AStar,
    class: usize,
    w: Vec<f64>,
    dirty: Vec<ArcIdx>,
}

impl Scratch {
    /// The copy for `class`, clean.
    fn weights(&mut self, class: usize, reduced: &[f64]) -> &mut Vec<f64> {
        if self.class != class {
            self.w.clear();
            self.w.extend_from_slice(reduced);
            self.class = class;
        } else {
            for a in self.dirty.drain(..) {
                self.w[a.index()] = reduced[a.index()];
            }
        }
        self.dirty.clear();
        &mut self.w
    }
}

/// What one pair's extra paths need to know.
struct PairPricing<'a> {
    od: usize,
    class: usize,
    /// Its reduced cost is `dist + start − sigma`.
    start: f64,
    sigma: f64,
    /// Most paths it gets this round.
    most: usize,
    /// Per master row, the room the other pairs' flows leave.
    room: &'a dyn Fn(usize) -> f64,
}

/// A pair's paths for one round: `first` (its cheapest under the
/// prices), then, while its demand is not all placed, the cheapest path
/// avoiding the arcs whose capacities the paths so far fill (the demand
/// pushed along each path up to the room left) — as long as it still has
/// a negative reduced cost, up to [`PATHS_PER_PAIR`]. A heuristic that
/// only proposes columns: the master decides their flows.
fn paths_around(
    p: &Problem,
    net: &Network,
    pr: &Pricing,
    s: &mut Scratch,
    q: &PairPricing,
    first: Vec<ArcIdx>,
) -> Vec<Vec<ArcIdx>> {
    let csr = &p.lowered.csr;
    let od = &p.ods[q.od];
    let source = p.groups[od.group].source;
    let pot = &pr.potential[od.group];
    let n_od = p.ods.len();
    let mut pushed: HashMap<usize, f64> = Default::default();
    let left = |r: usize, pushed: &HashMap<usize, f64>| {
        (q.room)(r) - pushed.get(&r).copied().unwrap_or(0.0)
    };
    let mut remaining = od.demand;
    let mut out = vec![first];
    let mut fresh = true;
    while out.len() < q.most {
        let path = out.last().expect("one at least");
        let entries = path_entries(p, net, q.od, path);
        let caps = || entries.iter().filter(|e| e.0 >= n_od && e.1 > 0.0);
        let fits = caps()
            .map(|&(r, v)| left(r, &pushed).max(0.0) / v)
            .fold(f64::INFINITY, f64::min);
        let push = remaining.min(fits);
        remaining -= push;
        for &(r, v) in caps() {
            *pushed.entry(r).or_default() += push * v;
        }
        if remaining <= 1e-9 * od.demand {
            break;
        }
        let full = |r: usize| left(r, &pushed) <= 1e-9 * (1.0 + p.rows[r - n_od].capacity);
        if fresh {
            s.weights(q.class, &pr.reduced[q.class]);
            fresh = false;
        }
        let mut banned = false;
        for &a in path {
            if p.uses(a).iter().any(|u| full(n_od + u.row as usize)) && s.w[a.index()].is_finite() {
                s.w[a.index()] = f64::INFINITY;
                s.dirty.push(a);
                banned = true;
            }
        }
        if !banned {
            break;
        }
        let Some(d) = s.astar.run(csr, &s.w, &[(source, 0.0)], od.sink, |v| {
            pot[v.index()] as f64
        }) else {
            break;
        };
        let Some(arcs) = s.astar.path_arcs(&pr.tails, od.sink) else {
            break;
        };
        if !negative(d + q.start - q.sigma, q.sigma) {
            break;
        }
        out.push(arcs);
    }
    out
}

/// The capacities' Lagrangian subproblem under the prices last set
/// ([`Pricing::set_prices`], with `price` the same prices): every pair
/// on its cheapest path.
pub(super) struct Relaxed {
    /// Per pair, its cheapest path's length, the price of its group's
    /// start (at a node with a capacity) and arcs; `None` if unreachable.
    pub paths: Vec<Option<(f64, f64, Vec<ArcIdx>)>>,
    /// Σ_j D_j min(P, c_j), c_j = length + start.
    pub reach: f64,
    /// Per pair, min(P, c_j).
    pub cheapest: Vec<f64>,
    /// Per capacity row, its load when every pair whose c_j is below P
    /// sends all its demand along its cheapest path: less the capacities,
    /// a subgradient of the Lagrangian function at the prices.
    pub load: Vec<f64>,
}

/// Solves the Lagrangian subproblem at the prices last set ([`Relaxed`]).
pub(super) fn relaxed(p: &Problem, net: &Network, pr: &Pricing, price: &[f64]) -> Relaxed {
    let n_od = p.ods.len();
    let mut out = Relaxed {
        paths: Vec::with_capacity(n_od),
        reach: 0.0,
        cheapest: vec![p.penalty; n_od],
        load: vec![0.0; p.rows.len()],
    };
    for (od, path) in pr.cheapest_paths(p).into_iter().enumerate() {
        let demand = p.ods[od].demand;
        let Some((dist, arcs)) = path else {
            out.reach += demand * p.penalty;
            out.paths.push(None);
            continue;
        };
        let g = &p.groups[p.ods[od].group];
        let start = g.origin_row.map_or(0.0, |u| {
            p.factor(net, g.commodity, u) * price[u.row as usize]
        });
        out.cheapest[od] = (dist + start).min(p.penalty);
        out.reach += demand * out.cheapest[od];
        if dist + start < p.penalty {
            for &(r, v) in path_entries(p, net, od, &arcs).iter().skip(1) {
                out.load[r - n_od] += demand * v;
            }
        }
        out.paths.push(Some((dist, start, arcs)));
    }
    out
}

/// One pricing round under the prices last set ([`Pricing::set_prices`]):
/// per pair whose cheapest path has a negative reduced cost against
/// `sigma`, that path and the paths around it ([`paths_around`], with the
/// room `upper − load` the master's solution leaves, each pair getting
/// its `own` load per row back); pairs in parallel. `price`
/// (per capacity row) prices a group's start at a node with a capacity;
/// it and `sigma` must be the prices last set.
pub(super) fn price_round(
    p: &Problem,
    net: &Network,
    pr: &Pricing,
    (price, sigma): (&[f64], &[f64]),
    (load, own, upper): (&[f64], &[HashMap<usize, f64>], &[f64]),
    most: usize,
) -> Priced {
    let relaxed = relaxed(p, net, pr, price);
    let mut firsts: Vec<(usize, f64, Vec<ArcIdx>)> = Vec::new();
    for (od, path) in relaxed.paths.into_iter().enumerate() {
        if let Some((dist, start, arcs)) = path
            && negative(dist + start - sigma[od], sigma[od])
        {
            firsts.push((od, start, arcs));
        }
    }
    // Pairs of one class next to each other: a worker's scratch copy of
    // the reduced costs then serves them all.
    let class_of = |od: usize| pr.class[p.groups[p.ods[od].group].commodity];
    firsts.sort_by_key(|f| (class_of(f.0), f.0));
    let n = p.lowered.n_vertices();
    let per_pair: Vec<Vec<(usize, Vec<ArcIdx>)>> = firsts
        .into_par_iter()
        .map_init(
            || Scratch {
                astar: AStar::new(n),
                class: usize::MAX,
                w: Vec::new(),
                dirty: Vec::new(),
            },
            |s, (od, start, first)| {
                let mine = &own[od];
                let room = |r: usize| upper[r] - load[r] + mine.get(&r).copied().unwrap_or(0.0);
                let q = PairPricing {
                    od,
                    class: class_of(od),
                    start,
                    sigma: sigma[od],
                    most,
                    room: &room,
                };
                (paths_around(p, net, pr, s, &q, first).into_iter())
                    .map(|arcs| (od, arcs))
                    .collect()
            },
        )
        .collect();
    Priced {
        paths: per_pair.into_iter().flatten().collect(),
        reach: relaxed.reach,
        cheapest: relaxed.cheapest,
        load: relaxed.load,
    }
}

/// A pricing round's answer.
pub(super) struct Priced {
    /// Pairs and the paths proposed for them.
    pub paths: Vec<(usize, Vec<ArcIdx>)>,
    /// Σ_j D_j min(P, c_j): each pair's demand at its cheapest path's
    /// reduced length (or the penalty). Less Σ_r y_r × capacity_r it is
    /// the Lagrangian bound of the prices (a lower bound on the optimum).
    pub reach: f64,
    /// Per pair, min(P, c_j): what `reach` sums weighted by demand.
    pub cheapest: Vec<f64>,
    /// Per capacity row, its load when every pair sends its demand along
    /// its cheapest path (none where that costs P or more): less the
    /// capacities, a subgradient of the Lagrangian function at the prices
    /// (as `lagrangian::evaluate` gives it).
    pub load: Vec<f64>,
}
