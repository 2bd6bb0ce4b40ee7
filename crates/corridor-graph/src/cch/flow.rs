//! Inertial flow (Schild and Sommer 2015, as RoutingKit orders CCHs): the
//! smallest vertex separator between the two ends of a cell sorted along a
//! direction, by a unit vertex-capacity maximum flow.
//!
//! The first and last fraction of the sorted vertices are joined to a
//! source and a sink; every vertex is split into an *in* and an *out* node
//! joined by an arc of capacity 1, every edge of the cell becomes two arcs
//! of unbounded capacity between the split nodes. A maximum flow (Dinic,
//! unit pushes, iterative searches so that long paths cannot overflow the
//! stack) saturates a minimum set of vertex arcs: the vertices the residual
//! graph reaches the *in* node of but not the *out* node of separate the
//! source side from the sink side. A geometric cut only sees where the
//! vertices lie; the flow finds the narrowest place between the two ends,
//! which on networks with a few long links (sea lanes, trunk railways) is
//! often much smaller.

/// No node, no level.
const NONE: u32 = u32::MAX;
/// The capacity of an edge arc: never the bottleneck.
const UNBOUNDED: u32 = u32::MAX / 2;

/// A flow network over one cell, rebuilt per cut (the cell's local ids are
/// positions in the sorted list).
#[derive(Default)]
pub(crate) struct FlowCut {
    /// Local id of each global vertex in the current cell, else [`NONE`].
    local: Vec<u32>,
    /// Arcs in pairs (`a`, `a ^ 1` its reverse): head and residual capacity.
    head: Vec<u32>,
    cap: Vec<u32>,
    /// Arcs out of each node: `arcs[first[x]..first[x + 1]]`.
    first: Vec<u32>,
    arcs: Vec<u32>,
    level: Vec<u32>,
    next: Vec<u32>,
}

/// The undirected graph a cell lives in, and which vertices are in it.
pub(crate) struct CellGraph<'a> {
    pub first: &'a [u32],
    pub adj: &'a [u32],
    /// Cell id per vertex; the cell is the vertices with id `id`.
    pub cell: &'a [u32],
    pub id: u32,
}

impl FlowCut {
    /// The minimum vertex separator between the first and the last `ends`
    /// vertices of `sorted` (a connected cell of `g` in the order of one
    /// direction), or `None` if it has `limit` vertices or more (a
    /// separator that large is not wanted, so the flow stops there).
    pub(crate) fn separator(
        &mut self,
        g: &CellGraph<'_>,
        sorted: &[u32],
        ends: usize,
        limit: usize,
    ) -> Option<Vec<u32>> {
        let k = sorted.len();
        if ends == 0 || 2 * ends > k {
            return None;
        }
        if !self.build(g, sorted, ends) {
            self.forget(sorted);
            return None;
        }
        let (s, t) = (2 * k as u32, 2 * k as u32 + 1);
        let mut flow = 0usize;
        while self.levels(s, t) {
            self.next.clear();
            self.next.extend_from_slice(&self.first[..2 * k + 2]);
            while self.augment(s, t) {
                flow += 1;
                if flow >= limit {
                    self.forget(sorted);
                    return None;
                }
            }
        }
        // `levels` left the residual reach of the source in `level`.
        let sep = sorted
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.level[2 * i] != NONE && self.level[2 * i + 1] == NONE)
            .map(|(_, &v)| v)
            .collect();
        self.forget(sorted);
        Some(sep)
    }

    fn forget(&mut self, sorted: &[u32]) {
        for &v in sorted {
            self.local[v as usize] = NONE;
        }
    }

    /// The split graph: node `2i` is the *in* node of `sorted[i]`, `2i + 1`
    /// its *out* node, `2k` the source, `2k + 1` the sink. The first and
    /// last `ends` vertices are merged into the source and the sink (their
    /// split nodes stay unused), so the flow runs on the middle band only.
    /// False if an edge joins the two ends (no separator in the band).
    fn build(&mut self, g: &CellGraph<'_>, sorted: &[u32], ends: usize) -> bool {
        let k = sorted.len();
        let n = g.first.len() - 1;
        if self.local.len() != n {
            self.local = vec![NONE; n];
        }
        for (i, &v) in sorted.iter().enumerate() {
            self.local[v as usize] = i as u32;
        }
        self.head.clear();
        self.cap.clear();
        let mut tail: Vec<u32> = Vec::new();
        let mut arc = |tail: &mut Vec<u32>, from: u32, to: u32, cap: u32| {
            tail.push(from);
            self.head.push(to);
            self.cap.push(cap);
            tail.push(to);
            self.head.push(from);
            self.cap.push(0);
        };
        let (s, t) = (2 * k as u32, 2 * k as u32 + 1);
        let sink_from = (k - ends) as u32;
        for (i, &v) in sorted.iter().enumerate() {
            let i = i as u32;
            let in_source = i < ends as u32;
            let in_sink = i >= sink_from;
            if !in_source && !in_sink {
                arc(&mut tail, 2 * i, 2 * i + 1, 1);
            }
            let nb = &g.adj[g.first[v as usize] as usize..g.first[v as usize + 1] as usize];
            for &h in nb {
                if g.cell[h as usize] != g.id {
                    continue;
                }
                let j = self.local[h as usize];
                let (j_source, j_sink) = (j < ends as u32, j >= sink_from);
                // Each edge once per direction it can carry flow toward the
                // sink: from `v` (or the source) into `h` (or the sink).
                let from = if in_source { s } else { 2 * i + 1 };
                let to = if j_sink { t } else { 2 * j };
                if in_sink || j_source {
                    continue;
                }
                if in_source && j_sink {
                    return false;
                }
                arc(&mut tail, from, to, UNBOUNDED);
            }
        }
        // Arcs by tail (counting sort).
        let nodes = 2 * k + 2;
        self.first.clear();
        self.first.resize(nodes + 1, 0);
        for &x in &tail {
            self.first[x as usize + 1] += 1;
        }
        for x in 0..nodes {
            self.first[x + 1] += self.first[x];
        }
        self.next.clear();
        self.next.extend_from_slice(&self.first[..nodes]);
        self.arcs.clear();
        self.arcs.resize(tail.len(), 0);
        for (a, &x) in tail.iter().enumerate() {
            self.arcs[self.next[x as usize] as usize] = a as u32;
            self.next[x as usize] += 1;
        }
        self.level.clear();
        self.level.resize(nodes, NONE);
        true
    }

    /// Breadth-first levels over arcs with capacity left; whether the sink
    /// is reached.
    fn levels(&mut self, s: u32, t: u32) -> bool {
        self.level.iter_mut().for_each(|l| *l = NONE);
        let mut queue = vec![s];
        self.level[s as usize] = 0;
        let mut i = 0;
        while i < queue.len() {
            let x = queue[i] as usize;
            i += 1;
            // Nodes at the sink's level or beyond lead nowhere shorter.
            if self.level[t as usize] != NONE && self.level[x] >= self.level[t as usize] {
                break;
            }
            for &a in &self.arcs[self.first[x] as usize..self.first[x + 1] as usize] {
                let h = self.head[a as usize] as usize;
                if self.cap[a as usize] > 0 && self.level[h] == NONE {
                    self.level[h] = self.level[x] + 1;
                    queue.push(h as u32);
                }
            }
        }
        self.level[t as usize] != NONE
    }

    /// One unit along a shortest residual path (levels rising by one),
    /// searched depth first with current-arc pointers; dead ends leave the
    /// level graph. Whether a path was found.
    fn augment(&mut self, s: u32, t: u32) -> bool {
        let mut path: Vec<u32> = Vec::new();
        let mut x = s;
        loop {
            if x == t {
                for &a in &path {
                    self.cap[a as usize] -= 1;
                    self.cap[a as usize ^ 1] += 1;
                }
                return true;
            }
            let end = self.first[x as usize + 1];
            let mut advanced = false;
            while self.next[x as usize] < end {
                let a = self.arcs[self.next[x as usize] as usize];
                let h = self.head[a as usize];
                if self.cap[a as usize] > 0
                    && self.level[h as usize] != NONE
                    && self.level[h as usize] == self.level[x as usize] + 1
                {
                    path.push(a);
                    x = h;
                    advanced = true;
                    break;
                }
                self.next[x as usize] += 1;
            }
            if advanced {
                continue;
            }
            // Dead end: drop `x` from the level graph and step back.
            self.level[x as usize] = NONE;
            match path.pop() {
                Some(a) => {
                    x = self.head[a as usize ^ 1];
                    self.next[x as usize] += 1;
                }
                None => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w × h` grid's undirected CSR (vertex `x + w y`).
    fn grid(w: u32, h: u32) -> (Vec<u32>, Vec<u32>) {
        let mut first = vec![0u32];
        let mut adj = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let v = x + w * y;
                if y > 0 {
                    adj.push(v - w);
                }
                if x > 0 {
                    adj.push(v - 1);
                }
                if x + 1 < w {
                    adj.push(v + 1);
                }
                if y + 1 < h {
                    adj.push(v + w);
                }
                first.push(adj.len() as u32);
            }
        }
        (first, adj)
    }

    /// Whether removing `sep` leaves no path from the first `ends` of
    /// `sorted` to the last `ends`.
    fn separates(first: &[u32], adj: &[u32], sorted: &[u32], ends: usize, sep: &[u32]) -> bool {
        let n = first.len() - 1;
        let mut blocked = vec![false; n];
        sep.iter().for_each(|&v| blocked[v as usize] = true);
        let mut seen = vec![false; n];
        let mut stack: Vec<u32> = sorted[..ends]
            .iter()
            .copied()
            .filter(|&v| !blocked[v as usize])
            .collect();
        stack.iter().for_each(|&v| seen[v as usize] = true);
        while let Some(v) = stack.pop() {
            for &h in &adj[first[v as usize] as usize..first[v as usize + 1] as usize] {
                if !blocked[h as usize] && !seen[h as usize] {
                    seen[h as usize] = true;
                    stack.push(h);
                }
            }
        }
        sorted[sorted.len() - ends..]
            .iter()
            .all(|&v| !seen[v as usize])
    }

    #[test]
    fn the_flow_cuts_a_grid_across_its_narrow_side_even_sorted_diagonally() {
        let (w, h) = (30u32, 8u32);
        let (first, adj) = grid(w, h);
        let cell = vec![1u32; (w * h) as usize];
        let g = CellGraph {
            first: &first,
            adj: &adj,
            cell: &cell,
            id: 1,
        };
        let mut by_x: Vec<u32> = (0..w * h).collect();
        by_x.sort_by_key(|&v| (v % w, v / w));
        let mut diagonal: Vec<u32> = (0..w * h).collect();
        diagonal.sort_by_key(|&v| (v % w + v / w, v));
        let mut flow = FlowCut::default();
        for sorted in [by_x, diagonal] {
            let ends = sorted.len() / 4;
            let sep = flow.separator(&g, &sorted, ends, usize::MAX).unwrap();
            assert_eq!(sep.len(), h as usize, "{sep:?}");
            assert!(separates(&first, &adj, &sorted, ends, &sep));
        }
        // Too large for the limit: no separator.
        let sorted: Vec<u32> = (0..w * h).collect();
        assert_eq!(flow.separator(&g, &sorted, 60, 8), None);
    }

    #[test]
    fn ends_joined_by_an_edge_have_no_separator_in_the_band() {
        let (first, adj) = grid(4, 1);
        // Path 0-1-2-3 sorted so that the ends 1 and 2 touch.
        let cell = vec![1u32; 4];
        let g = CellGraph {
            first: &first,
            adj: &adj,
            cell: &cell,
            id: 1,
        };
        let mut flow = FlowCut::default();
        assert_eq!(flow.separator(&g, &[1, 0, 3, 2], 1, usize::MAX), None);
        assert_eq!(
            flow.separator(&g, &[0, 1, 2, 3], 1, usize::MAX),
            Some(vec![1])
        );
    }
}
