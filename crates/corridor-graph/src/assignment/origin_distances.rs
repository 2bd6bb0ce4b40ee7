//! The distance-only search from one origin that the relative gap needs
//! when no flow is loaded (the last measurement of every Frank–Wolfe-family
//! run, half of an all-or-nothing run): Dijkstra on a 4-ary heap **without
//! positions**, stopped once every destination's distance is final, over
//! the arcs interleaved with their weights ([`WeightedArcs`]).
//!
//! Why a second search and not [`super::origin_tree::OriginTree`]: a load
//! must break ties exactly as before (the predecessor arcs, hence the
//! flows, depend on the pop order of equal keys), but a distance does not.
//! Any label-setting search settles every vertex at the same value, to the
//! bit: the smallest left-to-right floating-point sum over the paths, since
//! adding a non-negative weight is monotone and never decreases. So the gap
//! pass may pop ties in any order, and its heap need not know where a
//! vertex is: a decrease-key (3 % of the pushes on Berlin-Center) pushes a
//! second entry and the stale one is skipped when popped. Every heap move
//! then writes the heap's two arrays only, not a slot in the vertex's
//! record, and a vertex's record is its 8-byte distance. For the same
//! reason a vertex without out-arcs (a zone's destination vertex) need
//! not enter the heap at all (see [`OriginDistances::run`]'s search). A
//! property test compares every distance with [`crate::ShortestPath`] bit
//! for bit.

use crate::csr::{Csr, VertexIdx, WeightedArc, WeightedArcs};
use crate::heap::{Slots, sift_down, sift_up};
use crate::shortest_path::{INFINITY, TargetMarks};

/// Reusable per-worker state of the distance-only searches.
#[derive(Clone, Debug, Default)]
pub(super) struct OriginDistances {
    dist: Vec<f64>,
    /// Vertices given a finite distance by the last search, its first
    /// `n_touched` entries (reset by the next).
    touched: Vec<u32>,
    n_touched: usize,
    /// The heap: keys in heap order, `verts[i]` the vertex of `keys[i]`.
    /// One entry per improving relaxation at most, so `m + 1` entries.
    keys: Vec<f64>,
    verts: Vec<u32>,
    /// The destinations not yet settled.
    targets: TargetMarks,
}

/// The heap keeps no positions: a decrease pushes a second entry.
struct NoSlots;

impl Slots for NoSlots {
    #[inline(always)]
    fn set(&mut self, _: u32, _: u32) {}
}

impl OriginDistances {
    pub fn new(n: usize, m: usize) -> Self {
        Self {
            dist: vec![INFINITY; n],
            touched: vec![0; n],
            n_touched: 0,
            keys: vec![0.0; m + 1],
            verts: vec![0; m + 1],
            targets: TargetMarks::new(n),
        }
    }

    /// Distances from `origin` at the weights of `arcs` (`g`'s arcs;
    /// non-negative, infinite or NaN closes an arc) until the distance of
    /// every vertex of `targets` is final or nothing more is reachable.
    pub fn run(&mut self, g: &Csr, arcs: &WeightedArcs, origin: VertexIdx, targets: &[VertexIdx]) {
        assert_eq!(arcs.arcs().len(), g.n_arcs(), "one weight per arc");
        if self.dist.len() != g.n_vertices() || self.keys.len() != g.n_arcs() + 1 {
            *self = Self::new(g.n_vertices(), g.n_arcs());
        }
        for &v in &self.touched[..self.n_touched] {
            self.dist[v as usize] = INFINITY;
        }
        self.n_touched = 0;
        let left = self.targets.mark(targets);
        if left > 0 {
            self.n_touched = self.search(g, arcs.arcs(), origin, left);
        }
    }

    /// The search proper, until the distances of `left` marked targets are
    /// final; returns how many vertices it gave a distance.
    ///
    /// A vertex without out-arcs ([`WeightedArc::head_is_sink`]: a zone's
    /// destination vertex, which is about a fifth of the vertices
    /// Berlin-Center's searches settle) never enters the heap: popping it
    /// would relax nothing. Its distance is final once the heap's smallest
    /// key is at least that distance (no later relaxation can undercut
    /// it), so a target of this kind is counted off when first reached and
    /// the search stops at a pop whose key is at least `pending`, the
    /// largest first distance of such targets (an upper bound of their
    /// final ones). Distances are unchanged: which vertices are popped,
    /// and when, changes only the work, not the smallest sums.
    fn search(
        &mut self,
        g: &Csr,
        arcs: &[WeightedArc],
        origin: VertexIdx,
        mut left: usize,
    ) -> usize {
        let first_out = g.first_out();
        let dist = &mut self.dist[..];
        let touched = &mut self.touched[..];
        let keys = &mut self.keys[..];
        let verts = &mut self.verts[..];
        let mut marks = self.targets.search();
        dist[origin.index()] = 0.0;
        touched[0] = origin.0;
        let mut n_touched = 1usize;
        keys[0] = 0.0;
        verts[0] = origin.0;
        let mut len = 1usize;
        let mut pending = 0.0f64;
        while len > 0 {
            let (d, v) = (keys[0], verts[0]);
            len -= 1;
            if len > 0 {
                let (last_key, last_vert) = (keys[len], verts[len]);
                sift_down(
                    &mut keys[..len],
                    &mut verts[..len],
                    &mut NoSlots,
                    last_key,
                    last_vert,
                );
            }
            // A stale entry: `v` was pushed again with a smaller key, which
            // was popped (and `v` settled) before this one.
            if d != dist[v as usize] {
                continue;
            }
            left -= usize::from(marks.take(VertexIdx(v)));
            if left == 0 && d >= pending {
                break;
            }
            let lo = first_out[v as usize] as usize;
            let hi = first_out[v as usize + 1] as usize;
            for arc in &arcs[lo..hi] {
                let (h, nd) = (arc.head, d + arc.weight);
                let hd = &mut dist[h.index()];
                // Infinite or NaN weights make this false: closed arcs drop out.
                if nd < *hd {
                    if *hd == INFINITY {
                        touched[n_touched] = h.0;
                        n_touched += 1;
                        if arc.head_is_sink && marks.take(h) {
                            left -= 1;
                            pending = pending.max(nd);
                        }
                    }
                    *hd = nd;
                    if !arc.head_is_sink {
                        len += 1;
                        sift_up(
                            &mut keys[..len],
                            &mut verts[..len],
                            &mut NoSlots,
                            len - 1,
                            nd,
                            h.0,
                        );
                    }
                }
            }
        }
        n_touched
    }

    pub fn reached(&self, v: VertexIdx) -> bool {
        self.dist[v.index()] < INFINITY
    }
    pub fn dist(&self, v: VertexIdx) -> f64 {
        self.dist[v.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ShortestPath;
    use proptest::prelude::*;

    fn graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>)> {
        crate::test_support::tie_heavy_graph(2)
    }

    proptest! {
        /// Every target's distance is `ShortestPath`'s to the bit, and
        /// so is every vertex's after a full search (no targets left).
        #[test]
        fn matches_shortest_path(
            (n, arcs) in graph(),
            origins in proptest::array::uniform3(0u32..40),
            targets in proptest::array::uniform3(proptest::collection::vec(0u32..40, 1..8)),
        ) {
            let ends: Vec<_> = arcs.iter().map(|&(t, h, _)| (VertexIdx(t), VertexIdx(h))).collect();
            let (g, order) = Csr::from_arcs(n, &ends);
            let w: Vec<f64> = order.iter().map(|&i| arcs[i as usize].2).collect();
            let mut sp = ShortestPath::new(n);
            let mut od = OriginDistances::new(n, g.n_arcs());
            let arcs = WeightedArcs::new(&g, &w);
            // Several searches on one state: what one leaves behind
            // (distances, the heap after an early stop) must be reset.
            for (origin, targets) in origins.iter().zip(&targets) {
                let o = VertexIdx(origin % n as u32);
                let ts: Vec<VertexIdx> = targets.iter().map(|&t| VertexIdx(t % n as u32)).collect();
                sp.run(&g, &w, &[(o, 0.0)], None);
                od.run(&g, &arcs, o, &ts);
                for &t in &ts {
                    prop_assert_eq!(od.reached(t), sp.reached(t));
                    prop_assert_eq!(od.dist(t).to_bits(), sp.dist(t).to_bits());
                }
                let all: Vec<VertexIdx> = (0..n as u32).map(VertexIdx).collect();
                od.run(&g, &arcs, o, &all);
                for &v in &all {
                    prop_assert_eq!(od.dist(v).to_bits(), sp.dist(v).to_bits());
                }
            }
        }
    }
}
