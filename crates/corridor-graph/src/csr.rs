//! Compressed sparse row topology: the out-arcs of vertex `v` are the arc
//! indices `first_out[v]..first_out[v + 1]`. Weights live outside, in slices
//! indexed by arc, so one topology serves many cost vectors.

/// Index of a vertex of a lowered graph.
pub type VertexIdx = u32;
/// Index of an arc of a [`Csr`] (its position in CSR order).
pub type ArcIdx = u32;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Csr {
    first_out: Vec<u32>,
    head: Vec<VertexIdx>,
}

impl Csr {
    /// Builds the topology from arcs given as `(tail, head)` pairs in any
    /// order. Returns the graph and `order`, where CSR arc `a` is input arc
    /// `order[a]`; arcs of one tail keep their input order (the sort is
    /// stable), so results are deterministic.
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
                (t as usize) < n_vertices && (h as usize) < n_vertices,
                "arc ({t}, {h}) outside 0..{n_vertices}"
            );
            first_out[t as usize + 1] += 1;
        }
        for v in 0..n_vertices {
            first_out[v + 1] += first_out[v];
        }
        let mut next = first_out.clone();
        let mut order = vec![0u32; arcs.len()];
        let mut head = vec![0u32; arcs.len()];
        for (i, &(t, h)) in arcs.iter().enumerate() {
            let slot = next[t as usize] as usize;
            next[t as usize] += 1;
            order[slot] = i as u32;
            head[slot] = h;
        }
        (Csr { first_out, head }, order)
    }

    pub fn n_vertices(&self) -> usize {
        self.first_out.len().saturating_sub(1)
    }
    pub fn n_arcs(&self) -> usize {
        self.head.len()
    }
    /// The arc indices leaving `v`.
    #[inline]
    pub fn out_arcs(&self, v: VertexIdx) -> std::ops::Range<usize> {
        self.first_out[v as usize] as usize..self.first_out[v as usize + 1] as usize
    }
    #[inline]
    pub fn head(&self, a: usize) -> VertexIdx {
        self.head[a]
    }
    pub fn heads(&self) -> &[VertexIdx] {
        &self.head
    }
    pub fn first_out(&self) -> &[u32] {
        &self.first_out
    }
    /// The tail of every arc, computed (not stored: most algorithms never
    /// need it).
    pub fn tails(&self) -> Vec<VertexIdx> {
        let mut t = vec![0; self.n_arcs()];
        for v in 0..self.n_vertices() {
            for a in self.out_arcs(v as u32) {
                t[a] = v as u32;
            }
        }
        t
    }
    /// The reverse graph and, for each reverse arc, the forward arc it mirrors.
    pub fn reversed(&self) -> (Csr, Vec<ArcIdx>) {
        let tails = self.tails();
        let arcs: Vec<(u32, u32)> = (0..self.n_arcs())
            .map(|a| (self.head[a], tails[a]))
            .collect();
        Csr::from_arcs(self.n_vertices(), &arcs)
    }
    /// Heap bytes held by the topology.
    pub fn heap_bytes(&self) -> usize {
        (self.first_out.capacity() + self.head.capacity()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csr_groups_arcs_by_tail_stably() {
        let arcs = [(1, 0), (0, 2), (1, 2), (0, 1)];
        let (g, order) = Csr::from_arcs(3, &arcs);
        assert_eq!(g.n_vertices(), 3);
        assert_eq!(g.n_arcs(), 4);
        let out0: Vec<_> = g.out_arcs(0).map(|a| g.head(a)).collect();
        assert_eq!(out0, vec![2, 1]);
        assert_eq!(order, vec![1, 3, 0, 2]);
        assert!(g.out_arcs(2).is_empty());
        let (r, back) = g.reversed();
        assert_eq!(r.n_arcs(), 4);
        let (ft, rt) = (g.tails(), r.tails());
        for ra in 0..r.n_arcs() {
            let fa = back[ra] as usize;
            assert_eq!(rt[ra], g.head(fa));
            assert_eq!(r.head(ra), ft[fa]);
        }
    }
}
