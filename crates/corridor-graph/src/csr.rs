//! Compressed sparse row topology and the two index types of the graph
//! crate: [`VertexIdx`] and [`ArcIdx`]. The out-arcs of vertex `v` are the
//! arcs `first_out[v]..first_out[v + 1]`. Weights live outside, in slices
//! indexed by arc, so one topology serves many cost vectors.
//!
//! The indices are distinct types so that no public function can be handed
//! an arc where a vertex is meant (or a model node id, which the engine
//! maps to vertices). Both are `#[repr(transparent)]` over `u32`: a
//! `Vec<VertexIdx>` is laid out exactly as a `Vec<u32>`, and `index()` is
//! the same `as usize` the hot loops always did.

use std::fmt;
use std::iter::FusedIterator;

/// A vertex of a lowered graph, by its index (`0..n_vertices`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct VertexIdx(pub u32);

/// An arc of a [`Csr`], by its position in CSR order (`0..n_arcs`); weight,
/// capacity and flow slices are indexed by it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct ArcIdx(pub u32);

macro_rules! index_impls {
    ($name:ident) => {
        impl $name {
            /// The index as a `usize`, for indexing slices.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }
            /// Panics beyond `u32::MAX`: a [`Csr`] never holds that many.
            #[inline]
            pub fn from_index(i: usize) -> Self {
                Self(u32::try_from(i).expect("graph index beyond u32::MAX"))
            }
        }

        impl From<u32> for $name {
            #[inline]
            fn from(i: u32) -> Self {
                Self(i)
            }
        }

        /// The bare number, as error messages showed the `u32` it replaced.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}
index_impls!(VertexIdx);
index_impls!(ArcIdx);

/// The arcs leaving one vertex, in CSR order (see [`Csr::out_arcs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutArcs {
    next: u32,
    end: u32,
}

impl OutArcs {
    /// The same arcs as positions, for walking the weight and head slices
    /// of one vertex together (`heads()[r]`, `weight[r]`).
    #[inline]
    pub fn positions(&self) -> std::ops::Range<usize> {
        self.next as usize..self.end as usize
    }
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.next >= self.end
    }
}

impl Iterator for OutArcs {
    type Item = ArcIdx;
    #[inline]
    fn next(&mut self) -> Option<ArcIdx> {
        (self.next < self.end).then(|| {
            self.next += 1;
            ArcIdx(self.next - 1)
        })
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end.saturating_sub(self.next) as usize;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for OutArcs {
    #[inline]
    fn next_back(&mut self) -> Option<ArcIdx> {
        (self.next < self.end).then(|| {
            self.end -= 1;
            ArcIdx(self.end)
        })
    }
}

impl ExactSizeIterator for OutArcs {}
impl FusedIterator for OutArcs {}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Csr {
    first_out: Vec<u32>,
    head: Vec<VertexIdx>,
}

impl Csr {
    /// Builds the topology from arcs given as `(tail, head)` pairs in any
    /// order. Returns the graph and `order`, where CSR arc `a` is input arc
    /// `order[a]` (a position in `arcs`, which is the caller's numbering,
    /// not an [`ArcIdx`]); arcs of one tail keep their input order (the
    /// sort is stable), so results are deterministic.
    ///
    /// Panics if a vertex index is `>= n_vertices` or there are `u32::MAX`
    /// arcs or more: both are caller bugs, not data errors.
    pub fn from_arcs(n_vertices: usize, arcs: &[(VertexIdx, VertexIdx)]) -> (Csr, Vec<u32>) {
        assert!(
            arcs.len() < u32::MAX as usize,
            "too many arcs for u32 indices"
        );
        let mut first_out = vec![0u32; n_vertices + 1];
        for &(t, h) in arcs {
            assert!(
                t.index() < n_vertices && h.index() < n_vertices,
                "arc ({t}, {h}) outside 0..{n_vertices}"
            );
            first_out[t.index() + 1] += 1;
        }
        for v in 0..n_vertices {
            first_out[v + 1] += first_out[v];
        }
        let mut next = first_out.clone();
        let mut order = vec![0u32; arcs.len()];
        let mut head = vec![VertexIdx(0); arcs.len()];
        for (i, &(t, h)) in arcs.iter().enumerate() {
            let slot = next[t.index()] as usize;
            next[t.index()] += 1;
            order[slot] = i as u32;
            head[slot] = h;
        }
        (Csr { first_out, head }, order)
    }

    /// The topology from its raw arrays (as [`Csr::first_out`] and
    /// [`Csr::heads`] give them), for a graph stored on disk and read back
    /// without sorting its arcs again. Refused, saying why, unless
    /// `first_out` starts at 0, never decreases and ends at the arc count,
    /// and every head is a vertex: bytes from a file must not make later
    /// indexing panic.
    pub fn from_parts(first_out: Vec<u32>, head: Vec<VertexIdx>) -> Result<Csr, String> {
        if first_out.first() != Some(&0) {
            return Err("vertex offsets do not start at 0".into());
        }
        if first_out.windows(2).any(|w| w[0] > w[1]) {
            return Err("vertex offsets decrease".into());
        }
        if first_out.last().map(|&l| l as usize) != Some(head.len()) {
            return Err(format!(
                "vertex offsets end at {}, not at the {} arcs",
                first_out.last().copied().unwrap_or(0),
                head.len()
            ));
        }
        let n = first_out.len() - 1;
        if let Some(h) = head.iter().find(|h| h.index() >= n) {
            return Err(format!("arc head {h} outside 0..{n}"));
        }
        Ok(Csr { first_out, head })
    }

    pub fn n_vertices(&self) -> usize {
        self.first_out.len().saturating_sub(1)
    }
    pub fn n_arcs(&self) -> usize {
        self.head.len()
    }
    /// Every vertex, in index order.
    pub fn vertices(&self) -> impl DoubleEndedIterator<Item = VertexIdx> + ExactSizeIterator {
        (0..self.n_vertices() as u32).map(VertexIdx)
    }
    /// Every arc, in CSR order.
    pub fn arcs(&self) -> OutArcs {
        OutArcs {
            next: 0,
            end: self.n_arcs() as u32,
        }
    }
    /// The arcs leaving `v`.
    #[inline]
    pub fn out_arcs(&self, v: VertexIdx) -> OutArcs {
        OutArcs {
            next: self.first_out[v.index()],
            end: self.first_out[v.index() + 1],
        }
    }
    #[inline]
    pub fn head(&self, a: ArcIdx) -> VertexIdx {
        self.head[a.index()]
    }
    /// The head of every arc, in CSR order.
    pub fn heads(&self) -> &[VertexIdx] {
        &self.head
    }
    /// Where each vertex's arcs start in CSR order, plus the arc count at
    /// the end: the raw offsets hot loops slice `heads()` and weights with.
    pub fn first_out(&self) -> &[u32] {
        &self.first_out
    }
    /// The tail of every arc, computed (not stored: most algorithms never
    /// need it).
    pub fn tails(&self) -> Vec<VertexIdx> {
        let mut t = vec![VertexIdx(0); self.n_arcs()];
        for v in self.vertices() {
            for a in self.out_arcs(v) {
                t[a.index()] = v;
            }
        }
        t
    }
    /// The reverse graph and, for each reverse arc, the forward arc it mirrors.
    pub fn reversed(&self) -> (Csr, Vec<ArcIdx>) {
        let tails = self.tails();
        let arcs: Vec<(VertexIdx, VertexIdx)> = self
            .head
            .iter()
            .zip(&tails)
            .map(|(&h, &t)| (h, t))
            .collect();
        let (rev, order) = Csr::from_arcs(self.n_vertices(), &arcs);
        // Input position `i` is forward arc `i`: `arcs` is in CSR order.
        (rev, order.into_iter().map(ArcIdx).collect())
    }
    /// Heap bytes held by the topology.
    pub fn heap_bytes(&self) -> usize {
        (self.first_out.capacity() + self.head.capacity()) * 4
    }
}

/// One arc as a search scans it: its weight and head side by side, so
/// that the out-arcs of a vertex lie in one run of memory instead of two
/// (a vertex's 2 arcs, 32 bytes, usually one cache line).
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(C)]
pub struct WeightedArc {
    pub weight: f64,
    pub head: VertexIdx,
    /// The head has no out-arcs (in the padding the record has anyway): a
    /// search that needs no predecessors may leave it out of its heap.
    pub head_is_sink: bool,
}

/// A topology's arcs with one weight vector, interleaved in CSR order:
/// built once per cost vector (`O(m)`) by a caller that then runs many
/// searches at those costs (an all-or-nothing load runs one per origin).
#[derive(Clone, Debug, Default)]
pub struct WeightedArcs {
    arcs: Vec<WeightedArc>,
}

impl WeightedArcs {
    /// `weight` is one weight per arc of `g`, in CSR order.
    pub fn new(g: &Csr, weight: &[f64]) -> Self {
        assert_eq!(weight.len(), g.n_arcs(), "one weight per arc");
        let arcs = g
            .heads()
            .iter()
            .zip(weight)
            .map(|(&head, &weight)| WeightedArc {
                weight,
                head,
                head_is_sink: g.out_arcs(head).is_empty(),
            })
            .collect();
        Self { arcs }
    }

    pub fn arcs(&self) -> &[WeightedArc] {
        &self.arcs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_parts_reads_back_and_refuses_bad_offsets() {
        let v = VertexIdx;
        let (g, _) = Csr::from_arcs(3, &[(v(1), v(0)), (v(0), v(2)), (v(2), v(1))]);
        let back = Csr::from_parts(g.first_out().to_vec(), g.heads().to_vec()).unwrap();
        assert_eq!(back, g);
        assert!(Csr::from_parts(vec![], vec![]).is_err());
        assert!(Csr::from_parts(vec![1, 1], vec![v(0)]).is_err());
        assert!(Csr::from_parts(vec![0, 2, 1], vec![v(0)]).is_err());
        assert!(Csr::from_parts(vec![0, 1], vec![v(0), v(0)]).is_err());
        assert!(Csr::from_parts(vec![0, 1], vec![v(1)]).is_err());
    }

    #[test]
    fn csr_groups_arcs_by_tail_stably() {
        let v = VertexIdx;
        let arcs = [(v(1), v(0)), (v(0), v(2)), (v(1), v(2)), (v(0), v(1))];
        let (g, order) = Csr::from_arcs(3, &arcs);
        assert_eq!(g.n_vertices(), 3);
        assert_eq!(g.n_arcs(), 4);
        let out0: Vec<_> = g.out_arcs(v(0)).map(|a| g.head(a)).collect();
        assert_eq!(out0, vec![v(2), v(1)]);
        assert_eq!(order, vec![1, 3, 0, 2]);
        assert!(g.out_arcs(v(2)).is_empty());
        assert_eq!(g.out_arcs(v(1)).len(), 2);
        assert_eq!(g.out_arcs(v(1)).positions(), 2..4);
        let (r, back) = g.reversed();
        assert_eq!(r.n_arcs(), 4);
        let (ft, rt) = (g.tails(), r.tails());
        for ra in r.arcs() {
            let fa = back[ra.index()];
            assert_eq!(rt[ra.index()], g.head(fa));
            assert_eq!(r.head(ra), ft[fa.index()]);
        }
    }

    #[test]
    fn out_arcs_iterate_both_ways() {
        let v = VertexIdx;
        let (g, _) = Csr::from_arcs(2, &[(v(0), v(1)), (v(0), v(0)), (v(1), v(0))]);
        let fwd: Vec<ArcIdx> = g.out_arcs(v(0)).collect();
        let back: Vec<ArcIdx> = g.out_arcs(v(0)).rev().collect();
        assert_eq!(fwd, vec![ArcIdx(0), ArcIdx(1)]);
        assert_eq!(back, vec![ArcIdx(1), ArcIdx(0)]);
        assert_eq!(g.arcs().count(), 3);
        assert_eq!(g.vertices().collect::<Vec<_>>(), vec![v(0), v(1)]);
        assert_eq!(VertexIdx::from_index(7).index(), 7);
        assert_eq!(ArcIdx::from(3).to_string(), "3");
    }

    #[test]
    fn weighted_arcs_follow_csr_order_and_flag_sinks() {
        let v = VertexIdx;
        // 0 -> 1, 0 -> 2, 1 -> 2; vertex 2 has no out-arcs.
        let (g, order) = Csr::from_arcs(3, &[(v(1), v(2)), (v(0), v(1)), (v(0), v(2))]);
        let w: Vec<f64> = order
            .iter()
            .map(|&i| [10.0, 20.0, 30.0][i as usize])
            .collect();
        let arcs = WeightedArcs::new(&g, &w);
        let got: Vec<_> = arcs
            .arcs()
            .iter()
            .map(|a| (a.head, a.weight, a.head_is_sink))
            .collect();
        assert_eq!(
            got,
            [(v(1), 20.0, false), (v(2), 30.0, true), (v(2), 10.0, true)]
        );
        assert_eq!(std::mem::size_of::<WeightedArc>(), 16);
    }
}
