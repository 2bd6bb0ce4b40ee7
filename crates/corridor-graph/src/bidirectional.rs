//! Bidirectional Dijkstra for one-to-one queries: a forward search from the
//! sources and a backward search (on the reverse graph) from the targets,
//! stopped when the two frontiers prove no shorter meeting is possible.
//!
//! This module owns the reverse graph ([`ReverseGraph`]) and the two-sided
//! search; it does not pick which vertices are sources or targets (the engine
//! does) and it does not cache anything between different weight vectors
//! beyond the reusable buffers.
//!
//! On road-like graphs a one-to-one query explores about half the vertices a
//! one-sided search settles (two balls of radius d/2 instead of one of
//! radius d).

use crate::csr::{ArcIdx, Csr, VertexIdx};
use crate::heap::IndexedHeap;
use crate::shortest_path::{INFINITY, NO_ARC};

/// The reverse of a [`Csr`] with the map back to forward arcs, built once
/// per topology and shared by every weight vector.
#[derive(Clone, Debug, Default)]
pub struct ReverseGraph {
    /// Reverse arc `r` runs from the head to the tail of `forward_arc[r]`.
    pub csr: Csr,
    pub forward_arc: Vec<ArcIdx>,
    /// The tail of every forward arc, for path reconstruction.
    pub forward_tail: Vec<VertexIdx>,
}

impl ReverseGraph {
    /// O(n + m).
    pub fn new(g: &Csr) -> Self {
        let (csr, forward_arc) = g.reversed();
        Self {
            csr,
            forward_arc,
            forward_tail: g.tails(),
        }
    }
    /// Forward weights permuted into reverse-CSR order.
    pub fn weights(&self, forward_weight: &[f64]) -> Vec<f64> {
        self.forward_arc
            .iter()
            .map(|&a| forward_weight[a.index()])
            .collect()
    }
    pub fn heap_bytes(&self) -> usize {
        self.csr.heap_bytes() + (self.forward_arc.capacity() + self.forward_tail.capacity()) * 4
    }
}

/// One direction's search state.
#[derive(Clone, Debug, Default)]
struct Side {
    dist: Vec<f64>,
    /// Forward side: forward arc into the vertex. Backward side: reverse arc
    /// into the vertex (i.e. the mirrored forward arc leaves it).
    pred: Vec<ArcIdx>,
    touched: Vec<VertexIdx>,
    heap: IndexedHeap,
}

impl Side {
    fn new(n: usize) -> Self {
        Self {
            dist: vec![INFINITY; n],
            pred: vec![NO_ARC; n],
            touched: Vec::new(),
            heap: IndexedHeap::new(n),
        }
    }
    fn reset(&mut self, n: usize) {
        if self.dist.len() != n {
            *self = Self::new(n);
            return;
        }
        for &v in &self.touched {
            self.dist[v.index()] = INFINITY;
            self.pred[v.index()] = NO_ARC;
        }
        self.touched.clear();
        self.heap.clear();
    }
    fn seed(&mut self, vertices: &[(VertexIdx, f64)]) {
        for &(s, d0) in vertices {
            if d0 < self.dist[s.index()] {
                if self.dist[s.index()] == INFINITY {
                    self.touched.push(s);
                }
                self.dist[s.index()] = d0;
                self.heap.push_or_decrease(s.0, d0);
            }
        }
    }
    fn top(&self) -> f64 {
        self.heap.peek_key().unwrap_or(INFINITY)
    }
}

/// Where the best path found so far crosses from the forward to the
/// backward search: at a vertex, or along a forward arc `x -> y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Meet {
    None,
    Vertex(VertexIdx),
    Arc {
        x: VertexIdx,
        arc: ArcIdx,
        y: VertexIdx,
    },
}

/// Reusable bidirectional Dijkstra state for one graph size.
#[derive(Clone, Debug)]
pub struct BidirectionalDijkstra {
    fwd: Side,
    bwd: Side,
    best: f64,
    meet: Meet,
}

impl BidirectionalDijkstra {
    pub fn new(n_vertices: usize) -> Self {
        Self {
            fwd: Side::new(n_vertices),
            bwd: Side::new(n_vertices),
            best: INFINITY,
            meet: Meet::None,
        }
    }

    /// Shortest distance from any of `sources` to any of `targets`.
    ///
    /// # Arguments
    /// * `g`, `weight`: the graph and its non-negative arc weights in CSR
    ///   order (infinite or NaN: closed arc).
    /// * `rev`, `rev_weight`: [`ReverseGraph::new`]`(g)` and
    ///   [`ReverseGraph::weights`]`(weight)`.
    /// * `sources`: (vertex, initial distance); `targets`: (vertex, cost
    ///   added on arrival there).
    ///
    /// # Returns
    /// The least `source cost + path weight + target cost`, or `None` when
    /// no target is reachable. The same value as [`crate::ShortestPath`]
    /// would give (up to float rounding along a different tied path).
    ///
    /// # Algorithm
    /// Advance the side whose heap minimum is smaller; when a side settles a
    /// vertex or scans an arc into a vertex the other side has reached,
    /// offer that path as `best`. Stop when `top_f + top_b >= best`: any
    /// path shorter than `best` would have to contain an arc from a
    /// forward-settled to a backward-settled vertex, and both ends of every
    /// such arc have been scanned.
    ///
    /// # Complexity
    /// O((m + n) log n) in the worst case; typically about half the
    /// vertices of a one-sided search on road-like graphs.
    ///
    /// Reference: I. Pohl, "Bi-directional search", Machine Intelligence 6
    /// (1971); stopping rule as in A. V. Goldberg and C. Harrelson,
    /// "Computing the shortest path: A* search meets graph theory", SODA 2005.
    ///
    /// # Example
    /// ```
    /// use corridor_graph::{BidirectionalDijkstra, Csr, ReverseGraph, VertexIdx as V};
    /// let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
    /// let w: Vec<f64> = order.iter().map(|&i| [1.0, 1.0, 5.0][i as usize]).collect();
    /// let rev = ReverseGraph::new(&g);
    /// let rw = rev.weights(&w);
    /// let mut bd = BidirectionalDijkstra::new(3);
    /// assert_eq!(bd.run(&g, &w, &rev, &rw, &[(V(0), 0.0)], &[(V(2), 0.0)]), Some(2.0));
    /// assert_eq!(bd.path_arcs(&g, &rev).unwrap().len(), 2);
    /// ```
    pub fn run(
        &mut self,
        g: &Csr,
        weight: &[f64],
        rev: &ReverseGraph,
        rev_weight: &[f64],
        sources: &[(VertexIdx, f64)],
        targets: &[(VertexIdx, f64)],
    ) -> Option<f64> {
        assert_eq!(weight.len(), g.n_arcs(), "one weight per arc");
        assert_eq!(rev_weight.len(), rev.csr.n_arcs(), "one weight per arc");
        let n = g.n_vertices();
        self.fwd.reset(n);
        self.bwd.reset(n);
        self.best = INFINITY;
        self.meet = Meet::None;
        self.fwd.seed(sources);
        self.bwd.seed(targets);
        loop {
            let (tf, tb) = (self.fwd.top(), self.bwd.top());
            // Also true when either heap is empty: that side has settled
            // everything it can reach (see the proof sketch above).
            if tf + tb >= self.best || (tf == INFINITY && tb == INFINITY) {
                break;
            }
            if tf <= tb {
                step(
                    &mut self.fwd,
                    &self.bwd,
                    g,
                    weight,
                    None,
                    &mut self.best,
                    &mut self.meet,
                );
            } else {
                step(
                    &mut self.bwd,
                    &self.fwd,
                    &rev.csr,
                    rev_weight,
                    Some(&rev.forward_arc),
                    &mut self.best,
                    &mut self.meet,
                );
            }
        }
        (self.best < INFINITY).then_some(self.best)
    }

    /// The distance found by the last [`run`](Self::run).
    pub fn distance(&self) -> Option<f64> {
        (self.best < INFINITY).then_some(self.best)
    }

    /// The forward arcs of the best path of the last run, in travel order
    /// (empty when a source is itself a target), or `None` without a path.
    pub fn path_arcs(&self, g: &Csr, rev: &ReverseGraph) -> Option<Vec<ArcIdx>> {
        let (x, mid, y) = match self.meet {
            Meet::None => return None,
            Meet::Vertex(v) => (v, None, v),
            Meet::Arc { x, arc, y } => (x, Some(arc), y),
        };
        let mut arcs = Vec::new();
        let mut cur = x;
        while self.fwd.pred[cur.index()] != NO_ARC {
            let a = self.fwd.pred[cur.index()];
            arcs.push(a);
            cur = rev.forward_tail[a.index()];
        }
        arcs.reverse();
        arcs.extend(mid);
        let mut cur = y;
        while self.bwd.pred[cur.index()] != NO_ARC {
            let a = rev.forward_arc[self.bwd.pred[cur.index()].index()];
            arcs.push(a);
            cur = g.head(a);
        }
        Some(arcs)
    }

    /// Vertices either side reached in the last run (a measure of work).
    pub fn n_touched(&self) -> usize {
        self.fwd.touched.len() + self.bwd.touched.len()
    }
}

/// Settles the minimum of `this` and scans its arcs, offering meetings with
/// `other`. `to_forward` is `None` on the forward side and the reverse
/// graph's arc map on the backward side (meetings are recorded in forward
/// arcs).
fn step(
    this: &mut Side,
    other: &Side,
    g: &Csr,
    weight: &[f64],
    to_forward: Option<&[ArcIdx]>,
    best: &mut f64,
    meet: &mut Meet,
) {
    let Some((d, v)) = this.heap.pop() else {
        return;
    };
    let v = VertexIdx(v);
    let through = d + other.dist[v.index()];
    if through < *best {
        *best = through;
        *meet = Meet::Vertex(v);
    }
    let first_out = g.first_out();
    let heads = g.heads();
    let lo = first_out[v.index()] as usize;
    let hi = first_out[v.index() + 1] as usize;
    for (a, (&h, &w)) in (lo..hi).zip(heads[lo..hi].iter().zip(&weight[lo..hi])) {
        let nd = d + w;
        let hd = this.dist[h.index()];
        if nd < hd {
            if hd == INFINITY {
                this.touched.push(h);
                this.heap.push(h.0, nd);
            } else {
                this.heap.decrease(h.0, nd);
            }
            this.dist[h.index()] = nd;
            this.pred[h.index()] = ArcIdx(a as u32);
            let through = nd + other.dist[h.index()];
            if through < *best {
                *best = through;
                *meet = match to_forward {
                    None => Meet::Arc {
                        x: v,
                        arc: ArcIdx(a as u32),
                        y: h,
                    },
                    Some(fa) => Meet::Arc {
                        x: h,
                        arc: fa[a],
                        y: v,
                    },
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ShortestPath;

    #[test]
    fn meets_in_the_middle_and_rebuilds_the_path() {
        // A line 0 -> 1 -> 2 -> 3 -> 4 (weight 1 each) with a shortcut
        // 0 -> 4 of weight 10 and a closed 1 -> 3.
        let v = VertexIdx;
        let arcs = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 4), (1, 3)].map(|(t, h)| (v(t), v(h)));
        let w_in = [1.0, 1.0, 1.0, 1.0, 10.0, INFINITY];
        let (g, order) = Csr::from_arcs(5, &arcs);
        let w: Vec<f64> = order.iter().map(|&i| w_in[i as usize]).collect();
        let rev = ReverseGraph::new(&g);
        let rw = rev.weights(&w);
        let mut bd = BidirectionalDijkstra::new(5);
        assert_eq!(
            bd.run(&g, &w, &rev, &rw, &[(v(0), 0.0)], &[(v(4), 0.0)]),
            Some(4.0)
        );
        let p = bd.path_arcs(&g, &rev).unwrap();
        assert_eq!(p.len(), 4);
        assert_eq!(p.iter().map(|&a| w[a.index()]).sum::<f64>(), 4.0);
        // Source equals target.
        assert_eq!(
            bd.run(&g, &w, &rev, &rw, &[(v(2), 0.5)], &[(v(2), 0.25)]),
            Some(0.75)
        );
        assert_eq!(bd.path_arcs(&g, &rev), Some(vec![]));
        // Unreachable.
        assert_eq!(
            bd.run(&g, &w, &rev, &rw, &[(v(4), 0.0)], &[(v(0), 0.0)]),
            None
        );
        assert_eq!(bd.path_arcs(&g, &rev), None);
        let mut sp = ShortestPath::new(5);
        assert_eq!(sp.run(&g, &w, &[(v(1), 0.0)], Some(v(4))), Some(3.0));
        assert_eq!(
            bd.run(&g, &w, &rev, &rw, &[(v(1), 0.0)], &[(v(4), 0.0)]),
            Some(3.0)
        );
    }
}
