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
/// [`Weights::relax_vertex`]). Tests split small vertices too,
/// to exercise it.
const SPLIT_WORK: u64 = if cfg!(test) { 16 } else { 1 << 15 };

/// Scratch maps (rank → position among one vertex's upward edges, all
/// [`NONE`] between uses) of parallel levels, one per rayon job: taken and
/// given back rather than per thread, because a thread waiting inside one
/// vertex's split may steal another vertex's work. One thread needs none
/// of this: it keeps one map for the whole customization.
struct SlotPool {
    n: usize,
    free: std::sync::Mutex<Vec<Vec<u32>>>,
}

/// A map taken from a [`SlotPool`], given back when dropped.
struct Slot<'p> {
    pool: &'p SlotPool,
    map: Vec<u32>,
}

impl SlotPool {
    fn take(&self) -> Slot<'_> {
        let got = self.free.lock().map(|mut f| f.pop()).unwrap_or(None);
        Slot {
            pool: self,
            map: got.unwrap_or_else(|| vec![NONE; self.n]),
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Ok(mut f) = self.pool.free.lock() {
            f.push(std::mem::take(&mut self.map));
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

/// One upward edge's weights while its vertex is relaxed: forward,
/// backward, forward via, backward via (side by side, so that a triangle
/// touches one entry, not four arrays).
type EdgeWeights = (f64, f64, u32, u32);

/// Per edge and direction, the lesser weight of `a` and `b`, `a`'s on ties.
fn merge_least(mut a: Vec<EdgeWeights>, b: Vec<EdgeWeights>) -> Vec<EdgeWeights> {
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

/// The weights of every edge being customized (the future
/// [`CchMetric`]'s), apart from the hierarchy so that they can be written
/// while the hierarchy is read.
struct Weights {
    fwd: Vec<f64>,
    bwd: Vec<f64>,
    fwd_via: Vec<u32>,
    bwd_via: Vec<u32>,
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

    /// Levels with little work, and all of them on one thread, run vertex
    /// by vertex on this thread with one scratch map and one edge buffer
    /// (no allocation, no lock per vertex); heavy levels share their
    /// vertices among threads (see [`Weights::relax_level`]).
    fn customize_for<'c>(&self, weight: &[f64], hierarchy: Hierarchy<'c>) -> CchMetric<'c> {
        assert_eq!(weight.len(), self.n_arcs(), "one weight per input arc");
        let mut w = self.input_weights(weight);
        let parallel = rayon::current_num_threads() > 1;
        let pool = SlotPool {
            n: self.n_vertices(),
            free: std::sync::Mutex::new(Vec::new()),
        };
        let mut slot = vec![NONE; self.n_vertices()];
        let mut buf: Vec<EdgeWeights> = Vec::new();
        for l in 0..self.level_first.len().saturating_sub(1) {
            let ranks =
                &self.level_ranks[self.level_first[l] as usize..self.level_first[l + 1] as usize];
            let work: u64 = ranks.iter().map(|&u| self.triangles[u as usize]).sum();
            if parallel && ranks.len() > 1 && work >= PARALLEL_LEVEL_WORK {
                w.relax_level(self, ranks, &pool, &mut buf);
                continue;
            }
            for &u in ranks {
                let (lo, hi) = self.up_range(u);
                buf.clear();
                w.load(lo..hi, &mut buf);
                w.relax_vertex(self, u, &mut slot, &mut buf, parallel);
                w.store(lo, &buf);
            }
        }
        CchMetric {
            cch: hierarchy,
            fwd: w.fwd,
            bwd: w.bwd,
            fwd_via: w.fwd_via,
            bwd_via: w.bwd_via,
        }
    }

    /// Every edge's weights from the input arcs alone: the least weight of
    /// its open arcs in each direction, infinite without one.
    fn input_weights(&self, weight: &[f64]) -> Weights {
        let m = self.n_edges();
        let mut w = Weights {
            fwd: vec![INFINITY; m],
            bwd: vec![INFINITY; m],
            fwd_via: vec![NONE; m],
            bwd_via: vec![NONE; m],
        };
        for (a, (&ae, &x)) in self.arc_edge.iter().zip(weight).enumerate() {
            // NaN and +inf: the arc stays closed.
            if ae == NONE || x.is_nan() || x == INFINITY {
                continue;
            }
            let e = (ae / 2) as usize;
            let (dst, via) = if ae % 2 == 1 {
                (&mut w.fwd[e], &mut w.fwd_via[e])
            } else {
                (&mut w.bwd[e], &mut w.bwd_via[e])
            };
            if x < *dst {
                *dst = x;
                *via = a as u32;
            }
        }
        w
    }

    /// The upward edges of rank `u`, as positions in the edge arrays.
    fn up_range(&self, u: u32) -> (usize, usize) {
        (
            self.up_first[u as usize] as usize,
            self.up_first[u as usize + 1] as usize,
        )
    }
}

impl Weights {
    /// Appends the weights of `edges` to `buf`.
    fn load(&self, edges: std::ops::Range<usize>, buf: &mut Vec<EdgeWeights>) {
        buf.extend(edges.map(|e| (self.fwd[e], self.bwd[e], self.fwd_via[e], self.bwd_via[e])));
    }

    /// Writes `upd` back as the weights of the edges from `lo` on.
    fn store(&mut self, lo: usize, upd: &[EdgeWeights]) {
        for (i, &(f, b, fv, bv)) in upd.iter().enumerate() {
            self.fwd[lo + i] = f;
            self.bwd[lo + i] = b;
            self.fwd_via[lo + i] = fv;
            self.bwd_via[lo + i] = bv;
        }
    }

    /// Relaxes the vertices `ranks` of one level in parallel, each into
    /// its own part of `buf` (one buffer for the level, reused from level
    /// to level) with a scratch map per rayon job, then writes them back.
    fn relax_level(&mut self, c: &Cch, ranks: &[u32], pool: &SlotPool, buf: &mut Vec<EdgeWeights>) {
        buf.clear();
        for &u in ranks {
            let (lo, hi) = c.up_range(u);
            self.load(lo..hi, buf);
        }
        let mut parts: Vec<(u32, &mut [EdgeWeights])> = Vec::with_capacity(ranks.len());
        let mut rest = &mut buf[..];
        for &u in ranks {
            let (lo, hi) = c.up_range(u);
            let (mine, after) = rest.split_at_mut(hi - lo);
            parts.push((u, mine));
            rest = after;
        }
        let w = &*self;
        parts.into_par_iter().for_each_init(
            || pool.take(),
            |slot, (u, upd)| w.relax_vertex(c, u, &mut slot.map, upd, true),
        );
        let mut at = 0;
        for &u in ranks {
            let (lo, hi) = c.up_range(u);
            self.store(lo, &buf[at..at + hi - lo]);
            at += hi - lo;
        }
    }

    /// Improves `upd`, the weights of `u`'s upward edges, to their final
    /// values: each edge `{u, w}` through every lower triangle
    /// `{v, u, w}` (`v < u`), whose edges are final because `v` is on a
    /// lower level. `slot` is all [`NONE`] before and after.
    ///
    /// With `split`, a vertex with [`SPLIT_WORK`] triangles or more relaxes
    /// its lower neighbours in parallel chunks of about that much work,
    /// each on its own copy of the weights, merged by least weight (the
    /// earlier chunk on ties, so the result is the sequential one whatever
    /// the threads).
    fn relax_vertex(
        &self,
        c: &Cch,
        u: u32,
        slot: &mut [u32],
        upd: &mut [EdgeWeights],
        split: bool,
    ) {
        let (lo, hi) = c.up_range(u);
        for e in lo..hi {
            slot[c.up_head[e] as usize] = (e - lo) as u32;
        }
        let downs =
            &c.down_edge[c.down_first[u as usize] as usize..c.down_first[u as usize + 1] as usize];
        let work = c.triangles[u as usize];
        if split && work >= SPLIT_WORK && downs.len() > 1 {
            let chunks = work.div_ceil(SPLIT_WORK).min(downs.len() as u64) as usize;
            let slot: &[u32] = slot;
            let base = upd.to_vec();
            let best = downs
                .par_chunks(downs.len().div_ceil(chunks))
                .fold(
                    || base.clone(),
                    |mut acc, chunk| {
                        self.relax_through(c, chunk, slot, &mut acc);
                        acc
                    },
                )
                .reduce(|| base.clone(), merge_least);
            upd.copy_from_slice(&best);
        } else {
            self.relax_through(c, downs, slot, upd);
        }
        for e in lo..hi {
            slot[c.up_head[e] as usize] = NONE;
        }
    }

    /// Relaxes `u`'s edges (in `upd`, positions by `slot`) through the
    /// lower triangles of the edges `downs` (edges `{v, u}`, `v < u`).
    fn relax_through(&self, c: &Cch, downs: &[u32], slot: &[u32], upd: &mut [EdgeWeights]) {
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
}

impl CchMetric<'_> {
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
