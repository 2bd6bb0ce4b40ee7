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
//! after another (Gauss–Seidel); the gap check of every iteration is a full
//! parallel all-or-nothing load, so the reported relative gap means exactly
//! what it means for the other methods.
//!
//! Reference: R. B. Dial, "A path-based user-equilibrium traffic assignment
//! algorithm that obviates path storage and enumeration", Transportation
//! Research Part B 40(10) (2006). Bush updates follow the "longest used
//! path" rule that keeps bushes acyclic; divergence vertices are found by
//! walking both paths back in topological order as in S. D. Boyles' tap-b.
//!
//! Memory: one `f64` per arc and one `u32` per reached vertex per origin
//! (Berlin-Center: 865 × (28k arcs + 13k vertices), about 245 MB).

use crate::assignment::{AssignConfig, Assignment, Demand, IterationStat, measure};
use crate::csr::{Csr, VertexIdx};
use crate::shortest_path::{NO_ARC, ShortestPath};
use crate::vdf::Bpr;
use std::time::Instant;

/// Bush flow value marking an arc that is not in the bush.
const OUT: f64 = -1.0;
/// Flow-shifting passes over a bush after each bush update.
const INNER_PASSES: usize = 4;

struct Bush {
    origin: VertexIdx,
    /// Origin-based flow per arc; [`OUT`] when the arc is not in the bush.
    flow: Vec<f64>,
    /// A topological order of the bush's vertices, kept between iterations:
    /// dropping arcs and adding arcs that agree with it leave it valid, so
    /// Kahn's O(arcs) pass is only needed when an arc goes against it.
    order: Vec<VertexIdx>,
    /// Destinations with positive demand: `(vertex, flow)`.
    dests: Vec<(VertexIdx, f64)>,
}

/// Recomputes a bush's flows from its demand, keeping each vertex's split
/// over its in-arcs: in reverse topological order, a vertex's throughput
/// (its own demand plus what leaves it) is shared over its bush in-arcs in
/// the proportions they carry now. Repairs the demand conservation that
/// rounding erodes (an extrapolated step multiplies rounding errors).
fn rebalance(
    bush: &mut Bush,
    in_first: &[u32],
    in_arcs: &[u32],
    tails: &[VertexIdx],
    through: &mut [f64],
) {
    for &v in &bush.order {
        through[v as usize] = 0.0;
    }
    for &(d, f) in &bush.dests {
        through[d as usize] += f;
    }
    for &j in bush.order[1..].iter().rev() {
        let j = j as usize;
        let t = through[j];
        let ins = &in_arcs[in_first[j] as usize..in_first[j + 1] as usize];
        let sum: f64 = ins.iter().map(|&a| bush.flow[a as usize].max(0.0)).sum();
        if sum > 0.0 {
            let k = t / sum;
            for &a in ins {
                let f = &mut bush.flow[a as usize];
                if *f > 0.0 {
                    *f *= k;
                    through[tails[a as usize] as usize] += *f;
                }
            }
        } else if t > 0.0 {
            let a = *ins
                .iter()
                .find(|&&a| bush.flow[a as usize] >= 0.0)
                .expect("every bush vertex but the origin has a bush in-arc")
                as usize;
            bush.flow[a] = t;
            through[tails[a] as usize] += t;
        }
    }
}

/// Per-origin scratch reused across bushes.
struct Scratch {
    order: Vec<VertexIdx>,
    pos: Vec<u32>,
    indeg: Vec<u32>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    /// Longest-path labels over all bush arcs (Dial's conservative rule),
    /// filled by [`Scratch::labels`] when asked for.
    hi_all: Vec<f64>,
    lo_pred: Vec<u32>,
    hi_pred: Vec<u32>,
}

const NOT_IN_ORDER: u32 = u32::MAX;

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            order: Vec::with_capacity(n),
            pos: vec![NOT_IN_ORDER; n],
            indeg: vec![0; n],
            lo: vec![f64::INFINITY; n],
            hi: vec![f64::NEG_INFINITY; n],
            hi_all: vec![f64::NEG_INFINITY; n],
            lo_pred: vec![NO_ARC; n],
            hi_pred: vec![NO_ARC; n],
        }
    }

    /// Takes the bush's stored topological order as the current one.
    fn load(&mut self, bush: &Bush) {
        for &v in &self.order {
            self.pos[v as usize] = NOT_IN_ORDER;
        }
        self.order.clear();
        self.order.extend_from_slice(&bush.order);
        for (i, &v) in self.order.iter().enumerate() {
            self.pos[v as usize] = i as u32;
        }
    }

    /// Topological order of the bush's vertices (Kahn), from the origin.
    /// Returns false (and leaves a partial order) if the bush has a cycle.
    fn topological(&mut self, g: &Csr, bush: &Bush) -> bool {
        for &v in &self.order {
            self.pos[v as usize] = NOT_IN_ORDER;
        }
        self.order.clear();
        for (a, &f) in bush.flow.iter().enumerate() {
            if f >= 0.0 {
                self.indeg[g.head(a) as usize] += 1;
            }
        }
        self.order.push(bush.origin);
        let mut i = 0;
        while i < self.order.len() {
            let v = self.order[i];
            self.pos[v as usize] = i as u32;
            i += 1;
            for a in g.out_arcs(v) {
                if bush.flow[a] >= 0.0 {
                    let h = g.head(a) as usize;
                    self.indeg[h] -= 1;
                    if self.indeg[h] == 0 {
                        self.order.push(h as u32);
                    }
                }
            }
        }
        if self.indeg.iter().any(|&d| d != 0) {
            self.indeg.iter_mut().for_each(|d| *d = 0);
            return false;
        }
        true
    }

    /// Shortest (`lo`) labels over all bush arcs and longest (`hi`) labels
    /// over arcs carrying flow, in topological order; with `want_hi_all`
    /// also the longest labels over all bush arcs (`hi_all`) in the same
    /// pass.
    fn labels(&mut self, g: &Csr, bush: &Bush, cost: &[f64], want_hi_all: bool) {
        for &v in &self.order {
            let v = v as usize;
            self.lo[v] = f64::INFINITY;
            self.hi[v] = f64::NEG_INFINITY;
            self.hi_all[v] = f64::NEG_INFINITY;
            self.lo_pred[v] = NO_ARC;
            self.hi_pred[v] = NO_ARC;
        }
        let o = bush.origin as usize;
        self.lo[o] = 0.0;
        self.hi[o] = 0.0;
        self.hi_all[o] = 0.0;
        for i in 0..self.order.len() {
            let v = self.order[i];
            let (lv, hv) = (self.lo[v as usize], self.hi[v as usize]);
            let hav = self.hi_all[v as usize];
            for a in g.out_arcs(v) {
                let f = bush.flow[a];
                if f < 0.0 {
                    continue;
                }
                let h = g.head(a) as usize;
                let c = cost[a];
                if lv + c < self.lo[h] {
                    self.lo[h] = lv + c;
                    self.lo_pred[h] = a as u32;
                }
                if f > 0.0 && hv > f64::NEG_INFINITY && hv + c > self.hi[h] {
                    self.hi[h] = hv + c;
                    self.hi_pred[h] = a as u32;
                }
                if want_hi_all && hav + c > self.hi_all[h] {
                    self.hi_all[h] = hav + c;
                }
            }
        }
    }
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
/// The bush's stored topological order stays valid when arcs are dropped
/// (the shortest-path tree that keeps every vertex reachable is kept) and
/// when only forward arcs are added; it is recomputed only otherwise.
fn update_bush(
    g: &Csr,
    tails: &[VertexIdx],
    bush: &mut Bush,
    cost: &[f64],
    s: &mut Scratch,
    backward: &mut Vec<usize>,
    safe_backward: &mut Vec<usize>,
) {
    s.load(bush);
    s.labels(g, bush, cost, false);
    for a in 0..bush.flow.len() {
        if bush.flow[a] == 0.0 && s.lo_pred[g.head(a) as usize] != a as u32 {
            bush.flow[a] = OUT;
        }
    }
    // Dial's conservative labels (over all bush arcs) and the longest used
    // path labels, on the pruned bush. Shortest labels are unchanged: only
    // arcs off their tree were dropped.
    s.labels(g, bush, cost, true);
    backward.clear();
    safe_backward.clear();
    let improves = |hi: &[f64], lo: &[f64], i: usize, j: usize, c: f64| {
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
    };
    for a in 0..bush.flow.len() {
        if bush.flow[a] >= 0.0 {
            continue;
        }
        let (i, j) = (tails[a] as usize, g.head(a) as usize);
        if s.pos[i] == NOT_IN_ORDER || s.pos[j] == NOT_IN_ORDER {
            continue;
        }
        if !improves(&s.hi, &s.lo, i, j, cost[a]) {
            continue;
        }
        if s.pos[i] < s.pos[j] {
            bush.flow[a] = 0.0;
        } else {
            backward.push(a);
            if improves(&s.hi_all, &s.lo, i, j, cost[a]) {
                safe_backward.push(a);
            }
        }
    }
    if !backward.is_empty()
        && !set_order_with(g, bush, s, backward)
        && (safe_backward.is_empty() || !set_order_with(g, bush, s, safe_backward))
    {
        let ok = s.topological(g, bush);
        debug_assert!(ok, "forward arcs cannot close a cycle");
    }
    bush.order.clear();
    bush.order.extend_from_slice(&s.order);
}

/// Adds `arcs` to the bush and recomputes the topological order; if that
/// closes a cycle, takes them out again and returns false.
fn set_order_with(g: &Csr, bush: &mut Bush, s: &mut Scratch, arcs: &[usize]) -> bool {
    for &a in arcs {
        bush.flow[a] = 0.0;
    }
    if s.topological(g, bush) {
        return true;
    }
    for &a in arcs {
        bush.flow[a] = OUT;
    }
    false
}

/// One pass of flow shifts over a bush, vertices in reverse topological
/// order. Updates the bush flows, the total flows and their costs in place.
fn shift_flows(
    g: &Csr,
    tails: &[VertexIdx],
    vdf: &Bpr,
    bush: &mut Bush,
    x: &mut [f64],
    cost: &mut [f64],
    s: &mut Scratch,
) {
    s.labels(g, bush, cost, false);
    for k in (1..s.order.len()).rev() {
        let j = s.order[k] as usize;
        if s.hi_pred[j] == NO_ARC || s.lo_pred[j] == NO_ARC {
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
                let a = s.lo_pred[p] as usize;
                c_lo += cost[a];
                d_sum += vdf.derivative(a, x[a]);
                p = tails[a] as usize;
            }
            if step_hi {
                let a = s.hi_pred[q] as usize;
                c_hi += cost[a];
                d_sum += vdf.derivative(a, x[a]);
                max_shift = max_shift.min(bush.flow[a]);
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
            let a = s.hi_pred[v] as usize;
            let f = (bush.flow[a] - delta).max(0.0);
            x[a] -= bush.flow[a] - f;
            bush.flow[a] = f;
            cost[a] = vdf.cost(a, x[a]);
            v = tails[a] as usize;
        }
        let mut v = j;
        while v != top {
            let a = s.lo_pred[v] as usize;
            bush.flow[a] += delta;
            x[a] += delta;
            cost[a] = vdf.cost(a, x[a]);
            v = tails[a] as usize;
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
    /// Each bush's flows before its part of the sweep.
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
                        if *f >= 0.0 {
                            *f = ((*f + step * f0.max(0.0)) / (1.0 + step)).max(0.0);
                        }
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

    /// Records the bushes' flows before a sweep.
    fn snapshot(&mut self, bushes: &[Bush]) {
        for (b, p) in bushes.iter().zip(self.prev.iter_mut()) {
            p.copy_from_slice(&b.flow);
        }
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
                let (f, f0) = (f.max(0.0), f0.max(0.0));
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
                for ((d, &f), &f0) in self.dir.iter_mut().zip(&b.flow).zip(p) {
                    *d += f.max(0.0) - f0.max(0.0);
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
                if *f >= 0.0 {
                    *f = (*f + step * (*f - f0.max(0.0))).max(0.0);
                }
            }
        }
        for (xa, d) in x.iter_mut().zip(&self.dir) {
            *xa += lambda * d;
        }
    }
}

/// Link flows as the sum of the bushes' flows.
fn sum_flows(bushes: &[Bush], x: &mut [f64]) {
    x.iter_mut().for_each(|v| *v = 0.0);
    for b in bushes {
        for (t, &f) in x.iter_mut().zip(&b.flow) {
            if f > 0.0 {
                *t += f;
            }
        }
    }
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
    // Initial bushes: free-flow shortest-path trees, loaded all-or-nothing.
    let mut sp = ShortestPath::new(n);
    let mut bushes: Vec<Bush> = Vec::new();
    let mut scratch = Scratch::new(n);
    let mut unreachable_demand = 0.0;
    for (o, dests) in &demand.origins {
        let live: Vec<(VertexIdx, f64)> = dests
            .iter()
            .copied()
            .filter(|&(d, f)| f > 0.0 && d != *o)
            .collect();
        if live.is_empty() {
            continue;
        }
        sp.run(g, &cost, &[(*o, 0.0)], None);
        let mut flow = vec![OUT; m];
        for v in 0..n as u32 {
            let a = sp.pred_arc(v);
            if a != NO_ARC {
                flow[a as usize] = 0.0;
            }
        }
        let mut reached_dests = Vec::new();
        for (d, f) in live {
            if !sp.reached(d) {
                unreachable_demand += f;
                continue;
            }
            reached_dests.push((d, f));
            let mut v = d;
            while sp.pred_arc(v) != NO_ARC {
                let a = sp.pred_arc(v) as usize;
                flow[a] += f;
                v = tails[a];
            }
        }
        let mut bush = Bush {
            origin: *o,
            flow,
            order: Vec::new(),
            dests: reached_dests,
        };
        let ok = scratch.topological(g, &bush);
        debug_assert!(ok, "a shortest-path tree is acyclic");
        bush.order = scratch.order.clone();
        bushes.push(bush);
    }
    let mut x = vec![0.0; m];
    let mut extrapolation = Extrapolation::new(&bushes, m);
    // In-arcs of every vertex, for [`rebalance`].
    let mut through = vec![0.0; n];
    let mut in_first = vec![0u32; n + 1];
    for a in 0..m {
        in_first[g.head(a) as usize + 1] += 1;
    }
    for v in 0..n {
        in_first[v + 1] += in_first[v];
    }
    let mut in_arcs = vec![0u32; m];
    let mut fill = in_first.clone();
    for a in 0..m {
        let h = g.head(a) as usize;
        in_arcs[fill[h] as usize] = a as u32;
        fill[h] += 1;
    }
    let (mut backward, mut safe_backward) = (Vec::new(), Vec::new());
    let mut history = Vec::new();
    let (mut gap, mut objective);
    let mut converged = false;
    let mut k = 0;
    loop {
        k += 1;
        // Re-sum so rounding in the incremental updates cannot accumulate.
        sum_flows(&bushes, &mut x);
        let (_, stat) = measure(g, tails, vdf, demand, &x, &mut cost, k, start);
        (gap, objective) = (stat.relative_gap, stat.objective);
        on_iteration(&stat);
        history.push(stat);
        if gap <= cfg.gap {
            converged = true;
            break;
        }
        if k >= cfg.max_iter.max(1) {
            break;
        }
        if extrapolation.judge(&mut bushes, gap) {
            for (b, _) in bushes
                .iter_mut()
                .zip(&extrapolation.moving)
                .filter(|(_, m)| **m)
            {
                rebalance(b, &in_first, &in_arcs, tails, &mut through);
            }
            sum_flows(&bushes, &mut x);
            vdf.costs(&x, &mut cost);
        }
        extrapolation.snapshot(&bushes);
        for b in bushes.iter_mut() {
            update_bush(
                g,
                tails,
                b,
                &cost,
                &mut scratch,
                &mut backward,
                &mut safe_backward,
            );
            for _ in 0..INNER_PASSES {
                shift_flows(g, tails, vdf, b, &mut x, &mut cost, &mut scratch);
            }
        }
        extrapolation.after_sweep(vdf, &mut bushes, &mut x);
        if extrapolation.last_step > 0.0 {
            for (b, _) in bushes
                .iter_mut()
                .zip(&extrapolation.moving)
                .filter(|(_, m)| **m)
            {
                rebalance(b, &in_first, &in_arcs, tails, &mut through);
            }
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
