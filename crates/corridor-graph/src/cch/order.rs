//! The metric-independent vertex order of a customizable contraction
//! hierarchy: a nested dissection computed once per topology, whatever the
//! weights later put on the arcs.
//!
//! A cell (a set of vertices, at first the whole graph) is split into its
//! connected components; a connected cell is cut by a small vertex
//! *separator* that goes to the top of the cell's rank range, and the rest
//! is dissected again. The separator is the smallest of two kinds of cut.
//! *Geometric*: vertices are sorted along four directions (x, y and both
//! diagonals) of their coordinates, the cell is cut at nine positions (30 %
//! to 70 % of its vertices) along each, and the smaller boundary (vertices
//! with a neighbour on the other side) of either side of a cut is a
//! candidate, the median's first on ties. *Inertial flow* (Schild and
//! Sommer 2015, as RoutingKit orders; cells of [`FLOW_MIN_CELL`] vertices
//! or more): along each direction, the least vertex separator between the
//! first and the last quarter of the cell, by a unit-capacity maximum flow
//! ([`super::flow`]), stopped once it is no smaller than the best cut so
//! far. Without coordinates, each component gets pseudo-coordinates from
//! breadth-first hop counts from two far-apart vertices, which on
//! road-like graphs cut almost as well. Exact queries never depend on the
//! order: a worse one only costs shortcuts and triangles.
//!
//! Reference: J. Dibbelt, B. Strasser and D. Wagner, "Customizable
//! Contraction Hierarchies", ACM JEA 21 (2016), section 3.

use super::flow::{CellGraph, FlowCut};
use crate::csr::{Csr, VertexIdx};

/// Cells this small are ranked as they come: dissecting them saves nothing.
const SMALL_CELL: usize = 4;

/// Where along each direction a cell may be cut (fractions of its
/// vertices), the median first so that it wins ties: a slightly unbalanced
/// cut through a sparse stretch beats a balanced one through a dense one.
/// On the generated multimodal network, nine cuts from 30 % to 70 % give
/// 10 % (1.2M links) to 29 % (29k links) fewer lower triangles, the
/// customization's work, than the median alone, for about four times the
/// ordering time (once per topology); 40 % to 60 % gives 3 %, and 20 % to
/// 80 % more triangles than the median (the dissection gets too deep).
const SPLITS: [f64; 9] = [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7];

/// Cells of at least this many vertices also try inertial-flow cuts (on
/// the generated 1.2M-link network, flow cuts take the lower triangles
/// from 1.81 to about 1.1 billion; smaller cells gain little).
const FLOW_MIN_CELL: usize = if cfg!(test) { 8 } else { 64 };

/// The fraction of a cell's vertices, at each end of a direction, merged
/// into the source and into the sink of the inertial flow: both sides of
/// its cut keep at least this share.
const FLOW_ENDS: f64 = 0.25;

/// The undirected simple graph under `g` (arc directions dropped, loops and
/// parallel arcs merged), as CSR offsets and neighbours.
pub(crate) fn undirected(g: &Csr) -> (Vec<u32>, Vec<u32>) {
    let n = g.n_vertices();
    let mut deg = vec![0u32; n + 1];
    let heads = g.heads();
    for v in g.vertices() {
        for a in g.out_arcs(v).positions() {
            let h = heads[a];
            if h != v {
                deg[v.index() + 1] += 1;
                deg[h.index() + 1] += 1;
            }
        }
    }
    for v in 0..n {
        deg[v + 1] += deg[v];
    }
    let mut next = deg.clone();
    let mut adj = vec![0u32; deg[n] as usize];
    for v in g.vertices() {
        for a in g.out_arcs(v).positions() {
            let h = heads[a];
            if h != v {
                adj[next[v.index()] as usize] = h.0;
                next[v.index()] += 1;
                adj[next[h.index()] as usize] = v.0;
                next[h.index()] += 1;
            }
        }
    }
    // Sort and deduplicate each list, compacting in place.
    let mut first = vec![0u32; n + 1];
    let mut w = 0usize;
    for v in 0..n {
        let (lo, hi) = (deg[v] as usize, deg[v + 1] as usize);
        adj[lo..hi].sort_unstable();
        let mut last = u32::MAX;
        for i in lo..hi {
            if adj[i] != last {
                last = adj[i];
                adj[w] = last;
                w += 1;
            }
        }
        first[v + 1] = w as u32;
    }
    adj.truncate(w);
    (first, adj)
}

/// A nested-dissection order of `g`: `order[r]` is the vertex of rank `r`
/// (rank 0 is contracted first). `coords`, one `(x, y)` per vertex (e.g.
/// longitude and latitude), guides the cuts; `None` or a slice of the wrong
/// length falls back to hop-count pseudo-coordinates.
///
/// # Complexity
/// O(n log² n) for balanced cuts for the sorting, plus the flows: each
/// a few breadth-first searches of the cell's middle band per unit of
/// separator (Dinic), so several times the sorting on road-like graphs.
///
/// # Example
/// ```
/// use corridor_graph::{Csr, VertexIdx as V};
/// use corridor_graph::cch::nested_dissection_order;
/// let (g, _) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2))]);
/// let order = nested_dissection_order(&g, None);
/// assert_eq!(order.len(), 3);
/// ```
pub fn nested_dissection_order(g: &Csr, coords: Option<&[(f64, f64)]>) -> Vec<VertexIdx> {
    let n = g.n_vertices();
    let (first, adj) = undirected(g);
    let coords: Vec<(f64, f64)> = match coords {
        Some(c) if c.len() == n && c.iter().all(|p| p.0.is_finite() && p.1.is_finite()) => {
            c.to_vec()
        }
        _ => hop_coordinates(&first, &adj),
    };
    let mut d = Dissection {
        first: &first,
        adj: &adj,
        coords: &coords,
        cell: vec![0; n],
        next_cell: 1,
        order: vec![VertexIdx(0); n],
        seen: vec![0; n],
        flow: FlowCut::default(),
    };
    // Work list of (cell vertices, first rank of the cell's range).
    let mut work: Vec<(Vec<u32>, usize)> = vec![((0..n as u32).collect(), 0)];
    while let Some((verts, lo)) = work.pop() {
        d.dissect(verts, lo, &mut work);
    }
    d.order
}

struct Dissection<'a> {
    first: &'a [u32],
    adj: &'a [u32],
    coords: &'a [(f64, f64)],
    /// The cell id each vertex belongs to now (fresh ids per cell).
    cell: Vec<u32>,
    next_cell: u32,
    order: Vec<VertexIdx>,
    /// Scratch marks, by cell id, for the components search.
    seen: Vec<u32>,
    flow: FlowCut,
}

impl Dissection<'_> {
    fn neighbours(&self, v: u32) -> &[u32] {
        &self.adj[self.first[v as usize] as usize..self.first[v as usize + 1] as usize]
    }

    fn rank_as_is(&mut self, verts: &[u32], lo: usize) {
        for (i, &v) in verts.iter().enumerate() {
            self.order[lo + i] = VertexIdx(v);
        }
    }

    /// Ranks `verts` in `lo..lo + verts.len()` or queues its parts.
    fn dissect(&mut self, verts: Vec<u32>, lo: usize, work: &mut Vec<(Vec<u32>, usize)>) {
        if verts.len() <= SMALL_CELL {
            self.rank_as_is(&verts, lo);
            return;
        }
        let id = self.next_cell;
        self.next_cell += 1;
        for &v in &verts {
            self.cell[v as usize] = id;
        }
        let comps = self.components(&verts, id);
        if comps.len() > 1 {
            let mut at = lo;
            for c in comps {
                let len = c.len();
                work.push((c, at));
                at += len;
            }
            return;
        }
        let sep = self.separator(&verts, id);
        // The separator takes the top of the range, the rest is dissected.
        let top = lo + verts.len() - sep.len();
        self.rank_as_is(&sep, top);
        let sep_id = self.next_cell;
        self.next_cell += 1;
        for &v in &sep {
            self.cell[v as usize] = sep_id;
        }
        let rest: Vec<u32> = verts
            .into_iter()
            .filter(|&v| self.cell[v as usize] == id)
            .collect();
        work.push((rest, lo));
    }

    /// The connected components of the cell `id`, by breadth-first search.
    fn components(&mut self, verts: &[u32], id: u32) -> Vec<Vec<u32>> {
        let mut comps = Vec::new();
        for &s in verts {
            if self.seen[s as usize] == id {
                continue;
            }
            self.seen[s as usize] = id;
            let mut comp = vec![s];
            let mut i = 0;
            while i < comp.len() {
                let v = comp[i];
                i += 1;
                let (lo, hi) = (self.first[v as usize], self.first[v as usize + 1]);
                for &h in &self.adj[lo as usize..hi as usize] {
                    if self.cell[h as usize] == id && self.seen[h as usize] != id {
                        self.seen[h as usize] = id;
                        comp.push(h);
                    }
                }
            }
            comps.push(comp);
        }
        comps
    }

    /// The smallest cut boundary over four directions and nine cut
    /// positions (see the module documentation); never empty for a connected cell of two or
    /// more vertices.
    fn separator(&mut self, verts: &[u32], id: u32) -> Vec<u32> {
        let dirs = [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, -1.0)];
        let mut best: Option<(usize, Vec<u32>)> = None;
        let mut sorted: Vec<(f64, u32)> = Vec::with_capacity(verts.len());
        let mut orders: Vec<Vec<u32>> = Vec::new();
        let side_id = self.next_cell;
        self.next_cell += 2;
        let flow = verts.len() >= FLOW_MIN_CELL;
        for (dx, dy) in dirs {
            sorted.clear();
            sorted.extend(verts.iter().map(|&v| {
                let (x, y) = self.coords[v as usize];
                (dx * x + dy * y, v)
            }));
            sorted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for split in SPLITS {
                let cut = (verts.len() as f64 * split) as usize;
                for (i, &(_, v)) in sorted.iter().enumerate() {
                    self.seen[v as usize] = if i < cut { side_id } else { side_id + 1 };
                }
                self.smaller_boundary(&sorted, id, side_id, &mut best);
            }
            if flow {
                orders.push(sorted.iter().map(|x| x.1).collect());
            }
        }
        let ends = (verts.len() as f64 * FLOW_ENDS) as usize;
        for order in &orders {
            let g = CellGraph {
                first: self.first,
                adj: self.adj,
                cell: &self.cell,
                id,
            };
            let limit = best.as_ref().map_or(usize::MAX, |b| b.0);
            if let Some(sep) = self.flow.separator(&g, order, ends, limit) {
                best = Some((sep.len(), sep));
            }
        }
        best.map(|b| b.1).unwrap_or_default()
    }

    /// Keeps in `best` the smaller of the two sides' boundaries (vertices
    /// with a neighbour on the other side) if smaller than `best`.
    fn smaller_boundary(
        &self,
        sorted: &[(f64, u32)],
        id: u32,
        side_id: u32,
        best: &mut Option<(usize, Vec<u32>)>,
    ) {
        for side in [side_id, side_id + 1] {
            let boundary: Vec<u32> = sorted
                .iter()
                .map(|x| x.1)
                .filter(|&v| {
                    self.seen[v as usize] == side
                        && self
                            .neighbours(v)
                            .iter()
                            .any(|&h| self.cell[h as usize] == id && self.seen[h as usize] != side)
                })
                .collect();
            if best.as_ref().is_none_or(|b| boundary.len() < b.0) {
                *best = Some((boundary.len(), boundary));
            }
        }
    }
}

/// Pseudo-coordinates: per connected component, hop counts from a vertex
/// `a` far from an arbitrary start (x) and from the vertex `b` farthest
/// from `a` (y).
fn hop_coordinates(first: &[u32], adj: &[u32]) -> Vec<(f64, f64)> {
    let n = first.len() - 1;
    let mut coords = vec![(0.0, 0.0); n];
    let mut done = vec![false; n];
    let mut hops = vec![u32::MAX; n];
    for s in 0..n {
        if done[s] {
            continue;
        }
        let sweep = |from: u32, hops: &mut [u32]| {
            let comp = bfs(first, adj, from, hops);
            let far = *comp.last().unwrap_or(&from);
            (comp, far)
        };
        let (comp, a) = sweep(s as u32, &mut hops);
        comp.iter().for_each(|&v| hops[v as usize] = u32::MAX);
        let (comp, b) = sweep(a, &mut hops);
        for &v in &comp {
            coords[v as usize].0 = hops[v as usize] as f64;
            hops[v as usize] = u32::MAX;
            done[v as usize] = true;
        }
        let (comp, _) = sweep(b, &mut hops);
        for &v in &comp {
            coords[v as usize].1 = hops[v as usize] as f64;
            hops[v as usize] = u32::MAX;
        }
    }
    coords
}

/// Breadth-first hop counts from `s` into `hops` (all `u32::MAX` in the
/// component of `s` on entry); returns the component in visiting order,
/// so its last vertex is a farthest one.
fn bfs(first: &[u32], adj: &[u32], s: u32, hops: &mut [u32]) -> Vec<u32> {
    let mut queue = vec![s];
    hops[s as usize] = 0;
    let mut i = 0;
    while i < queue.len() {
        let v = queue[i];
        i += 1;
        for &h in &adj[first[v as usize] as usize..first[v as usize + 1] as usize] {
            if hops[h as usize] == u32::MAX {
                hops[h as usize] = hops[v as usize] + 1;
                queue.push(h);
            }
        }
    }
    queue
}
