//! A* search for one-to-one queries with a caller-supplied potential (a
//! lower bound on the remaining distance to the target, e.g. great-circle
//! km over the fastest speed for a time objective).
//!
//! This module owns the goal-directed search and one potential that needs
//! nothing but the graph, [`Landmarks`] (ALT: A*, landmarks, triangle
//! inequality). Geometric potentials come from the caller (the graph has no
//! coordinates), who must make sure they never overestimate: an
//! overestimating potential gives a path that may not be shortest, never a
//! panic.

use crate::bidirectional::ReverseGraph;
use crate::csr::{ArcIdx, Csr, VertexIdx};
use crate::heap::IndexedHeap;
use crate::shortest_path::{INFINITY, NO_ARC, ShortestPath};

/// Reusable A* state for one graph size.
#[derive(Clone, Debug, Default)]
pub struct AStar {
    dist: Vec<f64>,
    pred: Vec<ArcIdx>,
    /// Potential per vertex, NaN until first asked (the closure may be
    /// costly, e.g. a haversine).
    pot: Vec<f64>,
    touched: Vec<VertexIdx>,
    heap: IndexedHeap,
}

impl AStar {
    pub fn new(n_vertices: usize) -> Self {
        Self {
            dist: vec![INFINITY; n_vertices],
            pred: vec![NO_ARC; n_vertices],
            pot: vec![f64::NAN; n_vertices],
            touched: Vec::new(),
            heap: IndexedHeap::new(n_vertices),
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
            self.pot[v.index()] = f64::NAN;
        }
        self.touched.clear();
        self.heap.clear();
    }

    /// Shortest distance from `sources` to `target`, exploring vertices in
    /// order of `dist + potential`.
    ///
    /// # Arguments
    /// * `g`, `weight`: graph and non-negative weights in CSR order
    ///   (infinite or NaN: closed arc).
    /// * `sources`: (vertex, initial distance) pairs.
    /// * `target`: the vertex to reach.
    /// * `potential`: a lower bound on the distance from a vertex to
    ///   `target`; `INFINITY` prunes a vertex known not to reach it, NaN
    ///   counts as 0. It need only be admissible (never above the true
    ///   distance): a vertex improved after it was settled is settled again,
    ///   so the answer is exact. With a consistent potential (`pot(u) <=
    ///   w(u, v) + pot(v)`, as great-circle bounds are) that never happens.
    ///
    /// # Returns
    /// The distance to `target`, or `None` if it is unreachable.
    ///
    /// # Complexity
    /// O((m + n) log n) in the worst case (zero potential: Dijkstra);
    /// a tight potential explores little more than the path.
    ///
    /// Reference: P. E. Hart, N. J. Nilsson and B. Raphael, "A formal basis
    /// for the heuristic determination of minimum cost paths", IEEE Trans.
    /// Systems Science and Cybernetics 4(2) (1968).
    ///
    /// # Example
    /// ```
    /// use corridor_graph::{AStar, Csr, VertexIdx as V};
    /// // Vertices on a line at x = 0, 1, 2; arcs weigh at least their length.
    /// let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
    /// let w: Vec<f64> = order.iter().map(|&i| [1.0, 1.0, 5.0][i as usize]).collect();
    /// let x = [0.0, 1.0, 2.0];
    /// let mut a = AStar::new(3);
    /// assert_eq!(a.run(&g, &w, &[(V(0), 0.0)], V(2), |v| x[2] - x[v.index()]), Some(2.0));
    /// ```
    pub fn run(
        &mut self,
        g: &Csr,
        weight: &[f64],
        sources: &[(VertexIdx, f64)],
        target: VertexIdx,
        potential: impl Fn(VertexIdx) -> f64,
    ) -> Option<f64> {
        assert_eq!(weight.len(), g.n_arcs(), "one weight per arc");
        self.reset(g.n_vertices());
        for &(s, d0) in sources {
            if d0 < self.dist[s.index()] {
                if self.dist[s.index()] == INFINITY {
                    self.touched.push(s);
                }
                self.dist[s.index()] = d0;
                let p = self.potential_of(s, &potential);
                if p < INFINITY {
                    self.heap.push_or_decrease(s.0, d0 + p);
                }
            }
        }
        let first_out = g.first_out();
        let heads = g.heads();
        while let Some((_, v)) = self.heap.pop() {
            let v = VertexIdx(v);
            let d = self.dist[v.index()];
            if v == target {
                return Some(d);
            }
            let lo = first_out[v.index()] as usize;
            let hi = first_out[v.index() + 1] as usize;
            for (a, (&h, &w)) in (lo..hi).zip(heads[lo..hi].iter().zip(&weight[lo..hi])) {
                let nd = d + w;
                let hd = self.dist[h.index()];
                if nd < hd {
                    if hd == INFINITY {
                        self.touched.push(h);
                    }
                    self.dist[h.index()] = nd;
                    self.pred[h.index()] = ArcIdx(a as u32);
                    let p = self.potential_of(h, &potential);
                    if p < INFINITY {
                        // Re-inserts a settled vertex when the potential
                        // is inconsistent (see above).
                        self.heap.push_or_decrease(h.0, nd + p);
                    }
                }
            }
        }
        None
    }

    #[inline]
    fn potential_of(&mut self, v: VertexIdx, potential: &impl Fn(VertexIdx) -> f64) -> f64 {
        let cached = self.pot[v.index()];
        if !cached.is_nan() {
            return cached;
        }
        let p = potential(v);
        let p = if p.is_nan() { 0.0 } else { p.max(0.0) };
        self.pot[v.index()] = p;
        p
    }

    pub fn dist(&self, v: VertexIdx) -> f64 {
        self.dist[v.index()]
    }
    /// Vertices reached by the last run (a measure of work).
    pub fn n_touched(&self) -> usize {
        self.touched.len()
    }

    /// The arcs of the path to `v` found by the last run, in travel order.
    /// Exact for the target; for other vertices the path is whatever the
    /// search had when it stopped.
    pub fn path_arcs(&self, g_tails: &[VertexIdx], v: VertexIdx) -> Option<Vec<ArcIdx>> {
        if self.dist[v.index()] == INFINITY {
            return None;
        }
        let mut arcs = Vec::new();
        let mut cur = v;
        while self.pred[cur.index()] != NO_ARC {
            let a = self.pred[cur.index()];
            arcs.push(a);
            cur = g_tails[a.index()];
        }
        arcs.reverse();
        Some(arcs)
    }
}

/// Exact distances from and to a few landmark vertices, giving every
/// target a lower-bound potential by the triangle inequality:
/// `dist(v, t) >= d(L, t) - d(L, v)` and `dist(v, t) >= d(v, L) - d(t, L)`.
///
/// Unlike a great-circle bound this sees fixed costs that do not grow with
/// distance (border dwell, transfers), which is what makes it useful on
/// freight networks. The bound depends on the weights: build one set per
/// weight vector.
///
/// Memory: `2 × k` f64 per vertex. Preprocessing: `2 × k` one-to-all
/// Dijkstra runs. Reference: A. V. Goldberg and C. Harrelson, "Computing the
/// shortest path: A* search meets graph theory", SODA 2005.
#[derive(Clone, Debug)]
pub struct Landmarks {
    pub vertices: Vec<VertexIdx>,
    /// `from[v * k + i]` = d(landmark i, v).
    from: Vec<f64>,
    /// `to[v * k + i]` = d(v, landmark i).
    to: Vec<f64>,
}

impl Landmarks {
    /// Picks `k` landmarks by the farthest-point rule (each new landmark is
    /// the reachable vertex farthest from those already chosen, starting
    /// from `start`) and stores distances from and to each.
    ///
    /// # Complexity
    /// O(k (m + n) log n) time, O(k n) memory.
    ///
    /// # Example
    /// ```
    /// use corridor_graph::astar::Landmarks;
    /// use corridor_graph::{AStar, Csr, ReverseGraph, VertexIdx as V};
    /// let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
    /// let w: Vec<f64> = order.iter().map(|&i| [1.0, 1.0, 5.0][i as usize]).collect();
    /// let rev = ReverseGraph::new(&g);
    /// let lm = Landmarks::new(&g, &w, &rev, &rev.weights(&w), 2, V(0));
    /// let mut a = AStar::new(3);
    /// assert_eq!(a.run(&g, &w, &[(V(0), 0.0)], V(2), lm.potential(V(2))), Some(2.0));
    /// ```
    pub fn new(
        g: &Csr,
        weight: &[f64],
        rev: &ReverseGraph,
        rev_weight: &[f64],
        k: usize,
        start: VertexIdx,
    ) -> Self {
        let n = g.n_vertices();
        let mut sp = ShortestPath::new(n);
        let mut vertices = Vec::with_capacity(k);
        let mut from_cols: Vec<Vec<f64>> = Vec::with_capacity(k);
        let mut to_cols: Vec<Vec<f64>> = Vec::with_capacity(k);
        // Smallest distance to any chosen landmark (or from `start`).
        let mut nearest = vec![INFINITY; n];
        if n > 0 {
            sp.run(g, weight, &[(start, 0.0)], None);
            nearest.copy_from_slice(sp.distances());
        }
        for _ in 0..k {
            let next = (0..n)
                .filter(|&v| nearest[v] < INFINITY && !vertices.contains(&VertexIdx::from_index(v)))
                .max_by(|&a, &b| nearest[a].total_cmp(&nearest[b]).then(b.cmp(&a)));
            let Some(l) = next else { break };
            let l = VertexIdx::from_index(l);
            vertices.push(l);
            sp.run(g, weight, &[(l, 0.0)], None);
            let f = sp.distances().to_vec();
            for (x, &d) in nearest.iter_mut().zip(&f) {
                *x = x.min(d);
            }
            from_cols.push(f);
            sp.run(&rev.csr, rev_weight, &[(l, 0.0)], None);
            to_cols.push(sp.distances().to_vec());
        }
        let k = vertices.len();
        let interleave = |cols: &[Vec<f64>]| {
            let mut out = vec![INFINITY; n * k];
            for (i, col) in cols.iter().enumerate() {
                for (v, &d) in col.iter().enumerate() {
                    out[v * k + i] = d;
                }
            }
            out
        };
        Self {
            from: interleave(&from_cols),
            to: interleave(&to_cols),
            vertices,
        }
    }

    /// The lower bound on `dist(v, target)` for every `v`, for
    /// [`AStar::run`]. `INFINITY` where a landmark proves `target`
    /// unreachable from `v`.
    pub fn potential(&self, target: VertexIdx) -> impl Fn(VertexIdx) -> f64 + '_ {
        let k = self.vertices.len();
        let t = target.index();
        let from_t = &self.from[t * k..t * k + k];
        let to_t = &self.to[t * k..t * k + k];
        move |v: VertexIdx| {
            let v = v.index();
            let mut best: f64 = 0.0;
            for i in 0..k {
                let (lv, lt) = (self.from[v * k + i], from_t[i]);
                // d(L,t) <= d(L,v) + d(v,t); a finite d(L,t) with no path
                // L -> v says nothing, an infinite one with a path says
                // t cannot be reached from v.
                if lv < INFINITY {
                    best = best.max(lt - lv);
                }
                let (vl, tl) = (self.to[v * k + i], to_t[i]);
                // d(v,L) <= d(v,t) + d(t,L).
                if tl < INFINITY {
                    best = best.max(vl - tl);
                }
            }
            best
        }
    }

    pub fn heap_bytes(&self) -> usize {
        (self.from.capacity() + self.to.capacity()) * 8 + self.vertices.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_potential_is_dijkstra_and_a_good_one_prunes() {
        // A line 0 - 1 - ... - 9 both ways, weight 1; the target is 9.
        let v = VertexIdx;
        let mut arcs = Vec::new();
        for i in 0..9u32 {
            arcs.push((v(i), v(i + 1)));
            arcs.push((v(i + 1), v(i)));
        }
        let (g, _) = Csr::from_arcs(10, &arcs);
        let w = vec![1.0; g.n_arcs()];
        let mut a = AStar::new(10);
        assert_eq!(a.run(&g, &w, &[(v(5), 0.0)], v(9), |_| 0.0), Some(4.0));
        let blind = a.n_touched();
        let line = |x: VertexIdx| (9 - i64::from(x.0)).abs() as f64;
        assert_eq!(a.run(&g, &w, &[(v(5), 0.0)], v(9), line), Some(4.0));
        assert!(a.n_touched() < blind);
        let p = a.path_arcs(&g.tails(), v(9)).unwrap();
        assert_eq!(p.len(), 4);
        // A potential of infinity prunes everything but the target side.
        assert_eq!(a.run(&g, &w, &[(v(5), 0.0)], v(0), |_| INFINITY), None);
    }
}
