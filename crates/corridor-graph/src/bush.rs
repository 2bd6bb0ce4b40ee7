//! Algorithm B (Dial 2006): bush-based user-equilibrium assignment. Each
//! origin keeps an acyclic subgraph (its *bush*) and its own arc flows on
//! it; flow moves from the longest used path to the shortest path of the
//! bush between their divergence vertex and each vertex, by a Newton step.
//! It converges to far smaller gaps than the Frank–Wolfe family, which
//! stalls, and is what the assignment benchmark runs against AequilibraE.
//!
//! This module sees vertices, arcs and `f64` slices only, like
//! [`crate::assignment`] (which dispatches here for
//! [`crate::assignment::Method::AlgorithmB`]). Origins are equilibrated one
//! after another (Gauss–Seidel), then the whole sweep is extrapolated (see
//! `Extrapolation`). Each iteration first computes the bushes' own gap, a
//! lower bound on the relative gap (`bush_gap`); only when that is at or
//! below the target (or at the iteration limit) does it run the full
//! parallel all-or-nothing check, so the gap reported at the stop means
//! exactly what it means for the other methods, while the history of the
//! iterations before carries the lower bound. Results do not depend on
//! the thread count (bushes are swept in a fixed order on one thread; the
//! check's loads are summed in fixed blocks).
//!
//! Reference: R. B. Dial, "A path-based user-equilibrium traffic assignment
//! algorithm that obviates path storage and enumeration", Transportation
//! Research Part B 40(10) (2006). Bush updates follow the "longest used
//! path" rule that keeps bushes acyclic; divergence vertices are found by
//! walking both paths back in topological order as in S. D. Boyles' tap-b.
//!
//! Storage is sparse: a bush is its vertices in topological order, each
//! with the list of its bush in-arcs and their origin-based flows, stored
//! contiguously in that order. Label passes pull from in-arcs, so one pass
//! touches the bush's arcs once, in memory order, and nothing else
//! (Berlin-Center: bushes hold about half the network's arcs, and the old
//! dense per-arc arrays made every pass walk all of them).
//!
//! Memory per origin: two `f64` and one `u32` per bush arc, two `u32` per
//! reachable vertex.

use crate::assignment::{AssignConfig, Assignment, Demand, IterationStat, measure, relative_gap};
use crate::csr::{Csr, VertexIdx};
use crate::shortest_path::{NO_ARC, ShortestPath};
use crate::vdf::Bpr;
use rayon::prelude::*;
use std::time::Instant;

/// Flow-shifting passes over a bush after each bush update.
const INNER_PASSES: usize = 4;

/// Marks "none" in `u32` scratch arrays (no position, no predecessor slot).
const NONE: u32 = u32::MAX;

struct Bush {
    origin: VertexIdx,
    /// The bush's vertices in a topological order; `order[0]` is the
    /// origin. The set never changes (every vertex reachable from the
    /// origin), only the order.
    order: Vec<VertexIdx>,
    /// In-arcs of `order[k]` are `arcs[start[k]..start[k + 1]]`.
    start: Vec<u32>,
    arcs: Vec<u32>,
    /// Origin-based flow on `arcs[i]`.
    flow: Vec<f64>,
    /// Destinations with positive demand: `(vertex, flow)`.
    dests: Vec<(VertexIdx, f64)>,
    /// Positions (ascending) of the vertices that can reach a destination
    /// inside the bush, as of its last update ([`Scratch::mark_live`]).
    live: Vec<u32>,
}

/// Per-bush scratch over all vertices and arcs, reused across bushes.
struct Scratch {
    /// Position of each vertex in the current bush's order, or [`NONE`].
    pos: Vec<u32>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    /// Longest-path labels over all bush arcs (Dial's conservative rule),
    /// filled by [`Scratch::labels`] when asked for.
    hi_all: Vec<f64>,
    /// Predecessor slot (index into the bush's `arcs`) per vertex.
    lo_pred: Vec<u32>,
    /// Per-vertex marks for [`Scratch::mark_live`].
    is_live: Vec<bool>,
    hi_pred: Vec<u32>,
    /// Kahn's sort and rebuilds: per-vertex counters and out-lists.
    count: Vec<u32>,
    out_first: Vec<u32>,
    out_arcs: Vec<u32>,
    queue: Vec<VertexIdx>,
    /// A bush's arcs and flows while it is rebuilt.
    arcs: Vec<u32>,
    flow: Vec<f64>,
    start: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            pos: vec![NONE; n],
            lo: vec![f64::INFINITY; n],
            hi: vec![f64::NEG_INFINITY; n],
            hi_all: vec![f64::NEG_INFINITY; n],
            lo_pred: vec![NONE; n],
            hi_pred: vec![NONE; n],
            is_live: vec![false; n],
            count: vec![0; n + 1],
            out_first: vec![0; n + 1],
            out_arcs: Vec::new(),
            queue: Vec::new(),
            arcs: Vec::new(),
            flow: Vec::new(),
            start: Vec::new(),
        }
    }

    /// Sets `pos` for `bush`; [`Scratch::unload`] clears it.
    fn load(&mut self, bush: &Bush) {
        for (k, &v) in bush.order.iter().enumerate() {
            self.pos[v as usize] = k as u32;
        }
    }

    fn unload(&mut self, bush: &Bush) {
        for &v in &bush.order {
            self.pos[v as usize] = NONE;
        }
    }

    /// Shortest (`lo`) labels over all bush arcs and longest (`hi`) labels
    /// over arcs carrying flow, in topological order, pulling from each
    /// vertex's in-arcs; with `want_hi_all` also the longest labels over
    /// all bush arcs (`hi_all`) in the same pass.
    fn labels(&mut self, tails: &[VertexIdx], bush: &Bush, cost: &[f64], want_hi_all: bool) {
        self.label_origin(bush);
        for k in 1..bush.order.len() {
            self.label_at(tails, bush, cost, want_hi_all, k);
        }
    }

    /// [`Scratch::labels`] on the live vertices only ([`Scratch::mark_live`]),
    /// which is exact there: every bush predecessor of a live vertex is live.
    fn labels_live(&mut self, tails: &[VertexIdx], bush: &Bush, cost: &[f64]) {
        self.label_origin(bush);
        for &k in &bush.live {
            let k = k as usize;
            if k > 0 {
                self.label_at(tails, bush, cost, false, k);
            }
        }
    }

    fn label_origin(&mut self, bush: &Bush) {
        let o = bush.origin as usize;
        self.lo[o] = 0.0;
        self.hi[o] = 0.0;
        self.hi_all[o] = 0.0;
        self.lo_pred[o] = NONE;
        self.hi_pred[o] = NONE;
    }

    #[inline]
    fn label_at(
        &mut self,
        tails: &[VertexIdx],
        bush: &Bush,
        cost: &[f64],
        want_hi_all: bool,
        k: usize,
    ) {
        let v = bush.order[k] as usize;
        let (mut lo, mut hi, mut hi_all) = (f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        let (mut lo_pred, mut hi_pred) = (NONE, NONE);
        for i in bush.start[k] as usize..bush.start[k + 1] as usize {
            let a = bush.arcs[i] as usize;
            let t = tails[a] as usize;
            let c = cost[a];
            let l = self.lo[t] + c;
            if l < lo {
                lo = l;
                lo_pred = i as u32;
            }
            let ht = self.hi[t];
            if bush.flow[i] > 0.0 && ht > f64::NEG_INFINITY && ht + c > hi {
                hi = ht + c;
                hi_pred = i as u32;
            }
            if want_hi_all {
                hi_all = hi_all.max(self.hi_all[t] + c);
            }
        }
        self.lo[v] = lo;
        self.hi[v] = hi;
        self.hi_all[v] = hi_all;
        self.lo_pred[v] = lo_pred;
        self.hi_pred[v] = hi_pred;
    }

    /// Fills `bush.live` with the positions, ascending, of the vertices
    /// from which a destination can be reached inside the bush. Only these
    /// can carry flow or lie on a path that does, so flow shifting never
    /// needs the others (on Berlin-Center a bush spans 12,841 vertices and
    /// about 470 arcs carry its flow).
    fn mark_live(&mut self, tails: &[VertexIdx], bush: &mut Bush) {
        bush.live.clear();
        for &(d, _) in &bush.dests {
            self.is_live[d as usize] = true;
        }
        for k in (0..bush.order.len()).rev() {
            if !self.is_live[bush.order[k] as usize] {
                continue;
            }
            bush.live.push(k as u32);
            for &a in &bush.arcs[bush.start[k] as usize..bush.start[k + 1] as usize] {
                self.is_live[tails[a as usize] as usize] = true;
            }
        }
        bush.live.reverse();
        // Every vertex marked was reached later in the loop and listed.
        for &k in &bush.live {
            self.is_live[bush.order[k as usize] as usize] = false;
        }
    }

    /// Topological order (Kahn) of the bush's vertices over the arcs in
    /// `self.arcs`, from the origin, into `self.queue`. Returns false if
    /// they close a cycle.
    fn topological(&mut self, g: &Csr, tails: &[VertexIdx], bush: &Bush) -> bool {
        // Out-lists of the arcs, as a small CSR over the bush's vertices
        // (indexed by vertex; only bush vertices are touched and reset).
        for &v in &bush.order {
            self.count[v as usize] = 0;
            self.out_first[v as usize] = 0;
        }
        for &a in &self.arcs {
            self.out_first[tails[a as usize] as usize] += 1;
            self.count[g.head(a as usize) as usize] += 1;
        }
        // Prefix sums in bush order (any fixed order of the vertices works).
        let mut acc = 0u32;
        for &v in &bush.order {
            let d = self.out_first[v as usize];
            self.out_first[v as usize] = acc;
            acc += d;
        }
        self.out_arcs.clear();
        self.out_arcs.resize(self.arcs.len(), 0);
        for &a in &self.arcs {
            let t = tails[a as usize] as usize;
            let at = self.out_first[t] as usize;
            self.out_arcs[at] = a;
            self.out_first[t] += 1;
        }
        // out_first[v] now points one past v's list; lists run backwards
        // from there for `out degree` entries, recovered below.
        self.queue.clear();
        self.queue.push(bush.origin);
        let mut i = 0;
        while i < self.queue.len() {
            let v = self.queue[i] as usize;
            i += 1;
            let end = self.out_first[v] as usize;
            let mut at = end;
            // Walk v's list backwards: arcs whose tail is v, stored just
            // before `end`.
            while at > 0 && tails[self.out_arcs[at - 1] as usize] as usize == v {
                at -= 1;
                let h = g.head(self.out_arcs[at] as usize) as usize;
                self.count[h] -= 1;
                if self.count[h] == 0 {
                    self.queue.push(h as u32);
                }
            }
        }
        self.queue.len() == bush.order.len()
    }

    /// Rebuilds `bush` from `self.arcs`/`self.flow` grouped by head in the
    /// vertex order `order_src` (`bush.order` itself, or `self.queue`).
    fn rebuild(&mut self, g: &Csr, bush: &mut Bush, use_queue: bool) {
        if use_queue {
            bush.order.clear();
            bush.order.extend_from_slice(&self.queue);
        }
        let nv = bush.order.len();
        for (k, &v) in bush.order.iter().enumerate() {
            self.pos[v as usize] = k as u32;
        }
        self.start.clear();
        self.start.resize(nv + 1, 0);
        for &a in &self.arcs {
            self.start[self.pos[g.head(a as usize) as usize] as usize + 1] += 1;
        }
        for k in 0..nv {
            self.start[k + 1] += self.start[k];
        }
        bush.arcs.clear();
        bush.arcs.resize(self.arcs.len(), 0);
        bush.flow.clear();
        bush.flow.resize(self.arcs.len(), 0.0);
        bush.start.clear();
        bush.start.extend_from_slice(&self.start);
        for (&a, &f) in self.arcs.iter().zip(&self.flow) {
            let k = self.pos[g.head(a as usize) as usize] as usize;
            let at = self.start[k] as usize;
            self.start[k] += 1;
            bush.arcs[at] = a;
            bush.flow[at] = f;
        }
    }
}

/// The graph's in-arcs per vertex (a reverse CSR).
struct Reverse {
    first: Vec<u32>,
    arcs: Vec<u32>,
}

impl Reverse {
    fn new(g: &Csr) -> Self {
        let n = g.n_vertices();
        let mut first = vec![0u32; n + 1];
        for &h in g.heads() {
            first[h as usize + 1] += 1;
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let mut fill = first.clone();
        let mut arcs = vec![0u32; g.n_arcs()];
        for (a, &h) in g.heads().iter().enumerate() {
            arcs[fill[h as usize] as usize] = a as u32;
            fill[h as usize] += 1;
        }
        Self { first, arcs }
    }
}

/// Whether arc `(i, j)` of cost `c` shortens the longest used path to `j`:
/// `hi_i + c < hi_j`, with `hi` falling back to `lo` where no used path
/// arrives.
#[inline]
fn improves(hi: &[f64], lo: &[f64], i: usize, j: usize, c: f64) -> bool {
    let hi_i = if hi[i] == f64::NEG_INFINITY {
        lo[i]
    } else {
        hi[i]
    };
    let hi_j = if hi[j] == f64::NEG_INFINITY {
        lo[j]
    } else {
        hi[j]
    };
    hi_i + c < hi_j - 1e-12 * hi_j.abs()
}

/// Drops arcs without flow that are not on the bush's shortest-path tree,
/// then adds arcs that shorten the longest used path: `(i, j)` with
/// `hi_i + c < hi_j`, where `hi` is the longest *used* path cost (the
/// shortest-path cost where no used path arrives). Arcs that agree with the
/// current topological order cannot close a cycle and are always added.
/// The others can (through an unused tree arc); they are kept only if the
/// bush stays acyclic, else only those that also pass Dial's rule with `hi`
/// over all bush arcs are tried, and failing that none of them.
///
/// The bush's topological order stays valid when arcs are dropped (the
/// shortest-path tree that keeps every vertex reachable is kept) and when
/// only forward arcs are added; it is recomputed only otherwise. Expects
/// `s.pos` loaded for the bush and leaves it loaded for the new order.
#[allow(clippy::too_many_arguments)]
fn update_bush(
    g: &Csr,
    tails: &[VertexIdx],
    bush: &mut Bush,
    cost: &[f64],
    s: &mut Scratch,
    rev: &Reverse,
    forward: &mut Vec<u32>,
    backward: &mut Vec<u32>,
    safe_backward: &mut Vec<u32>,
) {
    s.labels(tails, bush, cost, false);
    s.arcs.clear();
    s.flow.clear();
    for k in 1..bush.order.len() {
        let v = bush.order[k] as usize;
        for i in bush.start[k] as usize..bush.start[k + 1] as usize {
            if bush.flow[i] != 0.0 || s.lo_pred[v] == i as u32 {
                s.arcs.push(bush.arcs[i]);
                s.flow.push(bush.flow[i]);
            }
        }
    }
    if s.arcs.len() != bush.arcs.len() {
        // Labels stay valid (only arcs without flow off the shortest-path
        // tree go), predecessor slots do not; nothing below reads them.
        s.rebuild(g, bush, false);
    }
    forward.clear();
    backward.clear();
    safe_backward.clear();
    // Every vertex, live or not: a dead vertex's shortest path must keep
    // improving too, or paths through it are never found.
    for k in 1..bush.order.len() {
        let j = bush.order[k] as usize;
        let group = &bush.arcs[bush.start[k] as usize..bush.start[k + 1] as usize];
        for &a in &rev.arcs[rev.first[j] as usize..rev.first[j + 1] as usize] {
            let i = tails[a as usize] as usize;
            let pi = s.pos[i];
            if pi == NONE || group.contains(&a) || !improves(&s.hi, &s.lo, i, j, cost[a as usize]) {
                continue;
            }
            if (pi as usize) < k {
                forward.push(a);
            } else {
                backward.push(a);
            }
        }
    }
    if forward.is_empty() && backward.is_empty() {
        s.mark_live(tails, bush);
        return;
    }
    // The bush's arcs plus the forward ones, then try the backward ones.
    s.arcs.clear();
    s.arcs.extend_from_slice(&bush.arcs);
    s.arcs.extend_from_slice(forward);
    s.flow.clear();
    s.flow.extend_from_slice(&bush.flow);
    s.flow.resize(s.arcs.len(), 0.0);
    let base = s.arcs.len();
    for attempt in 0..2 {
        if attempt == 1 && !backward.is_empty() {
            // All of them close a cycle: keep those Dial's rule shows safe,
            // with longest-path labels over all bush arcs. Only needed now,
            // so this full pass is rare.
            s.labels(tails, bush, cost, true);
            safe_backward.clear();
            for &a in backward.iter() {
                let (i, j) = (tails[a as usize] as usize, g.head(a as usize) as usize);
                if improves(&s.hi_all, &s.lo, i, j, cost[a as usize]) {
                    safe_backward.push(a);
                }
            }
        }
        let extra = if attempt == 0 {
            &*backward
        } else {
            &*safe_backward
        };
        if extra.is_empty() {
            continue;
        }
        s.arcs.truncate(base);
        s.arcs.extend_from_slice(extra);
        s.flow.resize(s.arcs.len(), 0.0);
        if s.topological(g, tails, bush) {
            s.rebuild(g, bush, true);
            s.mark_live(tails, bush);
            return;
        }
    }
    s.arcs.truncate(base);
    s.flow.truncate(base);
    s.rebuild(g, bush, false);
    s.mark_live(tails, bush);
}

/// One pass of flow shifts over a bush, vertices in reverse topological
/// order. Updates the bush flows, the total flows and their costs in place.
/// Expects `s.pos` and `bush.live` filled for the bush.
fn shift_flows(
    tails: &[VertexIdx],
    vdf: &Bpr,
    bush: &mut Bush,
    x: &mut [f64],
    cost: &mut [f64],
    s: &mut Scratch,
) {
    s.labels_live(tails, bush, cost);
    for idx in (0..bush.live.len()).rev() {
        let k = bush.live[idx] as usize;
        if k == 0 {
            continue;
        }
        let j = bush.order[k] as usize;
        if s.hi_pred[j] == NONE || s.lo_pred[j] == NONE {
            continue;
        }
        if s.hi[j] - s.lo[j] <= 1e-14 * s.hi[j].abs() {
            continue;
        }
        // Walk both paths back to where they diverge: always step back on
        // the path whose current vertex is later in topological order; they
        // meet at the divergence vertex (at the latest, the origin).
        let (mut p, mut q) = (j, j);
        let (mut c_lo, mut c_hi, mut d_sum) = (0.0, 0.0, 0.0);
        let mut max_shift = f64::INFINITY;
        loop {
            let step_lo = p == j || s.pos[p] > s.pos[q];
            let step_hi = q == j || s.pos[q] > s.pos[p];
            if step_lo {
                let a = bush.arcs[s.lo_pred[p] as usize] as usize;
                c_lo += cost[a];
                d_sum += vdf.derivative(a, x[a]);
                p = tails[a] as usize;
            }
            if step_hi {
                let i = s.hi_pred[q] as usize;
                let a = bush.arcs[i] as usize;
                c_hi += cost[a];
                d_sum += vdf.derivative(a, x[a]);
                max_shift = max_shift.min(bush.flow[i]);
                q = tails[a] as usize;
            }
            if p == q {
                break;
            }
        }
        let diff = c_hi - c_lo;
        if diff <= 0.0 || max_shift <= 0.0 {
            continue;
        }
        let delta = if d_sum > 0.0 {
            (diff / d_sum).min(max_shift)
        } else {
            max_shift
        };
        let top = p;
        // Apply: minus on the long path, plus on the short one.
        let mut v = j;
        while v != top {
            let i = s.hi_pred[v] as usize;
            let a = bush.arcs[i] as usize;
            let f = (bush.flow[i] - delta).max(0.0);
            x[a] -= bush.flow[i] - f;
            bush.flow[i] = f;
            cost[a] = vdf.cost(a, x[a]);
            v = tails[a] as usize;
        }
        let mut v = j;
        while v != top {
            let i = s.lo_pred[v] as usize;
            let a = bush.arcs[i] as usize;
            bush.flow[i] += delta;
            x[a] += delta;
            cost[a] = vdf.cost(a, x[a]);
            v = tails[a] as usize;
        }
    }
}

/// Recomputes a bush's flows from its demand, keeping each vertex's split
/// over its in-arcs: in reverse topological order, a vertex's throughput
/// (its own demand plus what leaves it) is shared over its bush in-arcs in
/// the proportions they carry now. Repairs the demand conservation that
/// rounding erodes (an extrapolated step multiplies rounding errors).
fn rebalance(bush: &mut Bush, tails: &[VertexIdx], through: &mut [f64]) {
    for &v in &bush.order {
        through[v as usize] = 0.0;
    }
    for &(d, f) in &bush.dests {
        through[d as usize] += f;
    }
    for k in (1..bush.order.len()).rev() {
        let t = through[bush.order[k] as usize];
        let group = bush.start[k] as usize..bush.start[k + 1] as usize;
        let sum: f64 = bush.flow[group.clone()].iter().sum();
        if sum > 0.0 {
            let scale = t / sum;
            for i in group {
                bush.flow[i] *= scale;
                through[tails[bush.arcs[i] as usize] as usize] += bush.flow[i];
            }
        } else if t > 0.0 {
            // No in-arc carries flow: every bush vertex but the origin has
            // one in-arc at least (its shortest-path tree arc).
            let i = group.start;
            bush.flow[i] = t;
            through[tails[bush.arcs[i] as usize] as usize] += t;
        }
    }
}

/// Moves further along the direction of the sweep just done, as far as an
/// exact line search on the Beckmann objective says, within a trust bound.
///
/// Why: origins are equilibrated one after another (Gauss–Seidel), each by
/// Newton steps that hold the other origins' flows fixed. When two origins
/// route over the same congested arcs and their alternatives differ only
/// in nearly flat arcs, each one's step undoes the other's and the sweeps
/// creep towards the equilibrium at a linear rate close to 1 (0.993 per
/// sweep on the random cases in the assignment tests, 3,500 sweeps to a
/// gap of 1e-11), the sweep direction nearly the same every time. A line
/// search along the whole sweep's change covers that distance at once.
///
/// The objective never increases (step 0 is allowed), every bush keeps its
/// own demand (each bush moves along the difference of two of its flows;
/// [`rebalance`] removes the rounding that a long step multiplies) and no
/// bush flow goes negative (the step stops where the first one reaches 0).
/// Bushes whose sweep emptied an arc stay where the sweep left them: any
/// step past the sweep would make that arc negative.
///
/// Near the equilibrium a long step along a flat direction can lower the
/// objective and still raise the gap a hundredfold (seen on a random case
/// at 5e-11: steps of 400–3,700 times the sweep sent it to 3e-8 again and
/// again), so a step is judged by the next gap check: if the gap did not
/// grow, the bound on the next step becomes at least [`TRUST_GROWTH`]
/// times it; if it grew, the step is taken back and the bound falls to
/// the step divided by [`TRUST_GROWTH`] (but not below 1).
struct Extrapolation {
    /// Each bush's flows before its part of the sweep (after its update,
    /// so they line up with its arcs).
    prev: Vec<Vec<f64>>,
    /// Sum of the moving bushes' changes (link flows), then the search
    /// direction.
    dir: Vec<f64>,
    /// Which bushes take part in the step.
    moving: Vec<bool>,
    /// Bound on the step, in multiples of the sweep's change.
    trust: f64,
    /// The last step taken (0 when none) and the gap measured before it.
    last_step: f64,
    last_gap: f64,
}

/// See [`Extrapolation`]. Of 3, 10 and 30, 10 had no bad outlier on the
/// random cases that used to stall (iterations to 1e-12 on four of them:
/// 3 → 175/125/445/328, 10 → 168/122/31/98, 30 → 143/455/13/173, with an
/// earlier form of the bound).
const TRUST_GROWTH: f64 = 10.0;

impl Extrapolation {
    fn new(bushes: &[Bush], m: usize) -> Self {
        Self {
            prev: bushes.iter().map(|b| b.flow.clone()).collect(),
            dir: vec![0.0; m],
            moving: Vec::with_capacity(bushes.len()),
            trust: f64::INFINITY,
            last_step: 0.0,
            last_gap: f64::INFINITY,
        }
    }

    /// Judges the last step by `gap`, the gap measured after it, and sets
    /// the bound on the next.
    ///
    /// Returns true when it took the last step back (the gap grew after
    /// it): the bushes are then back where the sweep left them, up to
    /// rounding, and the caller must rebalance the moving bushes and
    /// recompute link flows and costs.
    fn judge(&mut self, bushes: &mut [Bush], gap: f64) -> bool {
        let step = self.last_step;
        let mut reverted = false;
        if step > 0.0 {
            if gap <= self.last_gap {
                self.trust = self.trust.max(TRUST_GROWTH * step);
            } else {
                // A step as long as the sweep itself stays allowed, so the
                // bound cannot shrink past recovery.
                self.trust = (step / TRUST_GROWTH).max(1.0);
                // f = s + step (s − f0), so s = (f + step f0) / (1 + step).
                for ((b, p), _) in bushes
                    .iter_mut()
                    .zip(&self.prev)
                    .zip(&self.moving)
                    .filter(|(_, m)| **m)
                {
                    for (f, &f0) in b.flow.iter_mut().zip(p) {
                        *f = ((*f + step * f0) / (1.0 + step)).max(0.0);
                    }
                }
                reverted = true;
            }
        }
        // The next step is judged against this gap even after a step was
        // taken back: the gap is not monotone, and keeping an old low one
        // made every later step look bad (one random case lost its steps
        // for hundreds of iterations that way).
        self.last_gap = gap;
        self.last_step = 0.0;
        reverted
    }

    /// Restores demand conservation in the bushes the last step moved
    /// (a long step, or taking one back, multiplies rounding errors).
    fn rebalance_moving(&self, bushes: &mut [Bush], tails: &[VertexIdx], through: &mut [f64]) {
        for (b, _) in bushes.iter_mut().zip(&self.moving).filter(|(_, m)| **m) {
            rebalance(b, tails, through);
        }
    }

    /// Records bush `i`'s flows before its part of the sweep.
    fn snapshot(&mut self, i: usize, bush: &Bush) {
        self.prev[i].clear();
        self.prev[i].extend_from_slice(&bush.flow);
    }

    /// Takes the step after a sweep; `x` are the link flows, updated.
    fn after_sweep(&mut self, vdf: &Bpr, bushes: &mut [Bush], x: &mut [f64]) {
        self.last_step = 0.0;
        self.dir.iter_mut().for_each(|d| *d = 0.0);
        self.moving.clear();
        // Largest factor t on the moving bushes' change (1 = the sweep).
        let mut t_max = f64::INFINITY;
        for (b, p) in bushes.iter().zip(&self.prev) {
            let mut empties = false;
            let mut changed = false;
            let mut t = f64::INFINITY;
            for (&f, &f0) in b.flow.iter().zip(p) {
                let d = f - f0;
                if d < 0.0 {
                    if f == 0.0 {
                        empties = true;
                        break;
                    }
                    t = t.min(f0 / -d);
                }
                changed |= d != 0.0;
            }
            let moves = changed && !empties;
            self.moving.push(moves);
            if moves {
                t_max = t_max.min(t);
                for ((&a, &f), &f0) in b.arcs.iter().zip(&b.flow).zip(p) {
                    self.dir[a as usize] += f - f0;
                }
            }
        }
        // A range this short is not worth a search.
        if t_max <= 1.0 + 1e-9 {
            return;
        }
        let span = (t_max - 1.0).min(self.trust);
        if !span.is_finite() {
            return;
        }
        self.dir.iter_mut().for_each(|d| *d *= span);
        let lambda = crate::assignment::line_search(vdf, x, &self.dir);
        if lambda <= 0.0 {
            return;
        }
        let step = lambda * span;
        self.last_step = step;
        for ((b, p), _) in bushes
            .iter_mut()
            .zip(&self.prev)
            .zip(&self.moving)
            .filter(|(_, m)| **m)
        {
            for (f, &f0) in b.flow.iter_mut().zip(p) {
                *f = (*f + step * (*f - f0)).max(0.0);
            }
        }
        for (xa, d) in x.iter_mut().zip(&self.dir) {
            *xa += lambda * d;
        }
    }
}

/// The relative gap with each destination's cost taken inside its
/// origin's bush: a lower bound on the relative gap (a bush's shortest
/// paths are no shorter than the network's), cheap to get (one label pass
/// over each bush's live part), and close to it once bushes hold the
/// shortest paths. While it is above the target the all-or-nothing check
/// cannot succeed and is skipped.
fn bush_gap(tails: &[VertexIdx], bushes: &[Bush], x: &[f64], cost: &[f64], s: &mut Scratch) -> f64 {
    let tstt: f64 = x.iter().zip(cost).map(|(x, c)| x * c).sum();
    let mut sptt = 0.0;
    for b in bushes {
        s.labels_live(tails, b, cost);
        for &(d, f) in &b.dests {
            sptt += f * s.lo[d as usize];
        }
    }
    relative_gap(tstt, sptt)
}

/// Link flows as the sum of the bushes' flows.
fn sum_flows(bushes: &[Bush], x: &mut [f64]) {
    x.iter_mut().for_each(|v| *v = 0.0);
    for b in bushes {
        for (&a, &f) in b.arcs.iter().zip(&b.flow) {
            if f > 0.0 {
                x[a as usize] += f;
            }
        }
    }
}

/// The free-flow shortest-path tree from `o`, loaded all-or-nothing with
/// its demand, and the demand that cannot reach its destination; `None`
/// when `o` has no demand at all.
#[allow(clippy::too_many_arguments)]
fn initial_bush(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    sp: &mut ShortestPath,
    s: &mut Scratch,
    tree_flow: &mut [f64],
    o: VertexIdx,
    dests: &[(VertexIdx, f64)],
) -> Option<(Bush, f64)> {
    let live: Vec<(VertexIdx, f64)> = dests
        .iter()
        .copied()
        .filter(|&(d, f)| f > 0.0 && d != o)
        .collect();
    if live.is_empty() {
        return None;
    }
    sp.run(g, cost, &[(o, 0.0)], None);
    let mut reached_dests = Vec::new();
    let mut lost = 0.0;
    for (d, f) in live {
        if !sp.reached(d) {
            lost += f;
            continue;
        }
        reached_dests.push((d, f));
        let mut v = d;
        while sp.pred_arc(v) != NO_ARC {
            let a = sp.pred_arc(v) as usize;
            tree_flow[a] += f;
            v = tails[a];
        }
    }
    let mut bush = Bush {
        origin: o,
        order: vec![o],
        start: Vec::new(),
        arcs: Vec::new(),
        flow: Vec::new(),
        dests: reached_dests,
        live: Vec::new(),
    };
    s.arcs.clear();
    s.flow.clear();
    for v in 0..g.n_vertices() as u32 {
        let a = sp.pred_arc(v);
        if a != NO_ARC {
            bush.order.push(v);
            s.arcs.push(a);
            s.flow.push(tree_flow[a as usize]);
            tree_flow[a as usize] = 0.0;
        }
    }
    let ok = s.topological(g, tails, &bush);
    debug_assert!(ok, "a shortest-path tree is acyclic");
    s.rebuild(g, &mut bush, true);
    for &v in &bush.order {
        s.pos[v as usize] = NONE;
    }
    s.mark_live(tails, &mut bush);
    Some((bush, lost))
}

/// Runs Algorithm B; see [`crate::assignment::assign`] for the contract.
pub(crate) fn algorithm_b(
    g: &Csr,
    tails: &[VertexIdx],
    vdf: &Bpr,
    demand: &Demand,
    cfg: &AssignConfig,
    start: Instant,
    on_iteration: &mut dyn FnMut(&IterationStat),
) -> Assignment {
    let n = g.n_vertices();
    let m = g.n_arcs();
    let mut cost = vec![0.0; m];
    vdf.costs(&vec![0.0; m], &mut cost);
    // Initial bushes: free-flow shortest-path trees, loaded all-or-nothing,
    // built in parallel on the current pool (each bush on its own, so the
    // result does not depend on the thread count).
    let built: Vec<Option<(Bush, f64)>> = demand
        .origins
        .par_iter()
        .map_init(
            || (ShortestPath::new(n), Scratch::new(n), vec![0.0; m]),
            |(sp, s, tree_flow), (o, dests)| {
                initial_bush(g, tails, &cost, sp, s, tree_flow, *o, dests)
            },
        )
        .collect();
    let mut bushes: Vec<Bush> = Vec::with_capacity(built.len());
    let mut unreachable_demand = 0.0;
    for (bush, lost) in built.into_iter().flatten() {
        unreachable_demand += lost;
        if !bush.dests.is_empty() {
            bushes.push(bush);
        }
    }
    let mut s = Scratch::new(n);
    let mut x = vec![0.0; m];
    let mut extrapolation = Extrapolation::new(&bushes, m);
    let mut through = vec![0.0; n];
    let rev = Reverse::new(g);
    let (mut forward, mut backward, mut safe_backward) = (Vec::new(), Vec::new(), Vec::new());
    let mut history = Vec::new();
    let (mut gap, mut objective);
    let mut converged = false;
    let mut k = 0;
    loop {
        k += 1;
        // Re-sum so rounding in the incremental updates cannot accumulate.
        sum_flows(&bushes, &mut x);
        vdf.costs(&x, &mut cost);
        let own_gap = bush_gap(tails, &bushes, &x, &cost, &mut s);
        // The full check only when it can succeed (or must be reported).
        let last = k >= cfg.max_iter.max(1);
        let stat = if own_gap <= cfg.gap || last {
            measure(g, tails, vdf, demand, &x, &mut cost, k, start).1
        } else {
            IterationStat {
                iteration: k,
                relative_gap: own_gap,
                objective: vdf.beckmann(&x),
                seconds: start.elapsed().as_secs_f64(),
                gap_is_lower_bound: true,
            }
        };
        let checked = own_gap <= cfg.gap || last;
        (gap, objective) = (stat.relative_gap, stat.objective);
        on_iteration(&stat);
        history.push(stat);
        if checked && gap <= cfg.gap {
            converged = true;
            break;
        }
        if last {
            break;
        }
        if extrapolation.judge(&mut bushes, own_gap) {
            extrapolation.rebalance_moving(&mut bushes, tails, &mut through);
            sum_flows(&bushes, &mut x);
            vdf.costs(&x, &mut cost);
        }
        for (i, b) in bushes.iter_mut().enumerate() {
            s.load(b);
            update_bush(
                g,
                tails,
                b,
                &cost,
                &mut s,
                &rev,
                &mut forward,
                &mut backward,
                &mut safe_backward,
            );
            extrapolation.snapshot(i, b);
            for _ in 0..INNER_PASSES {
                shift_flows(tails, vdf, b, &mut x, &mut cost, &mut s);
            }
            s.unload(b);
        }
        extrapolation.after_sweep(vdf, &mut bushes, &mut x);
        if extrapolation.last_step > 0.0 {
            extrapolation.rebalance_moving(&mut bushes, tails, &mut through);
        }
    }
    Assignment {
        flow: x,
        cost,
        history,
        relative_gap: gap,
        objective,
        converged,
        unreachable_demand,
    }
}
