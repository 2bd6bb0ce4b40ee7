//! The elimination-tree query of a CCH and shortcut unpacking.
//!
//! Every upper neighbour of a vertex is one of its elimination-tree
//! ancestors, so the upward search space of a source is exactly its
//! ancestor chain: the query walks the chains of the sources (forward
//! weights) and of the targets (backward weights) in rank order, relaxing
//! each vertex's upward edges, with no priority queue, and meets where the
//! chains share a vertex. Only the chain vertices are written, so resets
//! cost what the query touched.

use super::contract::NONE;
use super::customize::{CchMetric, SHORTCUT};
use crate::csr::{ArcIdx, VertexIdx};
use crate::shortest_path::INFINITY;

/// Reusable query state for one hierarchy size.
#[derive(Clone, Debug, Default)]
pub struct CchQuery {
    dist: [Vec<f64>; 2],
    /// The edge by which a rank was reached in each direction.
    pred: [Vec<u32>; 2],
    /// Ancestor chains (ranks) walked in each direction, ascending.
    chain: [Vec<u32>; 2],
    in_chain: [Vec<bool>; 2],
    meet: u32,
}

/// The reached part of one upward search, by [`CchQuery::upward`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Upward {
    pub(crate) rank: Vec<u32>,
    pub(crate) dist: Vec<f64>,
    pub(crate) pred: Vec<u32>,
}

/// Forward (from the sources) and backward (from the targets).
const FWD: usize = 0;
const BWD: usize = 1;

impl CchQuery {
    pub fn new(n_vertices: usize) -> Self {
        Self {
            dist: [vec![INFINITY; n_vertices], vec![INFINITY; n_vertices]],
            pred: [vec![NONE; n_vertices], vec![NONE; n_vertices]],
            chain: [Vec::new(), Vec::new()],
            in_chain: [vec![false; n_vertices], vec![false; n_vertices]],
            meet: NONE,
        }
    }

    fn reset(&mut self, n: usize, dirs: &[usize]) {
        if self.dist[FWD].len() != n {
            *self = Self::new(n);
            return;
        }
        for &d in dirs {
            for &r in &self.chain[d] {
                self.dist[d][r as usize] = INFINITY;
                self.pred[d][r as usize] = NONE;
                self.in_chain[d][r as usize] = false;
            }
            self.chain[d].clear();
        }
        self.meet = NONE;
    }

    /// The least distance from any of `sources` to any of `targets`, each
    /// with an initial distance (e.g. one vertex per layer of a place, with
    /// its access cost); `None` if no target is reachable.
    ///
    /// # Complexity
    /// O(Σ |up(v)|) over the ancestors of the sources and targets:
    /// independent of how far apart they are.
    ///
    /// # Example
    /// ```
    /// use corridor_graph::{Csr, VertexIdx as V};
    /// use corridor_graph::cch::{Cch, CchQuery, nested_dissection_order};
    /// let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
    /// let w: Vec<f64> = order.iter().map(|&i| [1.0, 1.0, 5.0][i as usize]).collect();
    /// let cch = Cch::new(&g, &nested_dissection_order(&g, None));
    /// let metric = cch.customize(&w);
    /// let mut q = CchQuery::new(3);
    /// assert_eq!(q.run(&metric, &[(V(0), 0.0)], &[(V(2), 0.0)]), Some(2.0));
    /// assert_eq!(q.path_arcs(&metric).len(), 2);
    /// assert_eq!(q.run(&metric, &[(V(2), 0.0)], &[(V(0), 0.0)]), None);
    /// ```
    pub fn run(
        &mut self,
        metric: &CchMetric<'_>,
        sources: &[(VertexIdx, f64)],
        targets: &[(VertexIdx, f64)],
    ) -> Option<f64> {
        self.start(metric, sources);
        self.to(metric, targets)
    }

    /// The forward half of [`run`](Self::run): searches up from `sources`
    /// once, for several [`to`](Self::to) calls (one origin, many
    /// destinations, as a skim row asks).
    pub fn start(&mut self, metric: &CchMetric<'_>, sources: &[(VertexIdx, f64)]) {
        self.reset(metric.cch().n_vertices(), &[FWD, BWD]);
        self.search(metric, FWD, sources);
    }

    /// The distance from the sources of the last [`start`](Self::start)
    /// to any of `targets`, as [`run`](Self::run) gives it.
    pub fn to(&mut self, metric: &CchMetric<'_>, targets: &[(VertexIdx, f64)]) -> Option<f64> {
        self.reset(metric.cch().n_vertices(), &[BWD]);
        self.meet = NONE;
        self.search(metric, BWD, targets);
        let mut best = INFINITY;
        for &r in &self.chain[BWD] {
            let d = self.dist[FWD][r as usize] + self.dist[BWD][r as usize];
            if d < best {
                best = d;
                self.meet = r;
            }
        }
        (best < INFINITY).then_some(best)
    }

    /// One upward search on its own, for [`super::many_to_many`]: the
    /// reached ranks of the chain (ascending) with their distances and
    /// the edges they were reached by ([`NONE`] at a start), forward
    /// weights if `forward`, else backward ones.
    pub(crate) fn upward(
        &mut self,
        metric: &CchMetric<'_>,
        forward: bool,
        starts: &[(VertexIdx, f64)],
    ) -> Upward {
        let d = if forward { FWD } else { BWD };
        self.reset(metric.cch().n_vertices(), &[d]);
        self.search(metric, d, starts);
        let mut up = Upward::default();
        for &r in &self.chain[d] {
            let dist = self.dist[d][r as usize];
            if dist < INFINITY {
                up.rank.push(r);
                up.dist.push(dist);
                up.pred.push(self.pred[d][r as usize]);
            }
        }
        up
    }

    /// Walks the ancestor chains of `starts` upward in rank order.
    fn search(&mut self, metric: &CchMetric<'_>, dir: usize, starts: &[(VertexIdx, f64)]) {
        let c = metric.cch();
        let weight = if dir == FWD { &metric.fwd } else { &metric.bwd };
        let (dist, pred) = (&mut self.dist[dir], &mut self.pred[dir]);
        let (chain, in_chain) = (&mut self.chain[dir], &mut self.in_chain[dir]);
        for &(v, d0) in starts {
            let mut r = c.rank[v.index()];
            if d0 < dist[r as usize] {
                dist[r as usize] = d0;
            }
            while r != NONE && !in_chain[r as usize] {
                in_chain[r as usize] = true;
                chain.push(r);
                r = c.parent[r as usize];
            }
        }
        // One chain is ascending; merged chains need sorting.
        if starts.len() > 1 {
            chain.sort_unstable();
        }
        for &r in chain.iter() {
            let d = dist[r as usize];
            if d == INFINITY {
                continue;
            }
            let (lo, hi) = (
                c.up_first[r as usize] as usize,
                c.up_first[r as usize + 1] as usize,
            );
            for (e, (&h, &w)) in (lo..hi).zip(c.up_head[lo..hi].iter().zip(&weight[lo..hi])) {
                let nd = d + w;
                if nd < dist[h as usize] {
                    dist[h as usize] = nd;
                    pred[h as usize] = e as u32;
                }
            }
        }
    }

    /// The input arcs of the path the last [`run`](Self::run) found, in
    /// travel order (empty if it found none, or a source is a target).
    pub fn path_arcs(&self, metric: &CchMetric<'_>) -> Vec<ArcIdx> {
        let c = metric.cch();
        let mut arcs = Vec::new();
        if self.meet == NONE {
            return arcs;
        }
        // Up from a source to the meeting vertex, gathered backwards.
        let mut up_edges = Vec::new();
        let mut r = self.meet;
        while self.pred[FWD][r as usize] != NONE {
            let e = self.pred[FWD][r as usize];
            up_edges.push(e);
            r = c.up_tail[e as usize];
        }
        for &e in up_edges.iter().rev() {
            unpack(metric, e, true, &mut arcs);
        }
        let mut r = self.meet;
        while self.pred[BWD][r as usize] != NONE {
            let e = self.pred[BWD][r as usize];
            unpack(metric, e, false, &mut arcs);
            r = c.up_tail[e as usize];
        }
        arcs
    }

    /// Vertices whose distance the last run wrote (both chains).
    pub fn n_touched(&self) -> usize {
        self.chain[FWD].len() + self.chain[BWD].len()
    }
}

/// Appends the input arcs of edge `e` traversed upward (`lo → hi`) or
/// downward (`hi → lo`), expanding shortcuts through their lower vertex.
fn unpack(metric: &CchMetric<'_>, e: u32, upward: bool, out: &mut Vec<ArcIdx>) {
    let c = metric.cch();
    // Pending (edge, upward), last one first.
    let mut stack = vec![(e, upward)];
    while let Some((e, up)) = stack.pop() {
        let via = if up {
            metric.fwd_via[e as usize]
        } else {
            metric.bwd_via[e as usize]
        };
        debug_assert_ne!(via, NONE, "a finite path uses only weighted edges");
        if via & SHORTCUT == 0 {
            out.push(ArcIdx(via));
            continue;
        }
        let v = via & !SHORTCUT;
        let (lo, hi) = (c.up_tail[e as usize], c.up_head[e as usize]);
        let (from, to) = if up { (lo, hi) } else { (hi, lo) };
        // from → v runs down edge {v, from}, v → to up edge {v, to}.
        let (first, second) = (c.edge(v, from), c.edge(v, to));
        stack.push((second, true));
        stack.push((first, false));
    }
}
