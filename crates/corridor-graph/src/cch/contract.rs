//! Metric-independent contraction: the upward graph of a CCH (every
//! shortcut any weighting may need), its elimination tree, the map from
//! the input arcs to its edges and the levels customization runs by.

use super::order::undirected;
use crate::csr::{Csr, VertexIdx};

/// No edge, no parent, no arc.
pub(crate) const NONE: u32 = u32::MAX;

/// The contracted topology of a [`Csr`] in a given order. See the
/// [module documentation](super).
#[derive(Clone, Debug, Default)]
pub struct Cch {
    /// `rank[v]`: the rank of input vertex `v`.
    pub(crate) rank: Vec<u32>,
    /// Upward graph over ranks: edges of rank `r` are
    /// `up_first[r]..up_first[r + 1]`, heads ascending.
    pub(crate) up_first: Vec<u32>,
    pub(crate) up_head: Vec<u32>,
    pub(crate) up_tail: Vec<u32>,
    /// Downward lists: for rank `r`, the edges `{v, r}` with `v < r`,
    /// `v` ascending (`down_edge` holds the edge, `up_tail` gives `v`).
    pub(crate) down_first: Vec<u32>,
    pub(crate) down_edge: Vec<u32>,
    /// Elimination-tree parent of each rank (its lowest upper neighbour).
    pub(crate) parent: Vec<u32>,
    /// Per input arc: `2 * edge + 1` if it runs upward (`lo → hi`),
    /// `2 * edge` if downward, [`NONE`] for a loop.
    pub(crate) arc_edge: Vec<u32>,
    /// Ranks grouped by elimination level (a vertex's lower neighbours are
    /// all on lower levels): `level_ranks[level_first[l]..level_first[l + 1]]`.
    pub(crate) level_first: Vec<u32>,
    pub(crate) level_ranks: Vec<u32>,
    /// Per rank, its lower triangles (the customization's work for it), so
    /// that customization can share heavy vertices and levels among
    /// threads without counting again.
    pub(crate) triangles: Vec<u64>,
}

impl Cch {
    /// Contracts `g` in `order` (`order[r]` is the vertex of rank `r`, a
    /// permutation of the vertices, as [`super::nested_dissection_order`]
    /// gives).
    ///
    /// Panics if `order` is not a permutation of `g`'s vertices or the
    /// hierarchy needs `2^31` edges or more: both are caller bugs.
    ///
    /// # Complexity
    /// O(n + Σ |up(v)|) for the elimination (sorted merges), which on
    /// nested-dissection orders of road-like graphs is a few times m.
    pub fn new(g: &Csr, order: &[VertexIdx]) -> Cch {
        let n = g.n_vertices();
        assert!(
            n < (1 << 31) && g.n_arcs() < (1 << 31),
            "CCH vias need vertex and arc indices below 2^31"
        );
        assert_eq!(order.len(), n, "the order ranks every vertex once");
        let mut rank = vec![NONE; n];
        for (r, &v) in order.iter().enumerate() {
            assert_eq!(rank[v.index()], NONE, "vertex {v} ranked twice");
            rank[v.index()] = r as u32;
        }
        let up = chordal_upper_neighbours(g, &rank);
        let mut up_first = vec![0u32; n + 1];
        for r in 0..n {
            up_first[r + 1] = up_first[r] + up[r].len() as u32;
        }
        let m = up_first[n] as usize;
        assert!(m < (1 << 31), "too many CCH edges for u32 indices");
        let up_head: Vec<u32> = up.concat();
        drop(up);
        let mut up_tail = vec![0u32; m];
        let mut parent = vec![NONE; n];
        for r in 0..n {
            let (lo, hi) = (up_first[r] as usize, up_first[r + 1] as usize);
            up_tail[lo..hi].iter_mut().for_each(|t| *t = r as u32);
            if lo < hi {
                parent[r] = up_head[lo];
            }
        }
        let (down_first, down_edge) = downward(n, &up_head);
        let (level_first, level_ranks) = levels(n, &up_first, &up_head);
        let mut cch = Cch {
            rank,
            up_first,
            up_head,
            up_tail,
            down_first,
            down_edge,
            parent,
            arc_edge: Vec::new(),
            level_first,
            level_ranks,
            triangles: Vec::new(),
        };
        cch.arc_edge = cch.map_arcs(g);
        cch.triangles = (0..n).map(|u| cch.triangles_below(u)).collect();
        cch
    }

    pub fn n_vertices(&self) -> usize {
        self.rank.len()
    }
    /// Edges of the upward graph: input edges plus shortcuts.
    pub fn n_edges(&self) -> usize {
        self.up_head.len()
    }
    /// The number of input arcs the hierarchy was built for.
    pub fn n_arcs(&self) -> usize {
        self.arc_edge.len()
    }
    /// The order the hierarchy was built in (`order[r]` is the vertex of
    /// rank `r`): what a compiled network file stores, 4 bytes per vertex,
    /// so that loading it costs a contraction, not a dissection.
    pub fn order(&self) -> Vec<VertexIdx> {
        let mut order = vec![VertexIdx(0); self.n_vertices()];
        for (v, &r) in self.rank.iter().enumerate() {
            order[r as usize] = VertexIdx(v as u32);
        }
        order
    }
    /// The rank of `v` (0 is contracted first).
    pub fn rank(&self, v: VertexIdx) -> u32 {
        self.rank[v.index()]
    }
    /// Depth of the elimination tree: the longest chain of ancestors a
    /// query walks.
    pub fn elimination_tree_height(&self) -> usize {
        let mut depth = vec![0u32; self.n_vertices()];
        let mut best = 0;
        for r in (0..self.n_vertices()).rev() {
            let p = self.parent[r];
            if p != NONE {
                depth[r] = depth[p as usize] + 1;
            }
            best = best.max(depth[r] as usize + 1);
        }
        best
    }
    /// Lower triangles, Σ |up(v)| (|up(v)| − 1) / 2: the work of one
    /// customization, a machine-independent measure of the order's quality.
    pub fn n_lower_triangles(&self) -> u64 {
        self.up_first
            .windows(2)
            .map(|w| {
                let k = u64::from(w[1] - w[0]);
                k * k.saturating_sub(1) / 2
            })
            .sum()
    }
    /// Heap bytes held by the topology.
    pub fn heap_bytes(&self) -> usize {
        4 * (self.rank.capacity()
            + self.up_first.capacity()
            + self.up_head.capacity()
            + self.up_tail.capacity()
            + self.down_first.capacity()
            + self.down_edge.capacity()
            + self.parent.capacity()
            + self.arc_edge.capacity()
            + self.level_first.capacity()
            + self.level_ranks.capacity())
            + 8 * self.triangles.capacity()
    }

    /// The lower triangles `{v, u, w}` (`v < u < w`) of rank `u`: for each
    /// lower neighbour `v`, its upper neighbours above `u`.
    fn triangles_below(&self, u: usize) -> u64 {
        let downs = &self.down_edge[self.down_first[u] as usize..self.down_first[u + 1] as usize];
        downs
            .iter()
            .map(|&e| {
                let v = self.up_tail[e as usize] as usize;
                u64::from(self.up_first[v + 1] - e - 1)
            })
            .sum()
    }

    /// The edge `{lo, hi}` (`lo < hi`, both ranks), which chordality
    /// guarantees wherever a lower triangle names it.
    #[inline]
    pub(crate) fn edge(&self, lo: u32, hi: u32) -> u32 {
        let (a, b) = (
            self.up_first[lo as usize] as usize,
            self.up_first[lo as usize + 1] as usize,
        );
        match self.up_head[a..b].binary_search(&hi) {
            Ok(i) => (a + i) as u32,
            Err(_) => NONE,
        }
    }

    fn map_arcs(&self, g: &Csr) -> Vec<u32> {
        let heads = g.heads();
        let mut arc_edge = vec![NONE; g.n_arcs()];
        for v in g.vertices() {
            for a in g.out_arcs(v).positions() {
                let (rt, rh) = (self.rank[v.index()], self.rank[heads[a].index()]);
                if rt != rh {
                    let e = self.edge(rt.min(rh), rt.max(rh));
                    debug_assert_ne!(e, NONE);
                    arc_edge[a] = 2 * e + u32::from(rt < rh);
                }
            }
        }
        arc_edge
    }
}

/// For each rank, its upper neighbours in the chordal supergraph, sorted:
/// eliminating `r` joins its upper neighbours into a clique, which is the
/// same as handing them to its lowest one (the parent) and so on upward.
fn chordal_upper_neighbours(g: &Csr, rank: &[u32]) -> Vec<Vec<u32>> {
    let n = g.n_vertices();
    let (first, adj) = undirected(g);
    let mut up: Vec<Vec<u32>> = vec![Vec::new(); n];
    for v in 0..n {
        let r = rank[v];
        let list = &mut up[r as usize];
        for &h in &adj[first[v] as usize..first[v + 1] as usize] {
            let rh = rank[h as usize];
            if rh > r {
                list.push(rh);
            }
        }
        list.sort_unstable();
    }
    drop(adj);
    let mut merged = Vec::new();
    for r in 0..n {
        if up[r].len() < 2 {
            continue;
        }
        let p = up[r][0] as usize;
        let (mine, theirs) = (std::mem::take(&mut up[r]), std::mem::take(&mut up[p]));
        merged.clear();
        let (mut i, mut j) = (1, 0);
        while i < mine.len() || j < theirs.len() {
            let x = match (mine.get(i), theirs.get(j)) {
                (Some(&a), Some(&b)) if a < b => {
                    i += 1;
                    a
                }
                (Some(&a), Some(&b)) if a > b => {
                    j += 1;
                    b
                }
                (Some(&a), Some(_)) => {
                    i += 1;
                    j += 1;
                    a
                }
                (Some(&a), None) => {
                    i += 1;
                    a
                }
                (None, Some(&b)) => {
                    j += 1;
                    b
                }
                (None, None) => unreachable!(),
            };
            merged.push(x);
        }
        up[r] = mine;
        up[p] = std::mem::replace(&mut merged, theirs);
    }
    up
}

/// The downward lists (see [`Cch::down_first`]), by counting sort of the
/// upward edges on their heads; walking tails in order keeps each list
/// sorted by tail.
fn downward(n: usize, up_head: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut first = vec![0u32; n + 1];
    for &h in up_head {
        first[h as usize + 1] += 1;
    }
    for r in 0..n {
        first[r + 1] += first[r];
    }
    let mut next = first.clone();
    let mut edge = vec![0u32; up_head.len()];
    for (e, &h) in up_head.iter().enumerate() {
        edge[next[h as usize] as usize] = e as u32;
        next[h as usize] += 1;
    }
    (first, edge)
}

/// Elimination levels: 0 for a vertex without lower neighbours, else one
/// more than its highest lower neighbour.
fn levels(n: usize, up_first: &[u32], up_head: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut level = vec![0u32; n];
    for r in 0..n {
        let l = level[r] + 1;
        for &h in &up_head[up_first[r] as usize..up_first[r + 1] as usize] {
            let lh = &mut level[h as usize];
            *lh = (*lh).max(l);
        }
    }
    let n_levels = level.iter().max().map_or(0, |&l| l as usize + 1);
    let mut first = vec![0u32; n_levels + 1];
    for &l in &level {
        first[l as usize + 1] += 1;
    }
    for l in 0..n_levels {
        first[l + 1] += first[l];
    }
    let mut next = first.clone();
    let mut ranks = vec![0u32; n];
    for (r, &l) in level.iter().enumerate() {
        ranks[next[l as usize] as usize] = r as u32;
        next[l as usize] += 1;
    }
    (first, ranks)
}
