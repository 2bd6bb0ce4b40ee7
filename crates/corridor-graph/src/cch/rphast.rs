//! RPHAST on a customized CCH: distances from many sources to one fixed
//! set of targets, each source by an upward search up its elimination-tree
//! chain and one linear sweep down a precomputed selection, with no
//! priority queue.
//!
//! PHAST (Delling et al. 2011) computes one source's distances to *every*
//! vertex: the upward search gives each vertex of the source's chain its
//! distance by paths that only go up, then a sweep in descending rank
//! order lowers each vertex to the least distance of its upper neighbours
//! plus the downward weight (their distances are final: every shortest
//! path of a CCH goes up, then down). RPHAST (Delling, Goldberg and
//! Werneck 2011) sweeps only what the targets need: the vertices a
//! downward path to a target passes through are the target's
//! elimination-tree ancestors, so the *selection* is the union of the
//! targets' chains, renumbered densely in descending rank order with its
//! downward edges and weights copied out of the metric. The sweep then
//! reads and writes two small arrays front to back (the selection's
//! distances and its edges), which is what makes it cheaper than a
//! Dijkstra per source when there are many sources and the selection is
//! built once.
//!
//! Distances are the least sums over up-down paths, added in another
//! order than a Dijkstra adds them along the path: equal to a Dijkstra's
//! within rounding, not to the bit.

use super::contract::NONE;
use super::customize::CchMetric;
use crate::csr::VertexIdx;
use crate::shortest_path::INFINITY;

/// The selection of one metric for one target set: built once, then
/// [`Rphast::run`] per source (from any number of threads, each with its
/// own [`RphastQuery`]).
#[derive(Clone, Debug)]
pub struct Rphast<'a> {
    metric: &'a CchMetric<'a>,
    /// Per rank, its index in the selection, [`NONE`] if not selected.
    local: Vec<u32>,
    /// Downward edges of selected vertex `i` (index `i` has rank below
    /// every index before it): `first[i]..first[i + 1]` into `head` (the
    /// upper end's index, always `< i`) and `weight` (upper → lower).
    /// Closed edges (infinite weight) are left out.
    first: Vec<u32>,
    head: Vec<u32>,
    weight: Vec<f64>,
}

/// Reusable per-thread state of [`Rphast::run`], for up to `K` sources
/// swept together.
#[derive(Clone, Debug)]
pub struct RphastQuery<const K: usize> {
    /// Upward distances by rank, one lane per source, [`INFINITY`]
    /// between runs.
    up: Vec<[f64; K]>,
    /// The union of the sources' chains, and its members (false between
    /// runs).
    chain: Vec<u32>,
    in_chain: Vec<bool>,
    /// Distances of the selection, by selection index, one lane per source.
    dist: Vec<[f64; K]>,
}

impl<const K: usize> Default for RphastQuery<K> {
    fn default() -> Self {
        Self {
            up: Vec::new(),
            chain: Vec::new(),
            in_chain: Vec::new(),
            dist: Vec::new(),
        }
    }
}

impl<'a> Rphast<'a> {
    /// The selection for `targets` (repeats allowed) on `metric`.
    ///
    /// # Complexity
    /// O(selected vertices + their upward edges), after marking the
    /// targets' chains (each vertex once).
    ///
    /// # Example
    /// ```
    /// use corridor_graph::{Csr, VertexIdx as V};
    /// use corridor_graph::cch::{Cch, Rphast, RphastQuery, nested_dissection_order};
    /// let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
    /// let w: Vec<f64> = order.iter().map(|&i| [1.0, 1.0, 5.0][i as usize]).collect();
    /// let cch = Cch::new(&g, &nested_dissection_order(&g, None));
    /// let metric = cch.customize(&w);
    /// let rphast = Rphast::new(&metric, &[V(2), V(0)]);
    /// let mut q = RphastQuery::<2>::default();
    /// rphast.run(&mut q, &[V(0), V(2)]);
    /// assert_eq!((rphast.dist(&q, 0, V(2)), rphast.dist(&q, 0, V(0))), (2.0, 0.0));
    /// assert_eq!(rphast.dist(&q, 1, V(0)), f64::INFINITY);
    /// ```
    pub fn new(metric: &'a CchMetric<'a>, targets: &[VertexIdx]) -> Self {
        let c = metric.cch();
        let n = c.n_vertices();
        let mut selected = vec![false; n];
        for &t in targets {
            let mut r = c.rank[t.index()];
            while r != NONE && !selected[r as usize] {
                selected[r as usize] = true;
                r = c.parent[r as usize];
            }
        }
        let mut local = vec![NONE; n];
        let mut first = vec![0u32];
        let (mut head, mut weight) = (Vec::new(), Vec::new());
        for r in (0..n).rev().filter(|&r| selected[r]) {
            local[r] = first.len() as u32 - 1;
            let (lo, hi) = (c.up_first[r] as usize, c.up_first[r + 1] as usize);
            for (&h, &w) in c.up_head[lo..hi].iter().zip(&metric.bwd[lo..hi]) {
                // An upper neighbour is an ancestor, so selected too.
                if w < INFINITY {
                    head.push(local[h as usize]);
                    weight.push(w);
                }
            }
            first.push(head.len() as u32);
        }
        Self {
            metric,
            local,
            first,
            head,
            weight,
        }
    }

    /// How many vertices the sweep visits (the targets and their
    /// ancestors).
    pub fn n_selected(&self) -> usize {
        self.first.len() - 1
    }

    /// How many downward edges the sweep relaxes.
    pub fn n_sweep_edges(&self) -> usize {
        self.head.len()
    }

    /// The distances from each of `sources` (at most `K`) to every
    /// target (and every selected vertex), left in `q` for
    /// [`Rphast::dist`]. The sources share one sweep: each edge's index and
    /// weight are read once for all of them, and the `K` distances of a
    /// vertex are adjacent (the compiler vectorises the lanes).
    ///
    /// Panics if there are more than `K` sources.
    ///
    /// # Complexity
    /// O(Σ |up(v)|) over each source's chain, plus the selection's
    /// vertices and edges times `K`.
    pub fn run<const K: usize>(&self, q: &mut RphastQuery<K>, sources: &[VertexIdx]) {
        assert!(sources.len() <= K, "at most {K} sources per sweep");
        let c = self.metric.cch();
        let n = c.n_vertices();
        if q.up.len() != n {
            q.up = vec![[INFINITY; K]; n];
            q.in_chain = vec![false; n];
        }
        q.dist.clear();
        q.dist.resize(self.n_selected(), [INFINITY; K]);
        // Up the union of the sources' chains in rank order, one lane per
        // source: the chains share their tops, the separators, which hold
        // most of the upward edges.
        q.chain.clear();
        for (lane, &source) in sources.iter().enumerate() {
            let mut r = c.rank[source.index()];
            q.up[r as usize][lane] = 0.0;
            while r != NONE && !q.in_chain[r as usize] {
                q.in_chain[r as usize] = true;
                q.chain.push(r);
                r = c.parent[r as usize];
            }
        }
        q.chain.sort_unstable();
        let fwd = &self.metric.fwd;
        for &r in &q.chain {
            q.in_chain[r as usize] = false;
            let d = std::mem::replace(&mut q.up[r as usize], [INFINITY; K]);
            let l = self.local[r as usize];
            if l != NONE {
                q.dist[l as usize] = d;
            }
            let (lo, hi) = (
                c.up_first[r as usize] as usize,
                c.up_first[r as usize + 1] as usize,
            );
            for (&h, &w) in c.up_head[lo..hi].iter().zip(&fwd[lo..hi]) {
                let x = &mut q.up[h as usize];
                for j in 0..K {
                    let nd = d[j] + w;
                    x[j] = if nd < x[j] { nd } else { x[j] };
                }
            }
        }
        self.sweep(&mut q.dist);
    }

    /// Down the selection: each vertex takes the least of its own upward
    /// distance and its upper neighbours' final distances plus the
    /// downward weights, lane by lane.
    fn sweep<const K: usize>(&self, dist: &mut [[f64; K]]) {
        let (first, head, weight) = (&self.first[..], &self.head[..], &self.weight[..]);
        for i in 0..dist.len() {
            let (lo, hi) = (first[i] as usize, first[i + 1] as usize);
            let mut d = dist[i];
            for (&h, &w) in head[lo..hi].iter().zip(&weight[lo..hi]) {
                let x = &dist[h as usize];
                for j in 0..K {
                    let nd = x[j] + w;
                    d[j] = if nd < d[j] { nd } else { d[j] };
                }
            }
            dist[i] = d;
        }
    }

    /// The distance from source `lane` of the last [`run`](Self::run) to
    /// `v` ([`INFINITY`] if unreachable).
    ///
    /// Panics if `v` is not one of the targets (or an ancestor of one).
    pub fn dist<const K: usize>(&self, q: &RphastQuery<K>, lane: usize, v: VertexIdx) -> f64 {
        let l = self.local[self.metric.cch().rank[v.index()] as usize];
        assert_ne!(l, NONE, "vertex {v} is not a target of this selection");
        q.dist[l as usize][lane]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cch::{Cch, level_set_order, nested_dissection_order};
    use crate::csr::Csr;
    use crate::shortest_path::ShortestPath;
    use proptest::prelude::*;

    fn graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>)> {
        crate::test_support::tie_heavy_graph(1)
    }

    proptest! {
        /// Every target's distance from every source, three sources per
        /// sweep, is Dijkstra's within rounding (and unreachable exactly
        /// where Dijkstra's is), on both orders.
        #[test]
        fn matches_dijkstra(
            (n, arcs) in graph(),
            targets in proptest::collection::vec(0u32..40, 1..10),
            level_sets in any::<bool>(),
        ) {
            let ends: Vec<_> = arcs.iter().map(|&(t, h, _)| (VertexIdx(t), VertexIdx(h))).collect();
            let (g, order) = Csr::from_arcs(n, &ends);
            let w: Vec<f64> = order.iter().map(|&i| arcs[i as usize].2).collect();
            let rank = if level_sets { level_set_order(&g) } else { nested_dissection_order(&g, None) };
            let cch = Cch::new(&g, &rank);
            let metric = cch.customize(&w);
            let targets: Vec<VertexIdx> = targets.iter().map(|&t| VertexIdx(t % n as u32)).collect();
            let rphast = Rphast::new(&metric, &targets);
            let mut q = RphastQuery::<3>::default();
            let mut sp = ShortestPath::new(n);
            let sources: Vec<VertexIdx> = (0..n as u32).map(VertexIdx).collect();
            for batch in sources.chunks(3) {
                rphast.run(&mut q, batch);
                for (lane, &s) in batch.iter().enumerate() {
                    sp.run(&g, &w, &[(s, 0.0)], None);
                    for &t in &targets {
                        let (want, got) = (sp.dist(t), rphast.dist(&q, lane, t));
                        prop_assert_eq!(sp.reached(t), got < INFINITY, "{} -> {}", s, t);
                        if sp.reached(t) {
                            prop_assert!((got - want).abs() <= 1e-12 * want, "{} -> {}: {} vs {}", s, t, got, want);
                        }
                    }
                }
            }
        }
    }
}
