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
//! * The arcs are scanned as two slices, heads and weights. Interleaving
//!   them (`WeightedArcs`, what the distance-only gap search scans) gave
//!   fewer L1 misses but more instructions here, and Berlin-Center's `bfw`
//!   ran 4 % slower (docs/benchmarks.md).

use crate::csr::{ArcIdx, Csr, VertexIdx};
use crate::heap::{NOT_IN_HEAP, Slots, sift_down, sift_up};
use crate::shortest_path::{INFINITY, NO_ARC, TargetMarks};

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
///
/// The heap and the list of settled vertices are buffers of one entry per
/// vertex (a vertex is in the heap at most once and settled at most once),
/// used up to a length kept in a local of [`OriginTree::run`]: they never
/// grow, so the search holds their addresses and lengths in registers
/// instead of reloading a `Vec`'s from memory after every push (about a
/// sixth of the search's instructions on Berlin-Center).
#[derive(Clone, Debug, Default)]
pub(super) struct OriginTree {
    labels: Vec<Label>,
    /// The heap, its first `heap_len` entries: keys in heap order,
    /// `verts[i]` the vertex of `keys[i]`.
    keys: Vec<f64>,
    verts: Vec<u32>,
    heap_len: usize,
    /// Vertices settled by the last search, its first `n_settled` entries
    /// (cleared by the next).
    settled: Vec<u32>,
    n_settled: usize,
    /// The destinations not yet settled.
    targets: TargetMarks,
}

impl OriginTree {
    pub fn new(n: usize) -> Self {
        Self {
            labels: vec![UNREACHED; n],
            keys: vec![0.0; n],
            verts: vec![0; n],
            heap_len: 0,
            settled: vec![0; n],
            n_settled: 0,
            targets: TargetMarks::new(n),
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
        let left = self.targets.mark(targets);
        if left == 0 {
            return;
        }
        let (heap_len, n_settled) = self.search(g, weight, origin, left);
        self.heap_len = heap_len;
        self.n_settled = n_settled;
    }

    /// The search proper, until `left` marked targets are settled; returns
    /// the heap's and the settled list's lengths. Every heap operation is
    /// that of [`crate::heap`] on the buffers' used prefix, so the pops,
    /// ties included, are those of [`crate::ShortestPath`].
    #[inline(always)]
    fn search(
        &mut self,
        g: &Csr,
        weight: &[f64],
        origin: VertexIdx,
        mut left: usize,
    ) -> (usize, usize) {
        let first_out = g.first_out();
        let heads = g.heads();
        let labels = &mut self.labels[..];
        let keys = &mut self.keys[..];
        let verts = &mut self.verts[..];
        let settled = &mut self.settled[..];
        let mut marks = self.targets.search();
        labels[origin.index()].dist = 0.0;
        keys[0] = 0.0;
        verts[0] = origin.0;
        labels[origin.index()].pos = 0;
        let mut len = 1usize;
        let mut n_settled = 0usize;
        while len > 0 {
            // Pop, as `heap::pop` does.
            let (d, v) = (keys[0], verts[0]);
            len -= 1;
            let (last_key, last_vert) = (keys[len], verts[len]);
            labels[v as usize].pos = NOT_IN_HEAP;
            if len > 0 {
                sift_down(
                    &mut keys[..len],
                    &mut verts[..len],
                    labels,
                    last_key,
                    last_vert,
                );
            }
            settled[n_settled] = v;
            n_settled += 1;
            if marks.take(VertexIdx(v)) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
            let lo = first_out[v as usize] as usize;
            let hi = first_out[v as usize + 1] as usize;
            // The arc's index from the range, so the end is tested once
            // per arc, not twice.
            for (a, (&h, &w)) in (lo..hi).zip(heads[lo..hi].iter().zip(&weight[lo..hi])) {
                let nd = d + w;
                let hl = labels[h.index()];
                // Infinite or NaN `w` makes this false: closed arcs drop out.
                if nd < hl.dist {
                    if hl.dist == INFINITY {
                        // Push, as `heap::push` does.
                        len += 1;
                        sift_up(
                            &mut keys[..len],
                            &mut verts[..len],
                            labels,
                            len - 1,
                            nd,
                            h.0,
                        );
                    } else if hl.pos != NOT_IN_HEAP {
                        sift_up(keys, verts, labels, hl.pos as usize, nd, h.0);
                    }
                    let l = &mut labels[h.index()];
                    l.dist = nd;
                    l.pred = a as u32;
                }
            }
        }
        (len, n_settled)
    }

    /// Clears what the last search wrote: the settled vertices and those
    /// still in the heap.
    fn reset(&mut self) {
        let settled = &self.settled[..self.n_settled];
        for &v in settled.iter().chain(&self.verts[..self.heap_len]) {
            self.labels[v as usize] = UNREACHED;
        }
        self.n_settled = 0;
        self.heap_len = 0;
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
        self.n_settled + self.heap_len
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
            origins in proptest::array::uniform2(0u32..40),
            targets in proptest::array::uniform2(proptest::collection::vec(0u32..40, 1..8)),
        ) {
            let ends: Vec<_> = arcs.iter().map(|&(t, h, _)| (VertexIdx(t), VertexIdx(h))).collect();
            let (g, order) = Csr::from_arcs(n, &ends);
            let w: Vec<f64> = order.iter().map(|&i| arcs[i as usize].2).collect();
            let mut sp = ShortestPath::new(n);
            let mut tree = OriginTree::new(n);
            // Two searches, the second from another origin to other
            // targets, so what the first leaves in the buffers (settled
            // vertices, the heap's leftovers after an early stop) must be
            // reset exactly.
            for (origin, targets) in origins.iter().zip(&targets) {
                let o = VertexIdx(origin % n as u32);
                let ts: Vec<VertexIdx> = targets
                    .iter()
                    .map(|&t| VertexIdx(t % n as u32))
                    .filter(|&d| d != o)
                    .collect();
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
