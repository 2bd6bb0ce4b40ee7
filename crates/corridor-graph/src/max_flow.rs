//! Maximum flow and minimum cut between two vertices of a [`Csr`] with `f64`
//! arc capacities, by push–relabel (Dinic as a fallback); plus the residual
//! graph and the blocking-flow search that [`crate::min_cost_flow`] reuses
//! (its exact max-flow value, and the oracle's blocking flows).
//!
//! This module owns the residual representation (a forward and a reverse
//! residual arc per input arc, grouped by tail) and the blocking-flow search.
//! It does not know what the vertices stand for: super-sources, vertex splits
//! for node capacities and the mapping back to links are the engine's job.
//!
//! # Numbers
//!
//! Capacities are `f64` (tonnes per day come from `Mt/year / 365` and are not
//! whole numbers), `f64::INFINITY` meaning "no limit". A residual capacity at
//! or below `eps = 1e-12 × (largest finite capacity)` counts as zero; the
//! reported flow can thus miss the exact optimum by at most about
//! `eps × n_arcs`, far below any planning precision. An augmenting path made
//! only of infinite arcs makes the flow unbounded and is reported as
//! [`Error::Unbounded`] before any search starts. Integer capacities below
//! 2^53 give exact integer flows (the arithmetic is then exact).
//!
//! # Algorithms, complexity and references
//!
//! [`max_flow`] runs highest-label **push–relabel** with global relabelling
//! (exact distance labels by a backward BFS every O(6V + E/2) units of work)
//! and the **gap** heuristic (a doubly linked list of vertices per label, so
//! a gap relabels only what lies above it): O(V² √E). Phase one moves a
//! maximum preflow into the sink; phase two runs the same discharge loop
//! towards the source, returning the excess that cannot reach the sink, so
//! the result is a flow. A. V. Goldberg & R. E. Tarjan, "A new approach to
//! the maximum-flow problem", JACM 35 (1988); B. V. Cherkassky & A. V.
//! Goldberg, "On implementing the push–relabel method for the maximum flow
//! problem", Algorithmica 19 (1997). When an arc out of the source is
//! unlimited (no preflow can saturate it) it falls back to **Dinic**'s
//! blocking flows, O(V² E) (E. A. Dinic, Soviet Math. Doklady 11, 1970;
//! Ahuja, Magnanti & Orlin, *Network Flows*, 1993, §7.4), which the
//! successive-shortest-paths oracle in [`crate::min_cost_flow`] also uses on
//! its zero-reduced-cost subgraphs. The min-cost solver itself takes only
//! the exact integer maximum-flow value from here.
//! Measured times against OR-Tools are in `docs/benchmarks.md` (`## Flows`).
//!
//! The minimum cut returned is the one closest to the source: the vertices
//! reachable from the source in the final residual graph.

use crate::Error;
use crate::csr::{ArcIdx, Csr, VertexIdx};
use std::collections::VecDeque;

/// The result of [`max_flow`].
#[derive(Clone, Debug, PartialEq)]
pub struct MaxFlow {
    /// Total flow from the source to the sink.
    pub value: f64,
    /// Flow on every arc, indexed like the input capacities.
    pub flow: Vec<f64>,
    /// `true` for the vertices on the source side of the minimum cut.
    pub source_side: Vec<bool>,
    /// Arcs from the source side to the sink side with positive capacity:
    /// a minimum cut. Their capacities sum to `value`. Sorted by index.
    pub cut_arcs: Vec<ArcIdx>,
}

/// Residual graph: residual arc `r` goes from `tail` to `head[r]`, with
/// residual capacity `rcap[r]`; `partner[r]` is its twin in the other
/// direction. `fwd[a]` is the residual arc of input arc `a` (its twin
/// carries the flow back).
#[derive(Clone, Debug)]
pub(crate) struct Residual {
    pub first: Vec<u32>,
    pub head: Vec<u32>,
    pub rcap: Vec<f64>,
    pub partner: Vec<u32>,
    pub fwd: Vec<u32>,
    pub eps: f64,
}

impl Residual {
    pub fn n_vertices(&self) -> usize {
        self.first.len() - 1
    }

    /// Builds the residual graph of arcs `(tails[a], heads[a])` with
    /// capacities `cap[a]`, checking the numbers.
    pub fn new(
        n: usize,
        tails: &[VertexIdx],
        heads: &[VertexIdx],
        cap: &[f64],
    ) -> Result<Self, Error> {
        let m = tails.len();
        if heads.len() != m || cap.len() != m {
            return Err(Error::InvalidInput(format!(
                "{m} arcs but {} heads and {} capacities",
                heads.len(),
                cap.len()
            )));
        }
        let mut max_finite = 0.0f64;
        for (a, &c) in cap.iter().enumerate() {
            if c.is_nan() || c < 0.0 {
                return Err(Error::InvalidInput(format!(
                    "arc {a} has capacity {c}, not a non-negative number"
                )));
            }
            if c.is_finite() {
                max_finite = max_finite.max(c);
            }
        }
        let mut first = vec![0u32; n + 1];
        for a in 0..m {
            first[tails[a].index() + 1] += 1;
            first[heads[a].index() + 1] += 1;
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let mut next = first.clone();
        let mut head = vec![0u32; 2 * m];
        let mut rcap = vec![0.0f64; 2 * m];
        let mut partner = vec![0u32; 2 * m];
        let mut fwd = vec![0u32; m];
        for a in 0..m {
            let (t, h) = (tails[a].index(), heads[a].index());
            let rf = next[t];
            next[t] += 1;
            let rb = next[h];
            next[h] += 1;
            head[rf as usize] = h as u32;
            head[rb as usize] = t as u32;
            rcap[rf as usize] = cap[a];
            partner[rf as usize] = rb;
            partner[rb as usize] = rf;
            fwd[a] = rf;
        }
        Ok(Self {
            first,
            head,
            rcap,
            partner,
            fwd,
            eps: 1e-12 * max_finite,
        })
    }

    #[inline]
    pub fn arcs(&self, v: usize) -> std::ops::Range<usize> {
        self.first[v] as usize..self.first[v + 1] as usize
    }

    /// Flow on input arc `a`: what its reverse residual arc can send back.
    pub fn flow(&self, a: usize) -> f64 {
        self.rcap[self.partner[self.fwd[a] as usize] as usize]
    }

    /// True if the sink can be reached from the source through arcs of
    /// infinite residual capacity only.
    pub fn has_infinite_path(&self, s: usize, t: usize) -> bool {
        let mut seen = vec![false; self.n_vertices()];
        let mut stack = vec![s];
        seen[s] = true;
        while let Some(v) = stack.pop() {
            if v == t {
                return true;
            }
            for r in self.arcs(v) {
                let h = self.head[r] as usize;
                if self.rcap[r] == f64::INFINITY && !seen[h] {
                    seen[h] = true;
                    stack.push(h);
                }
            }
        }
        false
    }

    /// Vertices reachable from `s` by arcs with residual capacity.
    pub fn reachable(&self, s: usize) -> Vec<bool> {
        let mut seen = vec![false; self.n_vertices()];
        let mut stack = vec![s];
        seen[s] = true;
        while let Some(v) = stack.pop() {
            for r in self.arcs(v) {
                let h = self.head[r] as usize;
                if self.rcap[r] > self.eps && !seen[h] {
                    seen[h] = true;
                    stack.push(h);
                }
            }
        }
        seen
    }
}

/// Reusable Dinic state: levels, current-arc pointers and the DFS path.
/// `admissible` (when given) restricts the search to arcs it accepts; the
/// min-cost flow uses it for arcs of zero reduced cost.
pub(crate) struct Dinic {
    level: Vec<u32>,
    current: Vec<u32>,
    queue: VecDeque<u32>,
    path: Vec<u32>,
}

const UNSEEN: u32 = u32::MAX;

impl Dinic {
    pub fn new(n: usize) -> Self {
        Self {
            level: vec![UNSEEN; n],
            current: vec![0; n],
            queue: VecDeque::new(),
            path: Vec::new(),
        }
    }

    /// BFS levels from `s` over usable arcs; true if `t` was reached.
    fn levels(
        &mut self,
        g: &Residual,
        s: usize,
        t: usize,
        ok: &impl Fn(usize, usize, usize) -> bool,
    ) -> bool {
        self.level.fill(UNSEEN);
        self.queue.clear();
        self.level[s] = 0;
        self.queue.push_back(s as u32);
        while let Some(v) = self.queue.pop_front() {
            let v = v as usize;
            if v == t {
                // Vertices at t's level or beyond cannot lie on a shortest
                // augmenting path; stop growing the level graph.
                break;
            }
            let next = self.level[v] + 1;
            for r in g.arcs(v) {
                let h = g.head[r] as usize;
                if self.level[h] == UNSEEN && g.rcap[r] > g.eps && ok(v, r, h) {
                    self.level[h] = next;
                    self.queue.push_back(h as u32);
                }
            }
        }
        self.level[t] != UNSEEN
    }

    /// One blocking flow on the level graph; returns the flow pushed.
    fn blocking_flow(
        &mut self,
        g: &mut Residual,
        s: usize,
        t: usize,
        ok: &impl Fn(usize, usize, usize) -> bool,
    ) -> f64 {
        for v in 0..g.n_vertices() {
            self.current[v] = g.first[v];
        }
        let level_t = self.level[t];
        let mut pushed = 0.0;
        self.path.clear();
        let mut v = s;
        loop {
            if v == t {
                let mut b = f64::INFINITY;
                for &r in &self.path {
                    b = b.min(g.rcap[r as usize]);
                }
                // Cut back to the tail of the first arc the push saturates.
                let mut cut = self.path.len();
                for (i, &r) in self.path.iter().enumerate() {
                    let r = r as usize;
                    if g.rcap[r] != f64::INFINITY {
                        g.rcap[r] -= b;
                    }
                    let p = g.partner[r] as usize;
                    g.rcap[p] += b;
                    if g.rcap[r] <= g.eps && cut == self.path.len() {
                        cut = i;
                    }
                }
                pushed += b;
                self.path.truncate(cut);
                v = match self.path.last() {
                    Some(&r) => g.head[r as usize] as usize,
                    None => s,
                };
                continue;
            }
            let end = g.first[v + 1];
            let want = self.level[v] + 1;
            let mut advanced = false;
            while self.current[v] < end {
                let r = self.current[v] as usize;
                let h = g.head[r] as usize;
                if g.rcap[r] > g.eps
                    && self.level[h] == want
                    && (want < level_t || h == t)
                    && ok(v, r, h)
                {
                    self.path.push(r as u32);
                    v = h;
                    advanced = true;
                    break;
                }
                self.current[v] += 1;
            }
            if !advanced {
                // Dead end: no blocking path goes through v any more.
                self.level[v] = UNSEEN;
                match self.path.pop() {
                    None => return pushed,
                    Some(r) => {
                        v = g.head[g.partner[r as usize] as usize] as usize;
                        self.current[v] += 1;
                    }
                }
            }
        }
    }

    /// Augments until no usable `s`–`t` path is left; returns the flow pushed.
    pub fn run(
        &mut self,
        g: &mut Residual,
        s: usize,
        t: usize,
        ok: impl Fn(usize, usize, usize) -> bool,
    ) -> f64 {
        let mut total = 0.0;
        while self.levels(g, s, t, &ok) {
            let f = self.blocking_flow(g, s, t, &ok);
            if f <= 0.0 {
                break;
            }
            total += f;
        }
        total
    }
}

/// Checks source and sink indices.
pub(crate) fn check_terminals(n: usize, s: VertexIdx, t: VertexIdx) -> Result<(), Error> {
    if s.index() >= n || t.index() >= n {
        return Err(Error::InvalidInput(format!(
            "source {s} or sink {t} outside 0..{n}"
        )));
    }
    if s == t {
        return Err(Error::InvalidInput(format!(
            "source and sink are the same vertex {s}"
        )));
    }
    Ok(())
}

/// Maximum flow from `source` to `sink` on `g`, where arc `a` (CSR order)
/// may carry up to `capacity[a]` (`f64::INFINITY` for no limit), and a
/// minimum cut.
///
/// # Errors
/// [`Error::InvalidInput`] for a negative or NaN capacity, a wrong slice
/// length, or a bad source/sink; [`Error::Unbounded`] when a path of
/// infinite arcs joins source and sink.
///
/// # Example
/// ```
/// use corridor_graph::{Csr, VertexIdx as V, max_flow::max_flow};
/// // 0 -> 1 -> 2 and 0 -> 2; capacities 3, 2, 1 (in input order).
/// let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
/// let cap_in = [3.0, 2.0, 1.0];
/// let cap: Vec<f64> = order.iter().map(|&i| cap_in[i as usize]).collect();
/// let mf = max_flow(&g, &cap, V(0), V(2)).unwrap();
/// assert_eq!(mf.value, 3.0);
/// ```
pub fn max_flow(
    g: &Csr,
    capacity: &[f64],
    source: VertexIdx,
    sink: VertexIdx,
) -> Result<MaxFlow, Error> {
    for t in vast_thresholds(capacity) {
        match max_flow_as_given(g, &relaxed_above(capacity, t), source, sink) {
            Err(Error::Unbounded) => {} // capacities from `t` up bind
            done => return done,
        }
    }
    max_flow_as_given(g, capacity, source, sink)
}

/// Thresholds above which capacities are *vast*, smallest first: a
/// finite capacity `t` such that every capacity from `t` up exceeds 2^20
/// times the sum of all the smaller finite capacities (1e20 t/day beside a
/// few thousand).
///
/// Why: the residual threshold here and the integer scaling of
/// [`crate::min_cost_flow`] are relative to the largest capacity or to the
/// sum, so one vast capacity used to round every ordinary one to zero (a
/// maximum flow of 0 where 24,110 was right). Making the capacities from a
/// threshold up unlimited is exact whenever that relaxed problem stays
/// bounded: its minimum cut then has only smaller arcs, worth less than any
/// relaxed capacity, so the same cut is minimum in the original, and the
/// flow (cycle-free, each arc at most the value; in the integer solver at
/// most the sum of the smaller capacities) fits under every relaxed one.
/// When it is unbounded, the relaxed capacities bind and the next
/// threshold is tried; with none left the problem is solved as given, its
/// value then being at least the largest threshold.
pub(crate) fn vast_thresholds(capacity: &[f64]) -> Vec<f64> {
    let mut finite: Vec<f64> = capacity
        .iter()
        .copied()
        .filter(|c| c.is_finite() && *c > 0.0)
        .collect();
    finite.sort_unstable_by(f64::total_cmp);
    let mut out = Vec::new();
    // Summed from the smallest, so a vast capacity cannot absorb the rest.
    let mut below = 0.0;
    for (i, &c) in finite.iter().enumerate() {
        let starts_group = i == 0 || finite[i - 1] < c;
        if starts_group && below > 0.0 && c > below * (1u64 << 20) as f64 {
            out.push(c);
        }
        below += c;
    }
    out
}

/// `capacity` with every finite capacity from `threshold` up unlimited.
pub(crate) fn relaxed_above(capacity: &[f64], threshold: f64) -> Vec<f64> {
    capacity
        .iter()
        .map(|&c| if c >= threshold { f64::INFINITY } else { c })
        .collect()
}

fn max_flow_as_given(
    g: &Csr,
    capacity: &[f64],
    source: VertexIdx,
    sink: VertexIdx,
) -> Result<MaxFlow, Error> {
    let n = g.n_vertices();
    check_terminals(n, source, sink)?;
    let tails = g.tails();
    let mut r = Residual::new(n, &tails, g.heads(), capacity)?;
    let (s, t) = (source.index(), sink.index());
    if r.has_infinite_path(s, t) {
        return Err(Error::Unbounded);
    }
    if r.arcs(s).all(|a| r.rcap[a].is_finite()) {
        PushRelabel::max_flow(&mut r, s, t);
    } else {
        Dinic::new(n).run(&mut r, s, t, |_, _, _| true);
    }
    Ok(finish(g, &tails, capacity, &r, s))
}

/// Maximum flow value from `s` to `t` for integer capacities (each at most
/// 2^52, so every sum push–relabel forms is exact in `f64`); the residual
/// threshold is zero, so the value is exact. Used by
/// [`crate::min_cost_flow`] to fix the value before the cost-scaling solve.
pub(crate) fn integral_max_flow_value(
    n: usize,
    tails: &[VertexIdx],
    heads: &[VertexIdx],
    cap: &[i64],
    s: usize,
    t: usize,
) -> Result<i64, Error> {
    let capf: Vec<f64> = cap.iter().map(|&c| c as f64).collect();
    let mut r = Residual::new(n, tails, heads, &capf)?;
    r.eps = 0.0;
    PushRelabel::max_flow(&mut r, s, t);
    let mut value = 0i64;
    for a in 0..tails.len() {
        let f = r.flow(a) as i64;
        if tails[a].index() == s {
            value += f;
        }
        if heads[a].index() == s {
            value -= f;
        }
    }
    Ok(value)
}

/// Flow per arc, value and the source-side minimum cut of a solved residual.
pub(crate) fn finish(
    g: &Csr,
    tails: &[VertexIdx],
    capacity: &[f64],
    r: &Residual,
    s: usize,
) -> MaxFlow {
    let m = g.n_arcs();
    let heads = g.heads();
    let flow: Vec<f64> = (0..m).map(|a| r.flow(a)).collect();
    let source_side = r.reachable(s);
    let mut cut_arcs = Vec::new();
    for a in 0..m {
        if source_side[tails[a].index()] && !source_side[heads[a].index()] && capacity[a] > 0.0 {
            cut_arcs.push(ArcIdx(a as u32));
        }
    }
    // The value is what leaves the source side, net: exact for the cut.
    let mut value = 0.0;
    for a in 0..m {
        let (tin, hin) = (source_side[tails[a].index()], source_side[heads[a].index()]);
        if tin && !hin {
            value += flow[a];
        } else if !tin && hin {
            value -= flow[a];
        }
    }
    MaxFlow {
        value,
        flow,
        source_side,
        cut_arcs,
    }
}

/// Highest-label push–relabel with global relabelling and the gap heuristic
/// (see the module doc), used by [`max_flow`] when no arc out of the source
/// is unlimited. Phase one moves
/// a maximum preflow into the sink; phase two runs the same discharge loop
/// towards the source to return the excess that cannot reach the sink, which
/// turns the preflow into a flow.
struct PushRelabel {
    label: Vec<u32>,
    excess: Vec<f64>,
    current: Vec<u32>,
    buckets: Vec<Vec<u32>>,
    /// Every labelled vertex (label below the cap) in a doubly linked list
    /// per label, so the gap heuristic touches only what it relabels.
    first_at: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    max_label: u32,
    queue: VecDeque<u32>,
}

const NIL: u32 = u32::MAX;

impl PushRelabel {
    fn new(n: usize) -> Self {
        Self {
            label: vec![0; n],
            excess: vec![0.0; n],
            current: vec![0; n],
            buckets: vec![Vec::new(); 2 * n + 2],
            first_at: vec![NIL; 2 * n + 2],
            next: vec![NIL; n],
            prev: vec![NIL; n],
            max_label: 0,
            queue: VecDeque::new(),
        }
    }

    fn link(&mut self, v: usize, l: u32) {
        let f = self.first_at[l as usize];
        self.next[v] = f;
        self.prev[v] = NIL;
        if f != NIL {
            self.prev[f as usize] = v as u32;
        }
        self.first_at[l as usize] = v as u32;
        self.max_label = self.max_label.max(l);
    }

    fn unlink(&mut self, v: usize, l: u32) {
        let (p, nx) = (self.prev[v], self.next[v]);
        if p == NIL {
            self.first_at[l as usize] = nx;
        } else {
            self.next[p as usize] = nx;
        }
        if nx != NIL {
            self.prev[nx as usize] = p;
        }
    }

    /// Exact distances to `target` in the residual graph (`cap` for
    /// unreachable vertices); `sealed` never gets a label below `cap`.
    /// Rebuilds the active buckets; returns the highest active label.
    fn global_relabel(&mut self, g: &Packed, target: usize, sealed: usize, cap: u32) -> u32 {
        let n = g.first.len() - 1;
        self.label.fill(cap);
        self.first_at.fill(NIL);
        self.max_label = 0;
        for b in &mut self.buckets {
            b.clear();
        }
        self.queue.clear();
        self.label[target] = 0;
        self.queue.push_back(target as u32);
        while let Some(v) = self.queue.pop_front() {
            let v = v as usize;
            let d = self.label[v] + 1;
            for a in &g.arcs[g.first[v] as usize..g.first[v + 1] as usize] {
                let h = a.head as usize;
                // h can reach v if the twin arc h -> v has capacity.
                if self.label[h] == cap
                    && h != sealed
                    && h != target
                    && g.arcs[a.partner as usize].rcap > g.eps
                {
                    self.label[h] = d;
                    self.queue.push_back(h as u32);
                }
            }
        }
        let mut highest = 0;
        for v in 0..n {
            self.current[v] = g.first[v];
            let l = self.label[v];
            if l < cap {
                self.link(v, l);
                if v != target && v != sealed && self.excess[v] > g.eps {
                    self.buckets[l as usize].push(v as u32);
                    highest = highest.max(l);
                }
            }
        }
        highest
    }

    /// Discharges every active vertex towards `target`, never touching
    /// `sealed`; vertices whose label reaches `cap` stop being active.
    fn run(&mut self, g: &mut Packed, target: usize, sealed: usize, cap: u32) {
        let n = g.first.len() - 1;
        let eps = g.eps;
        let relabel_every = 6 * n + g.arcs.len() / 2;
        let mut highest = self.global_relabel(g, target, sealed, cap);
        let mut work = 0usize;
        loop {
            let Some(v) = self.buckets[highest as usize].pop() else {
                if highest == 0 {
                    return;
                }
                highest -= 1;
                continue;
            };
            let v = v as usize;
            if self.label[v] != highest || self.excess[v] <= eps {
                continue;
            }
            // Discharge v, keeping its excess in a register meanwhile.
            let (begin, end) = (g.first[v] as usize, g.first[v + 1] as usize);
            let mut ex = self.excess[v];
            loop {
                let lv = self.label[v];
                let mut cur = self.current[v] as usize;
                while cur < end {
                    let a = g.arcs[cur];
                    let h = a.head as usize;
                    if a.rcap > eps && lv == self.label[h] + 1 && h != sealed {
                        let delta = ex.min(a.rcap);
                        g.arcs[cur].rcap = a.rcap - delta;
                        g.arcs[a.partner as usize].rcap += delta;
                        ex -= delta;
                        if h != target && self.excess[h] <= eps {
                            self.buckets[self.label[h] as usize].push(h as u32);
                        }
                        self.excess[h] += delta;
                        if ex <= eps {
                            break;
                        }
                    }
                    cur += 1;
                }
                self.current[v] = cur as u32;
                if ex <= eps {
                    break;
                }
                // Relabel.
                let old = lv;
                self.unlink(v, old);
                if self.first_at[old as usize] == NIL && old > 0 {
                    // Gap: nothing above `old` can reach the target.
                    for l in old + 1..=self.max_label {
                        let mut u = self.first_at[l as usize];
                        while u != NIL {
                            self.label[u as usize] = cap;
                            u = self.next[u as usize];
                        }
                        self.first_at[l as usize] = NIL;
                    }
                    self.max_label = old - 1;
                    self.label[v] = cap;
                    break;
                }
                let mut best = cap;
                let mut best_arc = begin;
                for (i, a) in g.arcs[begin..end].iter().enumerate() {
                    let h = a.head as usize;
                    if a.rcap > eps && h != sealed && self.label[h] + 1 < best {
                        best = self.label[h] + 1;
                        best_arc = begin + i;
                    }
                }
                self.label[v] = best;
                work += end - begin + 12;
                if best >= cap {
                    break;
                }
                self.link(v, best);
                // Arcs before the first admissible one stay inadmissible
                // until v is relabelled again, so the scan may start there.
                self.current[v] = best_arc as u32;
                highest = highest.max(best);
            }
            self.excess[v] = ex;
            if ex > eps && self.label[v] < cap {
                self.buckets[self.label[v] as usize].push(v as u32);
                highest = highest.max(self.label[v]);
            }
            if work > relabel_every {
                work = 0;
                highest = self.global_relabel(g, target, sealed, cap);
            }
        }
    }

    /// Maximum flow from `s` to `t`; arcs out of `s` must be finite.
    fn max_flow(r: &mut Residual, s: usize, t: usize) {
        let n = r.n_vertices();
        let mut pr = PushRelabel::new(n);
        let mut g = Packed::new(r);
        for i in g.first[s] as usize..g.first[s + 1] as usize {
            let a = g.arcs[i];
            if a.rcap > g.eps {
                g.arcs[i].rcap = 0.0;
                g.arcs[a.partner as usize].rcap += a.rcap;
                pr.excess[a.head as usize] += a.rcap;
            }
        }
        pr.excess[s] = 0.0;
        // Phase one: towards the sink; the source is sealed at label n.
        pr.run(&mut g, t, s, n as u32);
        // Phase two: return what could not reach the sink.
        pr.excess[t] = 0.0;
        pr.excess[s] = 0.0;
        pr.run(&mut g, s, t, 2 * n as u32 + 1);
        let arcs = g.arcs;
        for (rc, a) in r.rcap.iter_mut().zip(&arcs) {
            *rc = a.rcap;
        }
    }
}

/// One residual arc as push–relabel reads it: capacity, head and twin side
/// by side, so a push touches one cache line for the arc instead of three
/// (the shared [`Residual`] keeps separate arrays for the Dinic and min-cost
/// code, which scan them differently). 16 bytes, four arcs per line.
#[derive(Clone, Copy, Debug)]
struct PackedArc {
    rcap: f64,
    head: u32,
    partner: u32,
}

/// A packed copy of a [`Residual`] for the duration of one push–relabel run.
struct Packed<'a> {
    first: &'a [u32],
    arcs: Vec<PackedArc>,
    eps: f64,
}

impl<'a> Packed<'a> {
    fn new(r: &'a Residual) -> Self {
        let arcs = (0..r.head.len())
            .map(|i| PackedArc {
                rcap: r.rcap[i],
                head: r.head[i],
                partner: r.partner[i],
            })
            .collect();
        Self {
            first: &r.first,
            arcs,
            eps: r.eps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csr(n: usize, arcs: &[(u32, u32, f64)]) -> (Csr, Vec<f64>, Vec<u32>) {
        let pairs: Vec<(VertexIdx, VertexIdx)> = arcs
            .iter()
            .map(|&(t, h, _)| (VertexIdx(t), VertexIdx(h)))
            .collect();
        let (g, order) = Csr::from_arcs(n, &pairs);
        let cap = order.iter().map(|&i| arcs[i as usize].2).collect();
        (g, cap, order)
    }

    #[test]
    fn classic_example_and_its_cut() {
        // CLRS figure 26.1: max flow 23.
        let arcs = [
            (0, 1, 16.0),
            (0, 2, 13.0),
            (2, 1, 4.0),
            (1, 3, 12.0),
            (3, 2, 9.0),
            (2, 4, 14.0),
            (4, 3, 7.0),
            (3, 5, 20.0),
            (4, 5, 4.0),
        ];
        let (g, cap, _) = csr(6, &arcs);
        let mf = max_flow(&g, &cap, VertexIdx(0), VertexIdx(5)).unwrap();
        assert_eq!(mf.value, 23.0);
        let cut: f64 = mf.cut_arcs.iter().map(|&a| cap[a.index()]).sum();
        assert_eq!(cut, 23.0);
    }

    #[test]
    fn infinite_arcs_are_fine_unless_they_join_source_and_sink() {
        let (g, cap, _) = csr(3, &[(0, 1, f64::INFINITY), (1, 2, 5.0)]);
        assert_eq!(
            max_flow(&g, &cap, VertexIdx(0), VertexIdx(2))
                .unwrap()
                .value,
            5.0
        );
        let (g, cap, _) = csr(3, &[(0, 1, f64::INFINITY), (1, 2, f64::INFINITY)]);
        assert!(matches!(
            max_flow(&g, &cap, VertexIdx(0), VertexIdx(2)),
            Err(Error::Unbounded)
        ));
        let (g, cap, _) = csr(2, &[(0, 1, -1.0)]);
        assert!(matches!(
            max_flow(&g, &cap, VertexIdx(0), VertexIdx(1)),
            Err(Error::InvalidInput(_))
        ));
        assert!(max_flow(&g, &[1.0], VertexIdx(0), VertexIdx(0)).is_err());
    }

    #[test]
    fn disconnected_sink_gives_zero_and_empty_cut() {
        let (g, cap, _) = csr(3, &[(0, 1, 5.0)]);
        let mf = max_flow(&g, &cap, VertexIdx(0), VertexIdx(2)).unwrap();
        assert_eq!(mf.value, 0.0);
        assert!(mf.cut_arcs.is_empty());
    }
}
