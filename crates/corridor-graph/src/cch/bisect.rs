//! A quick vertex order for a CCH that is built once and thrown away: a
//! nested dissection by breadth-first level sets and, in big cells, one
//! inertial-flow cut, about a tenth of the instructions of
//! [`super::nested_dissection_order`] for a somewhat worse hierarchy (on
//! Berlin-Center 127k edges instead of 108k; 185k by level sets alone).
//! For a hierarchy used by one computation (the relative gap of an
//! assignment), where the full order would cost more than everything it
//! saves.
//!
//! A connected cell is searched breadth-first from a vertex far from an
//! arbitrary start (one sweep to find it, one from it); every level set of
//! that search separates the levels before it from those after it, since
//! an edge joins vertices at most one level apart. The smallest level set
//! with 20 % to 80 % of the cell before it (from either end) is a
//! separator; in a cell of [`FLOW_MIN_CELL`] vertices or more, the least
//! vertex separator between the two ends of the first search's order (a
//! unit-capacity flow, [`super::flow`], the breadth-first order standing in
//! for the coordinates inertial flow sorts by) replaces it if smaller. The
//! separator goes to the top of the cell's rank range, and the rest is
//! dissected again, component by component.

use super::flow::{CellGraph, FlowCut};
use super::order::undirected;
use crate::csr::{Csr, VertexIdx};

/// Cells this small are ranked as they come.
const SMALL_CELL: usize = 8;

/// A separator level must have at least this share (in percent) of its
/// cell before it and after it. On Berlin-Center (13,846 vertices), 20 %
/// gives 185k edges and 76k in the gap pass's sweep; 30 % 197k and 84k,
/// 40 % 227k and 98k, 10 % 197k and 81k but an elimination tree half as
/// deep again: a small level set away from the middle beats a big one in
/// it.
const BAND_PERCENT: usize = 20;

/// Cells of at least this many vertices also try an inertial-flow cut
/// between the two ends of the first breadth-first order. On
/// Berlin-Center (13,846 vertices) the flows cost 87 million instructions
/// and take the hierarchy from 185k edges and 6.6 million lower triangles
/// to 127k and 1.8 million, and the gap pass's sweep from 75k edges to
/// 51k: the gap pass 480 million instead of 669. From 500 to 2,000
/// vertices the pass costs about the same; flows from both ends make a
/// better hierarchy that costs more than it saves; at 4,000 and more the
/// sweep stays larger (docs/benchmarks.md). Tests cut small cells too, to
/// exercise it.
const FLOW_MIN_CELL: usize = if cfg!(test) { 16 } else { 1000 };

/// The share (in percent) of a cell, at each end of the breadth-first
/// order, merged into the flow's source and sink: each side of its cut
/// keeps at least this share. 25 % gives a somewhat better hierarchy for
/// a dearer flow (a wider band), 40 % a worse one.
const FLOW_ENDS_PERCENT: usize = 35;

/// A nested-dissection order of `g` by breadth-first level sets:
/// `order[r]` is the vertex of rank `r`.
///
/// # Complexity
/// Three breadth-first searches of each cell per dissection level:
/// O((n + m) log n) on graphs that split evenly.
///
/// # Example
/// ```
/// use corridor_graph::{Csr, VertexIdx as V};
/// use corridor_graph::cch::level_set_order;
/// let (g, _) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2))]);
/// assert_eq!(level_set_order(&g).len(), 3);
/// ```
pub fn level_set_order(g: &Csr) -> Vec<VertexIdx> {
    let n = g.n_vertices();
    let (first, adj) = undirected(g);
    let mut d = Bisection {
        first: &first,
        adj: &adj,
        cell: vec![0; n],
        level: vec![u32::MAX; n],
        next_cell: 1,
        order: vec![VertexIdx(0); n],
        queue: Vec::new(),
        spare: Vec::new(),
        flow: FlowCut::default(),
    };
    let mut work: Vec<(Vec<u32>, usize)> = vec![((0..n as u32).collect(), 0)];
    while let Some((verts, lo)) = work.pop() {
        d.dissect(verts, lo, &mut work);
    }
    d.order
}

struct Bisection<'a> {
    first: &'a [u32],
    adj: &'a [u32],
    /// The cell each vertex is in now.
    cell: Vec<u32>,
    /// Breadth-first levels, `u32::MAX` between searches.
    level: Vec<u32>,
    next_cell: u32,
    order: Vec<VertexIdx>,
    queue: Vec<u32>,
    /// The first search's visiting order, kept for the flow while the
    /// second search fills `queue`.
    spare: Vec<u32>,
    flow: FlowCut,
}

impl Bisection<'_> {
    /// Ranks `verts` in `lo..lo + verts.len()` or queues its parts.
    fn dissect(&mut self, verts: Vec<u32>, lo: usize, work: &mut Vec<(Vec<u32>, usize)>) {
        if verts.len() <= SMALL_CELL {
            for (i, &v) in verts.iter().enumerate() {
                self.order[lo + i] = VertexIdx(v);
            }
            return;
        }
        let id = self.next_cell;
        self.next_cell += 1;
        for &v in &verts {
            self.cell[v as usize] = id;
        }
        // The component of the first vertex; if it misses some, every
        // component is a cell of its own.
        self.search(verts[0], id);
        if self.queue.len() < verts.len() {
            let mut comps = vec![std::mem::take(&mut self.queue)];
            for &v in &verts {
                if self.level[v as usize] == u32::MAX {
                    self.search(v, id);
                    comps.push(std::mem::take(&mut self.queue));
                }
            }
            let mut at = lo;
            for comp in comps {
                self.clear_levels(&comp);
                let len = comp.len();
                work.push((comp, at));
                at += len;
            }
            return;
        }
        let far = *self.queue.last().unwrap_or(&verts[0]);
        let seen = std::mem::take(&mut self.queue);
        self.clear_levels(&seen);
        self.queue = seen;
        // Level sets from `far` and from the vertex farthest from it (the
        // other end of the cell): the smaller separator wins.
        self.search(far, id);
        let by_far = std::mem::replace(&mut self.queue, std::mem::take(&mut self.spare));
        let mut sep = self.level_separator(&by_far);
        let other = *by_far.last().unwrap_or(&far);
        self.clear_levels(&by_far);
        self.search(other, id);
        let sep2 = self.level_separator(&self.queue);
        if sep2.len() < sep.len() {
            sep = sep2;
        }
        let by_other = std::mem::take(&mut self.queue);
        self.clear_levels(&by_other);
        self.queue = by_other;
        if verts.len() >= FLOW_MIN_CELL {
            // The level sets' separator bounds the flow: it stops as soon as
            // it cannot beat it.
            let g = CellGraph {
                first: self.first,
                adj: self.adj,
                cell: &self.cell,
                id,
            };
            let ends = verts.len() * FLOW_ENDS_PERCENT / 100;
            if let Some(cut) = self.flow.separator(&g, &by_far, ends, sep.len())
                && !cut.is_empty()
            {
                sep = cut;
            }
        }
        self.spare = by_far;
        let top = lo + verts.len() - sep.len();
        for (i, &v) in sep.iter().enumerate() {
            self.order[top + i] = VertexIdx(v);
            self.cell[v as usize] = 0;
        }
        let rest: Vec<u32> = verts
            .into_iter()
            .filter(|&v| self.cell[v as usize] == id)
            .collect();
        work.push((rest, lo));
    }

    /// Breadth-first search of cell `id` from `s`: visiting order in
    /// `queue` (so by level), levels in `level`.
    fn search(&mut self, s: u32, id: u32) {
        self.queue.clear();
        self.queue.push(s);
        self.level[s as usize] = 0;
        let mut i = 0;
        while i < self.queue.len() {
            let v = self.queue[i] as usize;
            i += 1;
            let l = self.level[v] + 1;
            for &h in &self.adj[self.first[v] as usize..self.first[v + 1] as usize] {
                if self.cell[h as usize] == id && self.level[h as usize] == u32::MAX {
                    self.level[h as usize] = l;
                    self.queue.push(h);
                }
            }
        }
    }

    fn clear_levels(&mut self, verts: &[u32]) {
        for &v in verts {
            self.level[v as usize] = u32::MAX;
        }
    }

    /// The smallest separator at a level of `by_level` (vertices in
    /// level order) with [`BAND_PERCENT`] of the vertices or more before
    /// it and after it (see [`Self::boundary`]).
    fn level_separator(&self, by_level: &[u32]) -> Vec<u32> {
        let n = by_level.len();
        let (lo, hi) = (n * BAND_PERCENT / 100, n * (100 - BAND_PERCENT) / 100);
        let mut best = (usize::MAX, 0, 0);
        let mut start = 0;
        while start < n {
            let l = self.level[by_level[start] as usize];
            let mut end = start;
            while end < n && self.level[by_level[end] as usize] == l {
                end += 1;
            }
            if start >= lo && start <= hi && end - start < best.0 {
                best = (end - start, start, end);
            }
            start = end;
        }
        if best.0 == usize::MAX {
            // No level starts in the middle band (a long thin cell has
            // many small levels, so this is a cell of few levels): the
            // level holding the median.
            let m = self.level[by_level[n / 2] as usize];
            return by_level
                .iter()
                .copied()
                .filter(|&v| self.level[v as usize] == m)
                .collect();
        }
        self.boundary(by_level, best.1, best.2)
    }

    /// The smaller of two separators around the level set
    /// `by_level[start..end]` (level `l`): its vertices with a neighbour on
    /// level `l + 1`, or the level `l + 1` vertices with a neighbour on
    /// level `l`. Either cuts every edge between the levels before and
    /// after it (a level-`l` vertex without a neighbour on `l + 1` joins
    /// the earlier side).
    fn boundary(&self, by_level: &[u32], start: usize, end: usize) -> Vec<u32> {
        let l = self.level[by_level[start] as usize];
        let next = by_level[end..]
            .iter()
            .take_while(|&&v| self.level[v as usize] == l + 1);
        let touching = |v: u32, other: u32| {
            self.adj[self.first[v as usize] as usize..self.first[v as usize + 1] as usize]
                .iter()
                .any(|&h| self.level[h as usize] == other)
        };
        let down: Vec<u32> = by_level[start..end]
            .iter()
            .copied()
            .filter(|&v| touching(v, l + 1))
            .collect();
        let up: Vec<u32> = next.copied().filter(|&v| touching(v, l)).collect();
        // Both are empty when `l` is the last level: the level set itself
        // (never empty) still separates, and the cell shrinks.
        match (up.is_empty(), down.is_empty()) {
            (true, true) => by_level[start..end].to_vec(),
            (false, true) => up,
            (true, false) => down,
            _ if up.len() < down.len() => up,
            _ => down,
        }
    }
}
