//! All-or-nothing loading: every origin's demand on its shortest paths at
//! given arc costs, origins in parallel on the rayon pool, and the relative
//! gap that the load measures. Every method of the `assignment` module
//! measures its gap with this load, so all report the gap the same way.
//!
//! Relative gap, as TNTP and AequilibraE define it:
//! `(sum_a x_a c_a(x) − sum_od d_od · SP_od(c(x))) / sum_a x_a c_a(x)`.
//!
//! Complexity: a Dijkstra per origin stopped at its last destination,
//! `O(Z (m + n) log n)` at worst, spread over the pool.

use super::origin_tree::OriginTree;
use super::problem::Demand;
use crate::csr::{Csr, VertexIdx};
use crate::shortest_path::{NO_ARC, ShortestPath};
use rayon::prelude::*;

/// Result of one all-or-nothing load.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct AonLoad {
    pub flow: Vec<f64>,
    /// Shortest-path total cost: `sum_od d_od · SP_od`.
    pub sptt: f64,
    pub unreachable_demand: f64,
}

/// How many blocks the origins are cut into for parallel loading. Fixed
/// (not the thread count) so that floating-point sums do not depend on the
/// number of threads: results are bit-identical for any `--threads`.
const AON_BLOCKS: usize = 32;

/// Loads every origin's demand onto its shortest paths under `cost`.
/// Each origin's search stops once its last destination is settled, which
/// gives exactly the full tree's paths (a settled vertex's distance and
/// predecessor never change) and on Berlin-Center settles about a third of
/// the vertices.
///
/// Origins run in parallel on the current rayon pool with one reusable
/// [`ShortestPath`] per worker. `tails` is [`Csr::tails`] (passed in so
/// iterative callers compute it once).
pub(super) fn all_or_nothing(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    demand: &Demand,
) -> AonLoad {
    all_or_nothing_stopping(g, tails, cost, demand, true)
}

/// The shortest-path total cost (and unreachable demand) of
/// [`all_or_nothing`] without loading any flow (`flow` is empty): what the
/// gap of the last iteration needs, whose load would be thrown away (on
/// Berlin-Center's all-or-nothing, the second of its two passes). The
/// searches and the sum run in the same order, so `sptt` is bit-identical.
pub(super) fn shortest_path_total(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    demand: &Demand,
) -> AonLoad {
    search_and_load(g, tails, cost, demand, true, false)
}

/// [`all_or_nothing`], with full trees when `early_stop` is false (tests
/// compare the two).
pub(super) fn all_or_nothing_stopping(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    demand: &Demand,
    early_stop: bool,
) -> AonLoad {
    search_and_load(g, tails, cost, demand, early_stop, true)
}

/// The searches of every origin, loading their paths when `load`.
fn search_and_load(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    demand: &Demand,
    early_stop: bool,
    load: bool,
) -> AonLoad {
    let m = g.n_arcs();
    let per_block = demand.origins.len().div_ceil(AON_BLOCKS).max(1);
    let blocks: Vec<(Vec<f64>, f64, f64)> = demand
        .origins
        .par_chunks(per_block)
        .map_init(
            || (OriginTree::default(), ShortestPath::default()),
            |(tree, sp), chunk| {
                let mut flow = if load { vec![0.0; m] } else { Vec::new() };
                let mut sptt = 0.0;
                let mut lost = 0.0;
                let mut targets = Vec::new();
                for (o, dests) in chunk {
                    targets.clear();
                    targets.extend(
                        dests
                            .iter()
                            .filter(|&&(d, f)| f > 0.0 && d != *o)
                            .map(|&(d, _)| d),
                    );
                    if targets.is_empty() {
                        continue;
                    }
                    if early_stop {
                        tree.run(g, cost, *o, &targets);
                    } else {
                        sp.run(g, cost, &[(*o, 0.0)], None);
                    }
                    for &(d, f) in dests {
                        if f.is_nan() || f <= 0.0 || d == *o {
                            continue;
                        }
                        let (reached, dist) = if early_stop {
                            (tree.reached(d), tree.dist(d))
                        } else {
                            (sp.reached(d), sp.dist(d))
                        };
                        if !reached {
                            lost += f;
                            continue;
                        }
                        sptt += f * dist;
                        if !load {
                            continue;
                        }
                        let mut v = d;
                        loop {
                            let a = if early_stop {
                                tree.pred_arc(v)
                            } else {
                                sp.pred_arc(v)
                            };
                            if a == NO_ARC {
                                break;
                            }
                            flow[a.index()] += f;
                            v = tails[a.index()];
                        }
                    }
                }
                (flow, sptt, lost)
            },
        )
        .collect();
    let mut flow = if load { vec![0.0; m] } else { Vec::new() };
    let (mut sptt, mut lost) = (0.0, 0.0);
    for (f, s, l) in blocks {
        for (x, y) in flow.iter_mut().zip(&f) {
            *x += y;
        }
        sptt += s;
        lost += l;
    }
    AonLoad {
        flow,
        sptt,
        unreachable_demand: lost,
    }
}

/// `sum_a x_a c_a` over the arcs that carry flow (an arc a class may not
/// use has an infinite cost and no flow).
pub(super) fn total_cost(flow: &[f64], cost: &[f64]) -> f64 {
    flow.iter()
        .zip(cost)
        .filter(|(x, _)| **x != 0.0)
        .map(|(x, c)| x * c)
        .sum()
}

/// Relative gap from total cost and shortest-path total cost; 0 when there
/// is no flow at all.
pub(super) fn relative_gap(tstt: f64, sptt: f64) -> f64 {
    if tstt > 0.0 {
        ((tstt - sptt) / tstt).max(0.0)
    } else {
        0.0
    }
}
