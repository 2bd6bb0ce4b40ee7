//! Single-source (or multi-source) shortest paths with Dijkstra's algorithm
//! on a [`Csr`] with non-negative `f64` arc weights.
//!
//! The search state is reusable: `dist` and `pred` are reset only where the
//! last search wrote (a touched list), so many one-to-one queries on a large
//! graph cost what they explore, not O(n) each. For one-to-one queries on
//! large graphs see also [`crate::bidirectional`] and [`crate::astar`].
//!
//! Why it is fast: the inner loop walks the tail's slice of `heads` and
//! `weight` together (both in CSR order, no bounds checks), a closed arc
//! (infinite or NaN weight) falls out of the `<` test without a branch of
//! its own, and a vertex seen for the first time is pushed without the heap's
//! position lookup. There is no `settled` array: with non-negative weights a
//! settled vertex can never be improved, so the `<` test already keeps it out.
//!
//! Complexity: O((m + n) log n) with the 4-ary indexed heap.
//! Reference: E. W. Dijkstra, "A note on two problems in connexion with
//! graphs", Numerische Mathematik 1 (1959).

use crate::csr::{ArcIdx, Csr, VertexIdx};
use crate::heap::IndexedHeap;

pub const INFINITY: f64 = f64::INFINITY;
/// `pred` of a vertex that was reached from no arc (a source or unreached).
pub const NO_ARC: ArcIdx = ArcIdx(u32::MAX);

/// Reusable Dijkstra state for one graph size.
#[derive(Clone, Debug, Default)]
pub struct ShortestPath {
    dist: Vec<f64>,
    pred: Vec<ArcIdx>,
    touched: Vec<VertexIdx>,
    heap: IndexedHeap,
    /// The targets of [`run_to_all`](Self::run_to_all) not yet settled.
    targets: TargetMarks,
}

impl ShortestPath {
    pub fn new(n_vertices: usize) -> Self {
        Self {
            dist: vec![INFINITY; n_vertices],
            pred: vec![NO_ARC; n_vertices],
            touched: Vec::new(),
            heap: IndexedHeap::new(n_vertices),
            targets: TargetMarks::new(n_vertices),
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

    /// Dijkstra's algorithm from `sources` until `target` is settled, or
    /// over everything reachable when `target` is `None`.
    ///
    /// # Arguments
    /// * `g`: the topology.
    /// * `weight`: one non-negative weight per arc in CSR order; an
    ///   infinite or NaN weight means the arc is closed.
    /// * `sources`: (vertex, initial distance) pairs, e.g. several layers of
    ///   one node, each with its own access cost.
    /// * `target`: stop as soon as this vertex is settled.
    ///
    /// # Returns
    /// The distance to `target` if it was reached (always `None` without a
    /// target). Distances and predecessor arcs of every vertex settled
    /// stay readable through [`dist`](Self::dist) and
    /// [`path_arcs`](Self::path_arcs) until the next run.
    ///
    /// # Complexity
    /// O((m + n) log n) for the part of the graph explored.
    ///
    /// # Example
    /// ```
    /// use corridor_graph::{Csr, ShortestPath, VertexIdx as V};
    /// let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
    /// let w: Vec<f64> = order.iter().map(|&i| [1.0, 1.0, 5.0][i as usize]).collect();
    /// let mut sp = ShortestPath::new(3);
    /// assert_eq!(sp.run(&g, &w, &[(V(0), 0.0)], Some(V(2))), Some(2.0));
    /// ```
    pub fn run(
        &mut self,
        g: &Csr,
        weight: &[f64],
        sources: &[(VertexIdx, f64)],
        target: Option<VertexIdx>,
    ) -> Option<f64> {
        self.search(g, weight, sources, |v| Some(v) == target);
        target.and_then(|t| self.reached(t).then(|| self.dist[t.index()]))
    }

    /// Like [`run`](Self::run) with several targets: stops once every
    /// vertex of `targets` is settled (or nothing more is reachable), so
    /// each reached target's distance and path are final. Used where a
    /// place has one vertex per layer and the best arrival layer is not
    /// known in advance, and by all-or-nothing loads, which stop at an
    /// origin's last destination. O(1) per settled vertex whatever the
    /// number of targets; duplicates are fine.
    pub fn run_to_all(
        &mut self,
        g: &Csr,
        weight: &[f64],
        sources: &[(VertexIdx, f64)],
        targets: &[VertexIdx],
    ) {
        if self.targets.len() != g.n_vertices() {
            *self = Self::new(g.n_vertices());
        }
        let mut left = self.targets.mark(targets);
        if left == 0 {
            self.reset(g.n_vertices());
            return;
        }
        let mut marks = std::mem::take(&mut self.targets);
        self.search(g, weight, sources, |v| {
            if marks.take(v) {
                left -= 1;
            }
            left == 0
        });
        self.targets = marks;
    }

    /// Dijkstra until `stop(v)` is true for a settled vertex `v`.
    fn search(
        &mut self,
        g: &Csr,
        weight: &[f64],
        sources: &[(VertexIdx, f64)],
        mut stop: impl FnMut(VertexIdx) -> bool,
    ) {
        assert_eq!(weight.len(), g.n_arcs(), "one weight per arc");
        self.reset(g.n_vertices());
        for &(s, d0) in sources {
            if d0 < self.dist[s.index()] {
                if self.dist[s.index()] == INFINITY {
                    self.touched.push(s);
                }
                self.dist[s.index()] = d0;
                self.heap.push_or_decrease(s.0, d0);
            }
        }
        let first_out = g.first_out();
        let heads = g.heads();
        let dist = &mut self.dist[..];
        let pred = &mut self.pred[..];
        while let Some((d, v)) = self.heap.pop() {
            if stop(VertexIdx(v)) {
                return;
            }
            let lo = first_out[v as usize] as usize;
            let hi = first_out[v as usize + 1] as usize;
            for (a, (&h, &w)) in (lo..hi).zip(heads[lo..hi].iter().zip(&weight[lo..hi])) {
                let nd = d + w;
                let hd = &mut dist[h.index()];
                // Infinite or NaN `w` makes this false: closed arcs drop out.
                if nd < *hd {
                    if *hd == INFINITY {
                        self.touched.push(h);
                        self.heap.push(h.0, nd);
                    } else {
                        self.heap.decrease(h.0, nd);
                    }
                    *hd = nd;
                    pred[h.index()] = ArcIdx(a as u32);
                }
            }
        }
    }

    /// The vertices the last run reached, in the order they were first seen.
    pub fn touched(&self) -> &[VertexIdx] {
        &self.touched
    }
    pub fn dist(&self, v: VertexIdx) -> f64 {
        self.dist[v.index()]
    }
    pub fn distances(&self) -> &[f64] {
        &self.dist
    }
    pub fn reached(&self, v: VertexIdx) -> bool {
        self.dist[v.index()] < INFINITY
    }
    /// The arc by which `v` was reached, or [`NO_ARC`].
    pub fn pred_arc(&self, v: VertexIdx) -> ArcIdx {
        self.pred[v.index()]
    }
    pub fn pred_arcs(&self) -> &[ArcIdx] {
        &self.pred
    }
    /// The arcs of the path from a source to `v`, in travel order; `None`
    /// if `v` was not reached.
    pub fn path_arcs(&self, g_tails: &[VertexIdx], v: VertexIdx) -> Option<Vec<ArcIdx>> {
        if !self.reached(v) {
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

/// The targets of a search that stops at its last one, shared by the
/// three searches that do ([`ShortestPath::run_to_all`] and the
/// assignment's per-origin searches): a byte per vertex holding the tag
/// of the search that marked it, so a new search marks its targets with a
/// fresh tag and clears nothing (every 255 searches the tags wrap and the
/// array is zeroed once).
///
/// Why bytes: the test is made at every settled vertex, at a vertex
/// anywhere in the graph. The `u32` tags of before took 55 KB on
/// Berlin-Center's 13,846 vertices, more than an L1 data cache, and missed
/// there; the 14 KB of bytes mostly stay (Berlin-Center's all-or-nothing:
/// 22.9 M L1 data misses down to 21.0 M, the same instructions). A bitset
/// (1.7 KB) missed less still (19.5 M) but cost 66 M more instructions
/// (the bit arithmetic and one more live pointer in the search loops),
/// which the misses it saves do not pay for (docs/benchmarks.md).
#[derive(Clone, Debug, Default)]
pub(crate) struct TargetMarks {
    tags: Vec<u8>,
    tag: u8,
}

impl TargetMarks {
    pub fn new(n: usize) -> Self {
        Self {
            tags: vec![0; n],
            tag: 0,
        }
    }

    /// The number of vertices it is sized for.
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    /// Starts a search to `targets`: unmarks every vertex, marks those of
    /// `targets` and returns how many distinct vertices that is
    /// (duplicates are fine).
    pub fn mark(&mut self, targets: &[VertexIdx]) -> usize {
        self.tag = self.tag.wrapping_add(1);
        if self.tag == 0 {
            self.tags.fill(0);
            self.tag = 1;
        }
        let tag = self.tag;
        let mut left = 0;
        for &t in targets {
            let m = &mut self.tags[t.index()];
            if *m != tag {
                *m = tag;
                left += 1;
            }
        }
        left
    }

    /// Whether `v` is a target of this search not yet taken; takes it.
    #[inline(always)]
    pub fn take(&mut self, v: VertexIdx) -> bool {
        self.search().take(v)
    }

    /// The marks of the search begun by the last [`mark`](Self::mark), for
    /// a search loop to hold as locals (the tag, the array's pointer and
    /// length), as the loops did before this type: through a
    /// `&mut TargetMarks` the compiler may not assume that the loop's
    /// stores into its own buffers leave them unchanged.
    #[inline(always)]
    pub fn search(&mut self) -> SearchMarks<'_> {
        SearchMarks {
            tags: &mut self.tags,
            tag: self.tag,
        }
    }
}

/// [`TargetMarks`] as one search loop holds them ([`TargetMarks::search`]).
pub(crate) struct SearchMarks<'a> {
    tags: &'a mut [u8],
    tag: u8,
}

impl SearchMarks<'_> {
    /// Whether `v` is a target of this search not yet taken; takes it.
    #[inline(always)]
    pub fn take(&mut self, v: VertexIdx) -> bool {
        let m = &mut self.tags[v.index()];
        if *m != self.tag {
            return false;
        }
        *m = 0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_short_way_round() {
        // 0 -> 1 -> 2 costs 2, 0 -> 2 costs 5.
        let v = VertexIdx;
        let (g, order) = Csr::from_arcs(3, &[(v(0), v(1)), (v(1), v(2)), (v(0), v(2))]);
        let w_in = [1.0, 1.0, 5.0];
        let w: Vec<f64> = order.iter().map(|&i| w_in[i as usize]).collect();
        let mut sp = ShortestPath::new(3);
        assert_eq!(sp.run(&g, &w, &[(v(0), 0.0)], Some(v(2))), Some(2.0));
        let tails = g.tails();
        let p = sp.path_arcs(&tails, v(2)).unwrap();
        assert_eq!(p.len(), 2);
        // Reuse: from 1, vertex 0 is unreachable.
        assert_eq!(sp.run(&g, &w, &[(v(1), 0.0)], Some(v(0))), None);
        assert_eq!(sp.dist(v(2)), 1.0);
    }

    /// Marks of one search never leak into the next, across the wrap of
    /// the tags (600 searches) and whatever the last one left untaken.
    #[test]
    fn target_marks_start_afresh_every_search() {
        let v = VertexIdx;
        let mut marks = TargetMarks::new(10);
        for round in 0..600u32 {
            let a = v(round % 10);
            let b = v((round * 7 + 3) % 10);
            let expected = if a == b { 1 } else { 2 };
            assert_eq!(marks.mark(&[a, b, a]), expected);
            // Take one of the two only (every other round): the other
            // stays marked until the next search starts.
            for w in (0..10).map(v) {
                let marked = w == a || w == b;
                if round % 2 == 0 && w == b && a != b {
                    continue;
                }
                assert_eq!(marks.take(w), marked, "round {round}, vertex {w}");
                assert!(!marks.take(w), "taken twice");
            }
        }
    }
}
