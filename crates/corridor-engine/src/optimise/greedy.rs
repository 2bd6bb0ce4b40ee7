//! Column generation's capacity-aware first columns (`paths.rs`): route
//! every pair's demand, pair after pair, by successive shortest paths on
//! the capacities the pairs before it left — a path's arcs on a full
//! capacity are barred, arcs on nearly full ones cost more — and hand
//! every path used to the master as a column. With many pairs sharing
//! bottlenecks (100 groups on 10k links) the master's first solutions
//! otherwise left most demand unserved at the penalty for dozens of
//! rounds: each pair's first paths were found as if it were alone, so
//! together they overfilled the same capacities. The greedy routing is a
//! heuristic that only proposes columns; the master decides the flows and
//! pricing proves the optimum, so exactness does not depend on it.

use super::pricing::{Pricing, path_entries};
use super::problem::Problem;
use corridor_graph::{AStar, ArcIdx};
use corridor_model::Network;

/// Most paths one pair gets from the greedy routing: its demand over the
/// bottlenecks' capacities can need many more, but those are left to
/// pricing.
pub const GREEDY_PATHS_PER_PAIR: usize = 24;

/// How much dearer an arc gets as its fullest capacity fills: its cost
/// times 1 + this × utilisation², so later pairs spread out before the
/// capacities are full rather than after.
const NEARLY_FULL: f64 = 1.0;

/// The loads of the greedy routing and each cost class's arc weights
/// under them.
struct Residual<'a> {
    p: &'a Problem,
    /// Per capacity row, its capacity-equivalent load so far.
    load: Vec<f64>,
    /// Per capacity row, the arcs that use it.
    row_arcs: Vec<Vec<ArcIdx>>,
    /// Per class, the arc weights: cost, raised near full, ∞ once full.
    w: Vec<Vec<f64>>,
    /// Per class, the costs without loads.
    base: &'a [Vec<f64>],
}

impl Residual<'_> {
    fn full(&self, r: usize) -> bool {
        let c = self.p.rows[r].capacity;
        c - self.load[r] <= 1e-9 * (1.0 + c.abs())
    }

    /// Sets arc `a`'s weight in every class from its rows' loads.
    fn reweigh(&mut self, a: ArcIdx) {
        let uses = self.p.uses(a);
        let full = uses.iter().any(|u| self.full(u.row as usize));
        let util = (uses.iter())
            .map(|u| {
                let r = u.row as usize;
                self.load[r] / self.p.rows[r].capacity.max(1e-12)
            })
            .fold(0.0, f64::max);
        for (w, base) in self.w.iter_mut().zip(self.base) {
            let b = base[a.index()];
            w[a.index()] = if !b.is_finite() {
                b
            } else if full {
                f64::INFINITY
            } else {
                b * (1.0 + NEARLY_FULL * util * util)
            };
        }
    }

    /// Adds `amount` × each capacity entry of a path to the loads and
    /// reweighs the arcs of the rows it changed.
    fn push(&mut self, n_od: usize, entries: &[(usize, f64)], amount: f64) {
        for &(r, v) in entries.iter().filter(|e| e.0 >= n_od) {
            self.load[r - n_od] += amount * v;
            for i in 0..self.row_arcs[r - n_od].len() {
                let a = self.row_arcs[r - n_od][i];
                self.reweigh(a);
            }
        }
    }
}

/// What the greedy routing found: its paths (per pair in the problem's
/// order), the t/day it placed, and the capacity rows it filled (the
/// master takes these on from the start: without them its first solve
/// put every pair on its cheapest path and exceeded thousands of rows).
pub(super) struct Greedy {
    pub paths: Vec<(usize, Vec<ArcIdx>)>,
    pub placed: f64,
    pub full_rows: Vec<usize>,
    /// The objective of the routing as a plan (its paths' costs times
    /// t/day, the rest of each pair's demand unserved at the penalty): it
    /// respects every capacity, so the optimum is at most this.
    pub objective: f64,
}

/// The greedy routing (`pr`'s prices must be unset: its reduced costs are
/// the costs). A pair stops at `per_pair` paths (default
/// [`GREEDY_PATHS_PER_PAIR`]), when its
/// demand is placed, when no path is left, or when the cheapest path left
/// costs more than leaving a tonne unserved.
pub(super) fn greedy_paths(p: &Problem, net: &Network, pr: &Pricing, per_pair: usize) -> Greedy {
    let csr = &p.lowered.csr;
    let n_od = p.ods.len();
    let mut row_arcs = vec![Vec::new(); p.rows.len()];
    for a in csr.arcs() {
        for u in p.uses(a) {
            row_arcs[u.row as usize].push(a);
        }
    }
    let mut res = Residual {
        p,
        load: vec![0.0; p.rows.len()],
        row_arcs,
        w: pr.reduced.clone(),
        base: &pr.reduced,
    };
    let mut astar = AStar::new(csr.n_vertices());
    let mut out = Vec::new();
    let mut placed = 0.0;
    let mut objective = 0.0;
    for (j, od) in p.ods.iter().enumerate() {
        let g = &p.groups[od.group];
        let (class, pot) = (pr.class[g.commodity], &pr.potential[od.group]);
        let cost = &p.weight[g.commodity];
        let mut remaining = od.demand;
        for _ in 0..per_pair {
            let w = &res.w[class];
            let found = astar.run(csr, w, &[(g.source, 0.0)], od.sink, |v| {
                pot[v.index()] as f64
            });
            let Some(arcs) = found.and_then(|_| astar.path_arcs(&pr.tails, od.sink)) else {
                break;
            };
            let path_cost: f64 = arcs.iter().map(|a| cost[a.index()]).sum();
            if path_cost >= p.penalty {
                break;
            }
            let entries = path_entries(p, net, j, &arcs);
            let fits = (entries.iter().filter(|e| e.0 >= n_od && e.1 > 0.0))
                .map(|&(r, v)| (p.rows[r - n_od].capacity - res.load[r - n_od]).max(0.0) / v)
                .fold(f64::INFINITY, f64::min);
            let push = remaining.min(fits);
            if push <= 1e-9 * od.demand {
                break;
            }
            res.push(n_od, &entries, push);
            remaining -= push;
            placed += push;
            objective += push * path_cost;
            out.push((j, arcs));
            if remaining <= 1e-9 * od.demand {
                break;
            }
        }
        objective += remaining.max(0.0) * p.penalty;
    }
    Greedy {
        paths: out,
        placed,
        full_rows: (0..p.rows.len()).filter(|&r| res.full(r)).collect(),
        objective,
    }
}
