//! The shortest-path search that every assignment method runs once per
//! origin and iteration: Dijkstra from one origin until its last
//! destination is settled, with everything a relaxation touches of a vertex
//! in one 16-byte record.
//!
//! It makes exactly the choices of [`crate::ShortestPath::run_to_all`]
//! (the same 4-ary heap, the same comparisons, so the same pops, ties
//! included, and the same predecessor arcs; a property test compares the
//! two), but is laid out for this one use:
//!
//! * **One record per vertex** (`dist`, `pred`, heap position together):
//!   a relaxation that improves a vertex reads and writes one cache line
//!   instead of up to three in three arrays.
//! * No list of touched vertices: a list of the settled ones (one push per
//!   pop) plus the heap's leftovers are what a reset clears.

use crate::csr::{ArcIdx, Csr, VertexIdx};
use crate::heap::{NOT_IN_HEAP, Slots, pop, push, sift_up};
use crate::shortest_path::{INFINITY, NO_ARC};

/// What the search knows of one vertex.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(16))]
struct Label {
    dist: f64,
    /// The arc the vertex was last improved by, or `NO_ARC`.
    pred: u32,
    /// Position in the heap, or `NOT_IN_HEAP`.
    pos: u32,
}

const UNREACHED: Label = Label {
    dist: INFINITY,
    pred: NO_ARC.0,
    pos: NOT_IN_HEAP,
};

/// Reusable per-worker state of the searches from one origin.
#[derive(Clone, Debug, Default)]
pub(super) struct OriginTree {
    labels: Vec<Label>,
    /// The heap: keys in heap order, `verts[i]` the vertex of `keys[i]`.
    keys: Vec<f64>,
    verts: Vec<u32>,
    /// Vertices settled by the last search (cleared by the next).
    settled: Vec<u32>,
    /// `target_mark[v] == tag`: v is a destination not yet settled.
    target_mark: Vec<u32>,
    tag: u32,
}

impl OriginTree {
    pub fn new(n: usize) -> Self {
        Self {
            labels: vec![UNREACHED; n],
            keys: Vec::new(),
            verts: Vec::new(),
            settled: Vec::new(),
            target_mark: vec![0; n],
            tag: 0,
        }
    }

    /// Dijkstra from `origin` at arc weights `weight` (non-negative;
    /// infinite or NaN closes an arc) until every vertex of `targets` is
    /// settled or nothing more is reachable. A settled vertex's distance
    /// and predecessor are final, so the paths to the targets are exactly
    /// those of the full tree.
    pub fn run(&mut self, g: &Csr, weight: &[f64], origin: VertexIdx, targets: &[VertexIdx]) {
        assert_eq!(weight.len(), g.n_arcs(), "one weight per arc");
        if self.labels.len() != g.n_vertices() {
            *self = Self::new(g.n_vertices());
        }
        self.reset();
        self.tag = self.tag.wrapping_add(1);
        if self.tag == 0 {
            self.target_mark.iter_mut().for_each(|m| *m = 0);
            self.tag = 1;
        }
        let tag = self.tag;
        let mut left = 0usize;
        for &t in targets {
            if self.target_mark[t.index()] != tag {
                self.target_mark[t.index()] = tag;
                left += 1;
            }
        }
        if left == 0 {
            return;
        }
        self.labels[origin.index()].dist = 0.0;
        push(
            &mut self.keys,
            &mut self.verts,
            &mut self.labels[..],
            origin.0,
            0.0,
        );
        let first_out = g.first_out();
        let heads = g.heads();
        let labels = &mut self.labels[..];
        let marks = &mut self.target_mark[..];
        while let Some((d, v)) = pop(&mut self.keys, &mut self.verts, labels) {
            self.settled.push(v);
            if marks[v as usize] == tag {
                marks[v as usize] = 0;
                left -= 1;
                if left == 0 {
                    return;
                }
            }
            let lo = first_out[v as usize] as usize;
            let hi = first_out[v as usize + 1] as usize;
            for (a, (&h, &w)) in (lo..hi).zip(heads[lo..hi].iter().zip(&weight[lo..hi])) {
                let nd = d + w;
                let hl = labels[h.index()];
                // Infinite or NaN `w` makes this false: closed arcs drop out.
                if nd < hl.dist {
                    if hl.dist == INFINITY {
                        push(&mut self.keys, &mut self.verts, labels, h.0, nd);
                    } else if hl.pos != NOT_IN_HEAP {
                        sift_up(
                            &mut self.keys,
                            &mut self.verts,
                            labels,
                            hl.pos as usize,
                            nd,
                            h.0,
                        );
                    }
                    let l = &mut labels[h.index()];
                    l.dist = nd;
                    l.pred = a as u32;
                }
            }
        }
    }

    /// Clears what the last search wrote: the settled vertices and those
    /// still in the heap.
    fn reset(&mut self) {
        for &v in self.settled.iter().chain(&self.verts) {
            self.labels[v as usize] = UNREACHED;
        }
        self.settled.clear();
        self.keys.clear();
        self.verts.clear();
    }

    pub fn reached(&self, v: VertexIdx) -> bool {
        self.labels[v.index()].dist < INFINITY
    }
    pub fn dist(&self, v: VertexIdx) -> f64 {
        self.labels[v.index()].dist
    }
    /// The arc by which `v` was reached, or [`NO_ARC`].
    pub fn pred_arc(&self, v: VertexIdx) -> ArcIdx {
        ArcIdx(self.labels[v.index()].pred)
    }
    /// How many vertices the last search reached (settled or still in the
    /// heap): its work, the same for any thread count.
    pub fn n_reached(&self) -> usize {
        self.settled.len() + self.verts.len()
    }
}

/// The heap keeps each vertex's slot in its record.
impl Slots for [Label] {
    #[inline(always)]
    fn set(&mut self, v: u32, i: u32) {
        self[v as usize].pos = i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ShortestPath;
    use proptest::prelude::*;

    /// A random graph with few distinct weights (many ties, zero-cost
    /// arcs) and a few closed arcs.
    fn graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>)> {
        (2usize..40).prop_flat_map(|n| {
            let arc = (
                0..n as u32,
                0..n as u32,
                prop_oneof![
                    8 => (0u8..4).prop_map(f64::from),
                    1 => Just(INFINITY),
                ],
            );
            (Just(n), proptest::collection::vec(arc, 0..160))
        })
    }

    proptest! {
        /// Same distances and predecessor arcs as `ShortestPath::run_to_all`,
        /// so the same trees and loads.
        #[test]
        fn matches_shortest_path(
            (n, arcs) in graph(),
            origin in 0u32..40,
            targets in proptest::collection::vec(0u32..40, 1..8),
        ) {
            let ends: Vec<_> = arcs.iter().map(|&(t, h, _)| (VertexIdx(t), VertexIdx(h))).collect();
            let (g, order) = Csr::from_arcs(n, &ends);
            let w: Vec<f64> = order.iter().map(|&i| arcs[i as usize].2).collect();
            let o = VertexIdx(origin % n as u32);
            let ts: Vec<VertexIdx> = targets
                .iter()
                .map(|&t| VertexIdx(t % n as u32))
                .filter(|&d| d != o)
                .collect();
            let mut sp = ShortestPath::new(n);
            let mut tree = OriginTree::new(n);
            // Twice, so the reset between searches is exercised.
            for _ in 0..2 {
                sp.run_to_all(&g, &w, &[(o, 0.0)], &ts);
                tree.run(&g, &w, o, &ts);
                prop_assert_eq!(tree.n_reached(), sp.touched().len());
                // Every vertex, targets or not, settled or left in the heap.
                for v in (0..n as u32).map(VertexIdx) {
                    prop_assert_eq!(tree.reached(v), sp.reached(v));
                    prop_assert_eq!(tree.dist(v).to_bits(), sp.dist(v).to_bits());
                    prop_assert_eq!(tree.pred_arc(v), sp.pred_arc(v));
                }
            }
        }
    }
}
