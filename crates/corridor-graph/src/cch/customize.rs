//! Customization: the weights of every CCH edge for one arc weight vector
//! (basic customization over lower triangles), and what each weight is
//! made of, so that queries can unpack shortcuts.

use super::contract::{Cch, NONE};
use crate::shortest_path::INFINITY;
use rayon::prelude::*;

/// Marks a `via` entry as a shortcut through the lower vertex of that rank
/// (else it is the input arc giving the weight, or [`NONE`]).
pub(crate) const SHORTCUT: u32 = 1 << 31;

/// Levels smaller than this are customized on the calling thread: rayon's
/// fork costs more than a handful of vertices.
const PARALLEL_LEVEL: usize = 256;

/// A vertex of a small level with at least this many lower neighbours has
/// its triangles split among threads in chunks of this size. The top
/// separators of a nested dissection are one vertex per level and hold
/// most of the triangles, so without this the end of a customization
/// would run on one core. Tests split small vertices too, to exercise it.
const SPLIT_DOWNS: usize = if cfg!(test) { 8 } else { 1024 };

/// One weighting of a [`Cch`]: forward and backward weight of every edge
/// and how each was obtained. Built by [`Cch::customize`]; queries borrow
/// it with its hierarchy.
#[derive(Clone, Debug)]
pub struct CchMetric<'c> {
    pub(crate) cch: &'c Cch,
    pub(crate) fwd: Vec<f64>,
    pub(crate) bwd: Vec<f64>,
    pub(crate) fwd_via: Vec<u32>,
    pub(crate) bwd_via: Vec<u32>,
}

/// The new weights of one vertex's upward edges: (forward, backward,
/// forward via, backward via) per edge.
type EdgeUpdate = Vec<(f64, f64, u32, u32)>;

/// Per edge and direction, the lesser weight of `a` and `b`, `a`'s on ties.
fn merge_least(mut a: EdgeUpdate, b: EdgeUpdate) -> EdgeUpdate {
    for (x, y) in a.iter_mut().zip(b) {
        if y.0 < x.0 {
            (x.0, x.2) = (y.0, y.2);
        }
        if y.1 < x.1 {
            (x.1, x.3) = (y.1, y.3);
        }
    }
    a
}

impl Cch {
    /// Shortest-path weights of every edge for `weight`, one non-negative
    /// weight per input arc in CSR order (infinite or NaN: closed arc;
    /// parallel arcs keep the least). Vertices of one elimination level
    /// are independent and run in parallel (rayon).
    ///
    /// Panics if `weight` has not one entry per input arc.
    ///
    /// # Complexity
    /// O(number of lower triangles) = O(Σ |up(v)|²) work.
    pub fn customize(&self, weight: &[f64]) -> CchMetric<'_> {
        assert_eq!(weight.len(), self.n_arcs(), "one weight per input arc");
        let m = self.n_edges();
        let mut mt = CchMetric {
            cch: self,
            fwd: vec![INFINITY; m],
            bwd: vec![INFINITY; m],
            fwd_via: vec![NONE; m],
            bwd_via: vec![NONE; m],
        };
        for (a, (&ae, &w)) in self.arc_edge.iter().zip(weight).enumerate() {
            // NaN and +inf: the arc stays closed.
            if ae == NONE || w.is_nan() || w == INFINITY {
                continue;
            }
            let e = (ae / 2) as usize;
            let (dst, via) = if ae % 2 == 1 {
                (&mut mt.fwd[e], &mut mt.fwd_via[e])
            } else {
                (&mut mt.bwd[e], &mut mt.bwd_via[e])
            };
            if w < *dst {
                *dst = w;
                *via = a as u32;
            }
        }
        let n = self.n_vertices();
        for l in 0..self.level_first.len().saturating_sub(1) {
            let ranks =
                &self.level_ranks[self.level_first[l] as usize..self.level_first[l + 1] as usize];
            let updates: Vec<EdgeUpdate> = if ranks.len() < PARALLEL_LEVEL {
                let mut slot = vec![NONE; 0];
                ranks
                    .iter()
                    .map(|&u| mt.relax_lower_triangles(u, &mut slot, n, true))
                    .collect()
            } else {
                ranks
                    .par_iter()
                    .map_init(Vec::new, |slot, &u| {
                        mt.relax_lower_triangles(u, slot, n, false)
                    })
                    .collect()
            };
            for (&u, upd) in ranks.iter().zip(updates) {
                let lo = self.up_first[u as usize] as usize;
                for (i, (f, b, fv, bv)) in upd.into_iter().enumerate() {
                    mt.fwd[lo + i] = f;
                    mt.bwd[lo + i] = b;
                    mt.fwd_via[lo + i] = fv;
                    mt.bwd_via[lo + i] = bv;
                }
            }
        }
        mt
    }
}

impl CchMetric<'_> {
    /// The final weights of `u`'s upward edges: each edge `{u, w}` is
    /// improved through every lower triangle `{v, u, w}` (`v < u`), whose
    /// edges are final because `v` is on a lower level. `slot` is scratch
    /// (rank → edge of `u`), left all [`NONE`].
    ///
    /// With `split`, a vertex with many lower neighbours relaxes them in
    /// parallel chunks, each on its own copy of the weights, merged by
    /// least weight (the earlier chunk on ties, so the result does not
    /// depend on the threads).
    fn relax_lower_triangles(
        &self,
        u: u32,
        slot: &mut Vec<u32>,
        n: usize,
        split: bool,
    ) -> EdgeUpdate {
        let c = self.cch;
        if slot.len() != n {
            *slot = vec![NONE; n];
        }
        let (lo, hi) = (
            c.up_first[u as usize] as usize,
            c.up_first[u as usize + 1] as usize,
        );
        let mut upd: EdgeUpdate = (lo..hi)
            .map(|e| (self.fwd[e], self.bwd[e], self.fwd_via[e], self.bwd_via[e]))
            .collect();
        for e in lo..hi {
            slot[c.up_head[e] as usize] = (e - lo) as u32;
        }
        let downs =
            &c.down_edge[c.down_first[u as usize] as usize..c.down_first[u as usize + 1] as usize];
        if split && downs.len() >= SPLIT_DOWNS && !upd.is_empty() {
            let slot: &[u32] = slot;
            let base = &upd;
            upd = downs
                .par_chunks(SPLIT_DOWNS / 2)
                .fold(
                    || base.clone(),
                    |mut acc, chunk| {
                        self.relax_through(chunk, slot, &mut acc);
                        acc
                    },
                )
                .reduce(|| base.clone(), merge_least);
        } else {
            self.relax_through(downs, slot, &mut upd);
        }
        for e in lo..hi {
            slot[c.up_head[e] as usize] = NONE;
        }
        upd
    }

    /// Relaxes `u`'s edges (in `upd`, positions by `slot`) through the
    /// lower triangles of the edges `downs` (edges `{v, u}`, `v < u`).
    fn relax_through(&self, downs: &[u32], slot: &[u32], upd: &mut EdgeUpdate) {
        let c = self.cch;
        for &e_vu in downs {
            let e_vu = e_vu as usize;
            // Edge {v, u}: forward is v → u, backward u → v.
            let (v_to_u, u_to_v) = (self.fwd[e_vu], self.bwd[e_vu]);
            if v_to_u == INFINITY && u_to_v == INFINITY {
                continue;
            }
            let v = c.up_tail[e_vu];
            // v's upper neighbours above u are u's upper neighbours too.
            let rest = e_vu + 1..c.up_first[v as usize + 1] as usize;
            let heads = &c.up_head[rest.clone()];
            let (fwd, bwd) = (&self.fwd[rest.clone()], &self.bwd[rest]);
            for ((&w, &v_to_w), &w_to_v) in heads.iter().zip(fwd).zip(bwd) {
                let x = &mut upd[slot[w as usize] as usize];
                let f = u_to_v + v_to_w;
                if f < x.0 {
                    x.0 = f;
                    x.2 = SHORTCUT | v;
                }
                let b = w_to_v + v_to_u;
                if b < x.1 {
                    x.1 = b;
                    x.3 = SHORTCUT | v;
                }
            }
        }
    }

    /// The hierarchy this metric weights.
    pub fn cch(&self) -> &Cch {
        self.cch
    }
    /// Heap bytes held by the weights.
    pub fn heap_bytes(&self) -> usize {
        8 * (self.fwd.capacity() + self.bwd.capacity())
            + 4 * (self.fwd_via.capacity() + self.bwd_via.capacity())
    }
}
