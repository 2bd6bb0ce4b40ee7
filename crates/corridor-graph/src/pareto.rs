//! Bicriteria shortest paths: every Pareto-optimal (non-dominated) pair of
//! totals `(w1, w2)` from a set of sources to a set of targets, with a path
//! for each — e.g. every route not both dearer and slower than another.
//!
//! Martins' label-setting algorithm: labels leave a priority queue in
//! lexicographic order of `(w1, w2)`; a label is kept only if no label
//! already settled at its vertex, nor any label settled at a target, is at
//! least as good in both criteria. Labels with equal totals are merged, so
//! each distinct non-dominated pair appears once.
//!
//! Complexity: output-sensitive; worst case exponential in the number of
//! vertices (the Pareto set itself can be that large), so `max_labels`
//! bounds the work and the call fails rather than running away.
//!
//! Reference: E. Q. V. Martins, "On a multicriteria shortest path problem",
//! European Journal of Operational Research 16 (1984) 236–245.

use crate::csr::{ArcIdx, Csr, VertexIdx};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One non-dominated path.
#[derive(Clone, Debug, PartialEq)]
pub struct ParetoPath {
    pub w1: f64,
    pub w2: f64,
    pub arcs: Vec<ArcIdx>,
}

/// The label budget ran out before the Pareto set was complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyLabels(pub usize);

struct Label {
    w1: f64,
    w2: f64,
    vertex: VertexIdx,
    pred: u32,
    arc: ArcIdx,
}

#[derive(PartialEq)]
struct Key(f64, f64, u32);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    // Reversed: BinaryHeap is a max-heap and we want the smallest first.
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0)
            .then(o.1.total_cmp(&self.1))
            .then(o.2.cmp(&self.2))
    }
}

const NONE: u32 = u32::MAX;

fn dominated(settled: &[(f64, f64)], w1: f64, w2: f64) -> bool {
    settled.iter().any(|&(a, b)| a <= w1 && b <= w2)
}

/// Every non-dominated `(Σ w1, Σ w2)` path from any source to any target,
/// sorted by `w1`. Arcs whose weight is infinite in either criterion are
/// absent. Fails with [`TooManyLabels`] after creating `max_labels` labels.
pub fn pareto_paths(
    g: &Csr,
    w1: &[f64],
    w2: &[f64],
    sources: &[VertexIdx],
    targets: &[VertexIdx],
    max_labels: usize,
) -> Result<Vec<ParetoPath>, TooManyLabels> {
    let n = g.n_vertices();
    let mut is_target = vec![false; n];
    for &t in targets {
        is_target[t.index()] = true;
    }
    let mut labels: Vec<Label> = Vec::new();
    let mut settled: Vec<Vec<(f64, f64)>> = vec![Vec::new(); n];
    let mut at_targets: Vec<(f64, f64)> = Vec::new();
    let mut found: Vec<u32> = Vec::new();
    let mut heap = BinaryHeap::new();
    for &s in sources {
        labels.push(Label {
            w1: 0.0,
            w2: 0.0,
            vertex: s,
            pred: NONE,
            arc: ArcIdx(NONE),
        });
        heap.push(Key(0.0, 0.0, labels.len() as u32 - 1));
    }
    while let Some(Key(a, b, li)) = heap.pop() {
        let v = labels[li as usize].vertex;
        if dominated(&settled[v.index()], a, b) || dominated(&at_targets, a, b) {
            continue;
        }
        settled[v.index()].push((a, b));
        if is_target[v.index()] {
            at_targets.push((a, b));
            found.push(li);
        }
        for arc in g.out_arcs(v) {
            let (x, y) = (w1[arc.index()], w2[arc.index()]);
            if x.is_nan() || y.is_nan() || x == f64::INFINITY || y == f64::INFINITY {
                continue;
            }
            let h = g.head(arc);
            let (na, nb) = (a + x, b + y);
            if dominated(&settled[h.index()], na, nb) || dominated(&at_targets, na, nb) {
                continue;
            }
            if labels.len() >= max_labels {
                return Err(TooManyLabels(max_labels));
            }
            labels.push(Label {
                w1: na,
                w2: nb,
                vertex: h,
                pred: li,
                arc,
            });
            heap.push(Key(na, nb, labels.len() as u32 - 1));
        }
    }
    let mut out: Vec<ParetoPath> = found
        .into_iter()
        .map(|li| {
            let (w1, w2) = (labels[li as usize].w1, labels[li as usize].w2);
            let mut arcs = Vec::new();
            let mut cur = li;
            while labels[cur as usize].pred != NONE {
                arcs.push(labels[cur as usize].arc);
                cur = labels[cur as usize].pred;
            }
            arcs.reverse();
            ParetoPath { w1, w2, arcs }
        })
        .collect();
    out.sort_by(|p, q| p.w1.total_cmp(&q.w1).then(p.w2.total_cmp(&q.w2)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every simple path's totals by depth-first enumeration: the oracle.
    fn all_simple(
        g: &Csr,
        w1: &[f64],
        w2: &[f64],
        s: VertexIdx,
        targets: &[VertexIdx],
    ) -> Vec<(f64, f64)> {
        #[allow(clippy::too_many_arguments)]
        fn dfs(
            g: &Csr,
            w1: &[f64],
            w2: &[f64],
            v: VertexIdx,
            a: f64,
            b: f64,
            seen: &mut Vec<bool>,
            t: &[VertexIdx],
            out: &mut Vec<(f64, f64)>,
        ) {
            if t.contains(&v) {
                out.push((a, b));
            }
            for arc in g.out_arcs(v) {
                let h = g.head(arc);
                let (x, y) = (w1[arc.index()], w2[arc.index()]);
                if !seen[h.index()] && x.is_finite() && y.is_finite() {
                    seen[h.index()] = true;
                    dfs(g, w1, w2, h, a + x, b + y, seen, t, out);
                    seen[h.index()] = false;
                }
            }
        }
        let mut seen = vec![false; g.n_vertices()];
        seen[s.index()] = true;
        let mut out = Vec::new();
        dfs(g, w1, w2, s, 0.0, 0.0, &mut seen, targets, &mut out);
        out
    }

    fn front(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
        pts.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)));
        let mut out: Vec<(f64, f64)> = Vec::new();
        for p in pts {
            if !out.iter().any(|q| q.0 <= p.0 && q.1 <= p.1) {
                out.push(p);
            }
        }
        out
    }

    proptest! {
        #[test]
        fn matches_brute_force_on_small_graphs(
            n in 2usize..7,
            raw in proptest::collection::vec((0u32..7, 0u32..7, 0u8..6, 0u8..6, any::<bool>()), 1..18),
        ) {
            let arcs: Vec<(VertexIdx, VertexIdx)> = raw.iter().map(|&(a, b, ..)| (VertexIdx(a % n as u32), VertexIdx(b % n as u32))).collect();
            let (g, order) = Csr::from_arcs(n, &arcs);
            let w1: Vec<f64> = order.iter().map(|&i| raw[i as usize].2 as f64).collect();
            let w2: Vec<f64> = order.iter().map(|&i| if raw[i as usize].4 { f64::INFINITY } else { raw[i as usize].3 as f64 }).collect();
            let target = VertexIdx::from_index(n - 1);
            let got = pareto_paths(&g, &w1, &w2, &[VertexIdx(0)], &[target], 100_000).unwrap();
            let want = front(all_simple(&g, &w1, &w2, VertexIdx(0), &[target]));
            let got_pts: Vec<(f64, f64)> = got.iter().map(|p| (p.w1, p.w2)).collect();
            prop_assert_eq!(&got_pts, &want);
            let tails = g.tails();
            for p in &got {
                let (a, b) = p.arcs.iter().fold((0.0, 0.0), |(a, b), &x| (a + w1[x.index()], b + w2[x.index()]));
                prop_assert_eq!((a, b), (p.w1, p.w2));
                let mut at = VertexIdx(0);
                for &x in &p.arcs { prop_assert_eq!(tails[x.index()], at); at = g.head(x); }
                prop_assert_eq!(at, target);
            }
        }
    }

    #[test]
    fn budget_is_enforced() {
        let (g, _) = Csr::from_arcs(2, &[(VertexIdx(0), VertexIdx(1))]);
        assert_eq!(
            pareto_paths(&g, &[1.0], &[1.0], &[VertexIdx(0)], &[VertexIdx(1)], 1),
            Err(TooManyLabels(1))
        );
    }
}
