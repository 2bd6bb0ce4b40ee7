//! All-or-nothing loading: every origin's demand on its shortest paths at
//! given arc costs, origins in parallel on the rayon pool, and the relative
//! gap that the load measures. Every method of the `assignment` module
//! measures its gap with this load, so all report the gap the same way.
//!
//! Relative gap, as TNTP and AequilibraE define it:
//! `(sum_a x_a c_a(x) − sum_od d_od · SP_od(c(x))) / sum_a x_a c_a(x)`.
//!
//! Complexity: a Dijkstra per origin stopped at its last destination,
//! `O(Z (m + n) log n)` at worst, spread over the pool; a gap pass without
//! a load, with many origins, is one CCH plus a linear sweep per origin
//! (`rphast_gap.rs`).

use super::origin_distances::OriginDistances;
use super::origin_tree::OriginTree;
use super::problem::Demand;
use super::rphast_gap::shortest_path_total_rphast;
use crate::csr::{Csr, VertexIdx, WeightedArcs};
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

/// [`shortest_path_total`] orders, contracts and customizes a CCH and
/// sweeps it per origin (RPHAST, `rphast_gap.rs`) instead of running a
/// Dijkstra per origin when there are at least this many origins and
/// at least one per [`RPHAST_VERTICES_PER_ORIGIN`] vertices: the
/// hierarchy costs about as much as a few hundred Dijkstras, and each
/// origin's sweep saves about two thirds of one. On Berlin-Center (865
/// origins, 13,846 vertices), in instructions: hierarchy 286 million
/// (order 96, contraction 38, customization 151), sweeps 387 million,
/// against 1,023 million for the Dijkstras; the break-even is near one
/// origin per 40 vertices. Below the minimum, the
/// Dijkstra pass also keeps `sptt` bit-identical to the load's.
const RPHAST_MIN_ORIGINS: usize = 256;
const RPHAST_VERTICES_PER_ORIGIN: usize = 20;

/// How many blocks the origins are cut into for parallel loading. Fixed
/// (not the thread count) so that floating-point sums do not depend on the
/// number of threads: results are bit-identical for any `--threads`.
pub(super) const AON_BLOCKS: usize = 32;

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
/// Berlin-Center's all-or-nothing, the second of its two passes). With
/// many origins, by RPHAST on a CCH (see [`RPHAST_MIN_ORIGINS`]): `sptt`
/// is then the Dijkstras' within rounding (about 1e-15 relative), the
/// unreachable demand the same. Else by
/// [`shortest_path_total_dijkstra`].
pub(super) fn shortest_path_total(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    demand: &Demand,
) -> AonLoad {
    let origins = demand.origins.len();
    if origins >= RPHAST_MIN_ORIGINS && origins * RPHAST_VERTICES_PER_ORIGIN >= g.n_vertices() {
        let (sptt, unreachable_demand) = shortest_path_total_rphast(g, cost, demand, AON_BLOCKS);
        return AonLoad {
            flow: Vec::new(),
            sptt,
            unreachable_demand,
        };
    }
    shortest_path_total_dijkstra(g, tails, cost, demand)
}

/// [`shortest_path_total`] by one [`OriginDistances`] search per origin,
/// whatever the number of origins (what tests compare RPHAST with). Its
/// searches keep no predecessors and so may pop ties in any order (12 %
/// fewer instructions than [`OriginTree`]); the distances are the same to
/// the bit and summed in the same order, so `sptt` is bit-identical to
/// the load's.
pub(super) fn shortest_path_total_dijkstra(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    demand: &Demand,
) -> AonLoad {
    search_and_load(g, tails, cost, demand, Search::Distances)
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
    let search = if early_stop {
        Search::Load
    } else {
        Search::LoadFullTrees
    };
    search_and_load(g, tails, cost, demand, search)
}

/// How one origin's shortest paths are searched.
#[derive(Clone, Copy, PartialEq)]
enum Search {
    /// [`OriginTree`], stopped at the last destination, paths loaded.
    Load,
    /// Full [`ShortestPath`] trees, paths loaded (what tests compare with).
    LoadFullTrees,
    /// [`OriginDistances`], distances only: no flow.
    Distances,
}

/// Per-worker search state.
#[derive(Default)]
struct Searchers {
    tree: OriginTree,
    sp: ShortestPath,
    dists: OriginDistances,
    targets: Vec<VertexIdx>,
}

/// The searches of every origin, loading their paths unless
/// `search == Search::Distances`.
fn search_and_load(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    demand: &Demand,
    search: Search,
) -> AonLoad {
    let m = g.n_arcs();
    let load = search != Search::Distances;
    // Heads and costs side by side, once for all origins' searches, for
    // the distance-only search. The load's search scans the two slices:
    // over the interleaved arcs it missed the L1 less but ran more
    // instructions, and Berlin-Center's `bfw` to 1e-4 (18 loads) took
    // 4 % longer (docs/benchmarks.md, "bfw after the interleaved arcs").
    let arcs = if load {
        WeightedArcs::default()
    } else {
        WeightedArcs::new(g, cost)
    };
    let costs = (cost, &arcs);
    let per_block = demand.origins.len().div_ceil(AON_BLOCKS).max(1);
    let blocks: Vec<(Vec<f64>, f64, f64)> = demand
        .origins
        .par_chunks(per_block)
        .map_init(Searchers::default, |s, chunk| {
            let mut flow = if load { vec![0.0; m] } else { Vec::new() };
            let mut sums = (0.0, 0.0);
            for (o, dests) in chunk {
                origin(
                    g,
                    tails,
                    costs,
                    (*o, dests),
                    search,
                    s,
                    &mut flow,
                    &mut sums,
                );
            }
            (flow, sums.0, sums.1)
        })
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

/// One origin's search and load (into `flow`, unless distances only);
/// adds its shortest-path total cost and its unreachable demand to `sums`
/// destination after destination (the order of the sums is fixed, so
/// `sptt` is bit-identical whichever search ran).
#[allow(clippy::too_many_arguments)]
fn origin(
    g: &Csr,
    tails: &[VertexIdx],
    (cost, arcs): (&[f64], &WeightedArcs),
    (o, dests): (VertexIdx, &[(VertexIdx, f64)]),
    search: Search,
    s: &mut Searchers,
    flow: &mut [f64],
    (sptt, lost): &mut (f64, f64),
) {
    s.targets.clear();
    s.targets.extend(
        dests
            .iter()
            .filter(|&&(d, f)| f > 0.0 && d != o)
            .map(|&(d, _)| d),
    );
    if s.targets.is_empty() {
        return;
    }
    match search {
        Search::Load => s.tree.run(g, cost, o, &s.targets),
        Search::LoadFullTrees => {
            s.sp.run(g, cost, &[(o, 0.0)], None);
        }
        Search::Distances => s.dists.run(g, arcs, o, &s.targets),
    }
    for &(d, f) in dests {
        if f.is_nan() || f <= 0.0 || d == o {
            continue;
        }
        let (reached, dist) = match search {
            Search::Load => (s.tree.reached(d), s.tree.dist(d)),
            Search::LoadFullTrees => (s.sp.reached(d), s.sp.dist(d)),
            Search::Distances => (s.dists.reached(d), s.dists.dist(d)),
        };
        if !reached {
            *lost += f;
            continue;
        }
        *sptt += f * dist;
        if search == Search::Distances {
            continue;
        }
        let mut v = d;
        loop {
            let a = if search == Search::Load {
                s.tree.pred_arc(v)
            } else {
                s.sp.pred_arc(v)
            };
            if a == NO_ARC {
                break;
            }
            flow[a.index()] += f;
            v = tails[a.index()];
        }
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
