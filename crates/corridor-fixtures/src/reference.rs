//! Slow, obviously correct shortest-path oracles for property tests.
//!
//! These share nothing with the fast algorithms in `corridor-graph` except
//! the [`Csr`] accessors: no heap, no reusable state, no early exit. They are
//! meant for graphs of at most a few thousand arcs and are never used by the
//! product.

use corridor_graph::{Csr, VertexIdx};

/// Bellman–Ford: relaxes every arc in CSR order, pass after pass, until a
/// pass changes nothing. Arcs with an infinite or NaN weight are absent.
/// Returns the distance of every vertex (`f64::INFINITY` when unreached).
///
/// `sources` are (vertex, initial distance) pairs, as for
/// `corridor_graph::ShortestPath::run`. Weights must be non-negative (the
/// graphs we route on have no negative arcs; with a negative cycle this
/// would stop after `n` passes with meaningless values).
///
/// Complexity: O(n · m). Reference: R. Bellman, "On a routing problem",
/// Quarterly of Applied Mathematics 16 (1958).
pub fn bellman_ford(csr: &Csr, weight: &[f64], sources: &[(VertexIdx, f64)]) -> Vec<f64> {
    assert_eq!(weight.len(), csr.n_arcs(), "one weight per arc");
    let n = csr.n_vertices();
    let mut dist = vec![f64::INFINITY; n];
    for &(s, d0) in sources {
        if d0 < dist[s.index()] {
            dist[s.index()] = d0;
        }
    }
    let tails = csr.tails();
    for _pass in 0..=n {
        let mut changed = false;
        for a in csr.arcs() {
            let w = weight[a.index()];
            if !w.is_finite() {
                continue;
            }
            let du = dist[tails[a.index()].index()];
            if du == f64::INFINITY {
                continue;
            }
            let h = csr.head(a).index();
            if du + w < dist[h] {
                dist[h] = du + w;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    dist
}

/// The least cost of a walk from `s` to `t` found by enumerating every
/// simple path with a depth-first search (exponential: tiny graphs only).
/// With non-negative weights a shortest walk may be taken simple, so this
/// equals the shortest distance. Returns `None` when `t` is unreachable.
pub fn brute_force_shortest(csr: &Csr, weight: &[f64], s: VertexIdx, t: VertexIdx) -> Option<f64> {
    fn dfs(
        csr: &Csr,
        weight: &[f64],
        v: VertexIdx,
        t: VertexIdx,
        cost: f64,
        on_path: &mut [bool],
        best: &mut Option<f64>,
    ) {
        if v == t {
            if best.is_none_or(|b| cost < b) {
                *best = Some(cost);
            }
            return;
        }
        on_path[v.index()] = true;
        for a in csr.out_arcs(v) {
            let h = csr.head(a);
            if weight[a.index()].is_finite() && !on_path[h.index()] {
                dfs(csr, weight, h, t, cost + weight[a.index()], on_path, best);
            }
        }
        on_path[v.index()] = false;
    }
    let mut best = None;
    let mut on_path = vec![false; csr.n_vertices()];
    dfs(csr, weight, s, t, 0.0, &mut on_path, &mut best);
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracles_agree_on_a_diamond_with_a_closed_arc() {
        // 0->1 (1), 0->2 (4), 1->2 (inf: closed), 1->3 (5), 2->3 (1), 3->0 (0)
        let v = VertexIdx;
        let arcs = [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (3, 0)].map(|(t, h)| (v(t), v(h)));
        let w_in = [1.0, 4.0, f64::INFINITY, 5.0, 1.0, 0.0];
        let (g, order) = Csr::from_arcs(5, &arcs);
        let w: Vec<f64> = order.iter().map(|&i| w_in[i as usize]).collect();
        let d = bellman_ford(&g, &w, &[(v(0), 0.0)]);
        assert_eq!(&d[..4], &[0.0, 1.0, 4.0, 5.0]);
        assert_eq!(d[4], f64::INFINITY);
        for t in g.vertices() {
            let b = brute_force_shortest(&g, &w, v(0), t);
            assert_eq!(b.unwrap_or(f64::INFINITY), d[t.index()]);
        }
    }
}
