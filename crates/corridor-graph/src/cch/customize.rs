//! Customization: the weights of every CCH edge for one arc weight vector
//! (basic customization over lower triangles), and what each weight is
//! made of, so that queries can unpack shortcuts.

use super::contract::{Cch, NONE};
use crate::shortest_path::INFINITY;
use rayon::prelude::*;

/// Marks a `via` entry as a shortcut through the lower vertex of that rank
/// (else it is the input arc giving the weight, or [`NONE`]).
pub(crate) const SHORTCUT: u32 = 1 << 31;

/// A level with at least this many lower triangles in all runs its
/// vertices in parallel; lighter levels run on the calling thread, where
/// rayon's fork would cost more than the work. Deciding by work, not by
/// vertex count, matters: the top separators of a nested dissection are
/// hundreds of levels of one or two heavy vertices and hold most of the
/// triangles (60 % on the generated 1.2M-link network when small levels
/// ran on one thread).
const PARALLEL_LEVEL_WORK: u64 = if cfg!(test) { 64 } else { 1 << 16 };

/// A vertex with at least this many lower triangles has them split among
/// threads in chunks of about this much work (see
/// [`CchMetric::relax_lower_triangles`]). Tests split small vertices too,
/// to exercise it.
const SPLIT_WORK: u64 = if cfg!(test) { 16 } else { 1 << 15 };

/// Scratch maps (rank → position among one vertex's upward edges, all
/// [`NONE`] between uses), one per vertex being relaxed at a time: taken
/// and given back rather than per thread, because a thread waiting inside
/// one vertex's split may steal another vertex's work.
struct SlotPool {
    n: usize,
    free: std::sync::Mutex<Vec<Vec<u32>>>,
}

impl SlotPool {
    fn take(&self) -> Vec<u32> {
        let got = self.free.lock().map(|mut f| f.pop()).unwrap_or(None);
        got.unwrap_or_else(|| vec![NONE; self.n])
    }
    fn give(&self, slot: Vec<u32>) {
        if let Ok(mut f) = self.free.lock() {
            f.push(slot);
        }
    }
}

/// One weighting of a [`Cch`]: forward and backward weight of every edge
/// and how each was obtained. Built by [`Cch::customize`]; queries borrow
/// it with its hierarchy.
#[derive(Clone, Debug)]
pub struct CchMetric<'c> {
    pub(crate) cch: Hierarchy<'c>,
    pub(crate) fwd: Vec<f64>,
    pub(crate) bwd: Vec<f64>,
    pub(crate) fwd_via: Vec<u32>,
    pub(crate) bwd_via: Vec<u32>,
}

/// The hierarchy a metric weights: borrowed, or shared so that a metric
/// can be kept (cached) beside its hierarchy.
#[derive(Clone, Debug)]
pub(crate) enum Hierarchy<'c> {
    Borrowed(&'c Cch),
    Shared(std::sync::Arc<Cch>),
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
    /// are independent and run in parallel (rayon) when the level has work
    /// enough, and a heavy vertex splits its lower triangles among threads;
    /// the result does not depend on the number of threads.
    ///
    /// Panics if `weight` has not one entry per input arc.
    ///
    /// # Complexity
    /// O(number of lower triangles) = O(Σ |up(v)|²) work.
    pub fn customize(&self, weight: &[f64]) -> CchMetric<'_> {
        self.customize_for(weight, Hierarchy::Borrowed(self))
    }

    /// [`Cch::customize`] on a shared hierarchy: the metric holds the
    /// hierarchy, so it can be kept without borrowing (a server keeps one
    /// per commodity, objective and scenario).
    pub fn customize_shared(cch: &std::sync::Arc<Cch>, weight: &[f64]) -> CchMetric<'static> {
        cch.customize_for(weight, Hierarchy::Shared(cch.clone()))
    }

    fn customize_for<'c>(&self, weight: &[f64], hierarchy: Hierarchy<'c>) -> CchMetric<'c> {
        assert_eq!(weight.len(), self.n_arcs(), "one weight per input arc");
        let m = self.n_edges();
        let mut mt = CchMetric {
            cch: hierarchy,
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
        let pool = SlotPool {
            n: self.n_vertices(),
            free: std::sync::Mutex::new(Vec::new()),
        };
        for l in 0..self.level_first.len().saturating_sub(1) {
            let ranks =
                &self.level_ranks[self.level_first[l] as usize..self.level_first[l + 1] as usize];
            let work: u64 = ranks.iter().map(|&u| self.triangles[u as usize]).sum();
            let updates: Vec<EdgeUpdate> = if ranks.len() > 1 && work >= PARALLEL_LEVEL_WORK {
                ranks
                    .par_iter()
                    .map(|&u| mt.relax_lower_triangles(u, &pool))
                    .collect()
            } else {
                ranks
                    .iter()
                    .map(|&u| mt.relax_lower_triangles(u, &pool))
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
    /// edges are final because `v` is on a lower level.
    ///
    /// A vertex with [`SPLIT_WORK`] triangles or more relaxes its lower
    /// neighbours in parallel chunks of about that much work, each on its
    /// own copy of the weights, merged by least weight (the earlier chunk
    /// on ties, so the result is the sequential one whatever the threads).
    fn relax_lower_triangles(&self, u: u32, pool: &SlotPool) -> EdgeUpdate {
        let c = self.cch();
        let mut slot = pool.take();
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
        let work = c.triangles[u as usize];
        if work >= SPLIT_WORK && downs.len() > 1 {
            let chunks = work.div_ceil(SPLIT_WORK).min(downs.len() as u64) as usize;
            let slot: &[u32] = &slot;
            let base = &upd;
            upd = downs
                .par_chunks(downs.len().div_ceil(chunks))
                .fold(
                    || base.clone(),
                    |mut acc, chunk| {
                        self.relax_through(chunk, slot, &mut acc);
                        acc
                    },
                )
                .reduce(|| base.clone(), merge_least);
        } else {
            self.relax_through(downs, &slot, &mut upd);
        }
        for e in lo..hi {
            slot[c.up_head[e] as usize] = NONE;
        }
        pool.give(slot);
        upd
    }

    /// Relaxes `u`'s edges (in `upd`, positions by `slot`) through the
    /// lower triangles of the edges `downs` (edges `{v, u}`, `v < u`).
    fn relax_through(&self, downs: &[u32], slot: &[u32], upd: &mut EdgeUpdate) {
        let c = self.cch();
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
        match &self.cch {
            Hierarchy::Borrowed(c) => c,
            Hierarchy::Shared(c) => c,
        }
    }
    /// Heap bytes held by the weights.
    pub fn heap_bytes(&self) -> usize {
        8 * (self.fwd.capacity() + self.bwd.capacity())
            + 4 * (self.fwd_via.capacity() + self.bwd_via.capacity())
    }
}
