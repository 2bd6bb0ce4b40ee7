//! Algorithm B (Dial 2006): bush-based user-equilibrium assignment. Each
//! origin keeps an acyclic subgraph (its *bush*) and its own arc flows on
//! it; flow moves from the longest used path to the shortest path of the
//! bush between their divergence vertex and each vertex, by a Newton step.
//! It converges to far smaller gaps than the Frank–Wolfe family, which
//! stalls, and is what the assignment benchmark runs against AequilibraE.
//!
//! It runs on per-arc BPR costs only: the `assignment` driver sends it the
//! single-class problems that `separable.rs` recognises, for
//! [`Method::AlgorithmB`](super::problem::Method::AlgorithmB).
//!
//! One iteration:
//! 1. *Shortest paths*: from every origin, Dijkstra at the current costs,
//!    stopped once the origin's last destination is settled (on
//!    Berlin-Center that is about a third of the network), in parallel.
//!    Their costs give the exact relative gap of the current flows, so
//!    every iteration reports the true gap; the tree's paths to the
//!    destinations are kept as each bush's candidate arcs.
//! 2. *Sweep*: origin after origin (Gauss–Seidel), the bush becomes its
//!    arcs with flow plus those paths, then flow is shifted in a few
//!    passes; then more sweeps without searches while the bushes' own
//!    labels show enough left to shift (`extra_sweeps`); afterwards the
//!    whole sweep is extrapolated (see `Extrapolation`).
//!
//! A bush therefore holds only the arcs that carry its flow and its
//! current shortest paths, a few hundred arcs where a bush spanning every
//! reachable vertex (the textbook form) holds about half the network's
//! 28,000, and the sweep costs little next to the searches.
//!
//! Adding the paths can close a cycle with the flow-carrying arcs; then
//! only those path arcs are added that pass Dial's rule against the
//! longest-path labels of the old bush, which keeps the bush
//! acyclic (see `merge_paths`) and always admits a shortcut of the longest
//! used path where one exists.
//!
//! Results do not depend on the thread count: searches are independent
//! per origin and their sums are taken in origin order; the sweep runs on
//! one thread.
//!
//! Reference: R. B. Dial, "A path-based user-equilibrium traffic assignment
//! algorithm that obviates path storage and enumeration", Transportation
//! Research Part B 40(10) (2006). Divergence vertices are found by walking
//! both paths back in topological order as in S. D. Boyles' tap-b.
//!
//! Storage: a bush is its vertices in topological order, each with the
//! list of its bush in-arcs and their origin-based flows, stored
//! contiguously in that order, so a label pass touches the bush's arcs
//! once, in memory order. Memory per origin: two `f64` and one `u32` per
//! bush arc, two `u32` per bush vertex, one `u32` per arc of its paths.

use super::aon::relative_gap;
use super::line_search::along_arcs;
use super::origin_tree::OriginTree;
use super::problem::{Demand, SolverConfig};
use super::solution::{IterationStat, Run};
use crate::csr::{ArcIdx, Csr, VertexIdx};
use crate::shortest_path::NO_ARC;
use crate::vdf::Bpr;
use rayon::prelude::*;
use std::time::Instant;

/// Flow-shifting passes over a bush after each bush update. 4 left the
/// committed random case 512133 at a gap of 7e-6 after 1,000 iterations
/// (8: 1e-12 in about 750); on Berlin-Center 4 and 8 take the same
/// iterations and time within noise (one pass over every bush costs
/// about 3 % of an iteration).
const INNER_PASSES: usize = 8;

/// In the extra sweeps on a network where a sweep costs more than the
/// searches, a bush's shift passes stop after the second (or a later)
/// pass that found the bush's own excess (see `bush_excess`) at most this
/// share of its part (total over the number of bushes) of the excess cost
/// the last search measured: a bush already at its own equilibrium gains
/// nothing from more passes, and there the passes, not the searches, were
/// the time. Anaheim to 1e-10: 815 M instructions to 354 M (12 iterations
/// to 11), to 1e-4 138 M to 87 M. 0.003 and 0.03 did the same within the
/// iteration counts' jitter. Where the searches dominate (Berlin-Center)
/// the early stop cost iterations (15 instead of 11 to 1e-10), so there
/// every pass is made as before (see [`SEARCH_WEIGHT`]). Stopping the
/// passes of the sweep that follows the searches as well left the
/// committed random case 657298 at 3.3e-6 (after one pass) or 9.5e-9
/// (after two) for good.
const PASS_TARGET: f64 = 0.01;

/// The extra sweeps' passes stop early (see [`PASS_TARGET`]) when the
/// bushes' arcs times [`INNER_PASSES`] exceed this many times the vertices
/// the iteration's searches reached: a reached vertex costs a push and a
/// pop, about two passes over a bush arc. Anaheim: 70,000 against 15,000
/// reached (early stop); SiouxFalls 5,500 against 580 (early stop);
/// Berlin-Center 3.4 M against 4.1 M (every pass, results unchanged).
const SEARCH_WEIGHT: usize = 2;

/// Extra sweeps per iteration at most (see `extra_sweeps`). Berlin-Center
/// to 1e-10: 18 iterations with 5 sweeps and a target of 0.1, 11 with 8 and
/// 0.01, 12 with 12 and 0.01; a target of 0.001 costs more sweeps than the
/// iterations it saves.
const MAX_EXTRA_SWEEPS: usize = 8;
/// Extra sweeps stop once the bushes' own excess is below this share of
/// the excess the last search measured.
const SWEEP_TARGET: f64 = 0.01;

/// Marks "none" in `u32` scratch arrays (no position, no predecessor slot).
const NONE: u32 = u32::MAX;

struct Bush {
    origin: VertexIdx,
    /// The bush's vertices in a topological order; `order[0]` is the
    /// origin.
    order: Vec<VertexIdx>,
    /// In-arcs of `order[k]` are `arcs[start[k]..start[k + 1]]`.
    start: Vec<u32>,
    arcs: Vec<u32>,
    /// Origin-based flow on `arcs[i]`.
    flow: Vec<f64>,
    /// Destinations with positive demand, all reachable: `(vertex, flow)`.
    dests: Vec<(VertexIdx, f64)>,
}

impl Bush {
    fn empty(origin: VertexIdx, dests: Vec<(VertexIdx, f64)>) -> Self {
        Self {
            origin,
            order: vec![origin],
            start: vec![0, 0],
            arcs: Vec::new(),
            flow: Vec::new(),
            dests,
        }
    }
}

/// Per-bush scratch over all vertices, reused across bushes.
struct Scratch {
    /// Position of each vertex in the current bush's order, or [`NONE`].
    pos: Vec<u32>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    /// Labels for Dial's rule in [`merge_paths`].
    dial: Vec<f64>,
    /// Reached from the origin over flow-carrying arcs (in
    /// [`merge_paths`]; all false between calls).
    reach: Vec<bool>,
    /// Predecessor slot (index into the bush's `arcs`) per vertex.
    lo_pred: Vec<u32>,
    hi_pred: Vec<u32>,
    /// Kahn's sort: the vertex set, membership marks, per-vertex counters
    /// and out-lists.
    verts: Vec<VertexIdx>,
    in_set: Vec<bool>,
    count: Vec<u32>,
    out_first: Vec<u32>,
    out_arcs: Vec<u32>,
    queue: Vec<VertexIdx>,
    /// A bush's arcs and flows while it is rebuilt.
    arcs: Vec<u32>,
    flow: Vec<f64>,
    start: Vec<u32>,
    /// Each arc's cost derivative at the current link flows, kept in step
    /// with the costs (see [`Scratch::derivatives`]): the Newton step sums
    /// it along both segments at every vertex it shifts, and evaluating
    /// the BPR derivative there (loads of four parameter arrays, a power)
    /// was a large part of `shift_flows`; the shift that changes an arc's
    /// flow updates its cost and derivative together.
    der: Vec<f64>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            pos: vec![NONE; n],
            lo: vec![f64::INFINITY; n],
            hi: vec![f64::NEG_INFINITY; n],
            dial: vec![f64::NEG_INFINITY; n],
            reach: vec![false; n],
            lo_pred: vec![NONE; n],
            hi_pred: vec![NONE; n],
            verts: Vec::new(),
            in_set: vec![false; n],
            count: vec![0; n],
            out_first: vec![0; n],
            out_arcs: Vec::new(),
            queue: Vec::new(),
            arcs: Vec::new(),
            flow: Vec::new(),
            start: Vec::new(),
            der: Vec::new(),
        }
    }

    /// Sets [`Scratch::der`] from the link flows `x` (after every
    /// recomputation of the costs from them).
    fn derivatives(&mut self, vdf: &Bpr, x: &[f64]) {
        self.der.clear();
        self.der
            .extend(x.iter().enumerate().map(|(a, &xa)| vdf.derivative(a, xa)));
    }

    /// Sets `pos` for `bush`; [`Scratch::unload`] clears it.
    fn load(&mut self, bush: &Bush) {
        for (k, &v) in bush.order.iter().enumerate() {
            self.pos[v.index()] = k as u32;
        }
    }

    fn unload(&mut self, bush: &Bush) {
        for &v in &bush.order {
            self.pos[v.index()] = NONE;
        }
    }

    /// Shortest (`lo`) labels over all bush arcs and longest (`hi`) labels
    /// over arcs carrying flow, in topological order, pulling from each
    /// vertex's in-arcs.
    fn labels(&mut self, tails: &[VertexIdx], bush: &Bush, cost: &[f64]) {
        let o = bush.origin.index();
        self.lo[o] = 0.0;
        self.hi[o] = 0.0;
        self.lo_pred[o] = NONE;
        self.hi_pred[o] = NONE;
        for k in 1..bush.order.len() {
            let v = bush.order[k].index();
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            let (mut lo_pred, mut hi_pred) = (NONE, NONE);
            for i in bush.start[k] as usize..bush.start[k + 1] as usize {
                let a = bush.arcs[i] as usize;
                let t = tails[a].index();
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
            }
            self.lo[v] = lo;
            self.hi[v] = hi;
            self.lo_pred[v] = lo_pred;
            self.hi_pred[v] = hi_pred;
        }
    }

    /// Topological order (Kahn) of the origin and the endpoints of the
    /// arcs in `self.arcs`, into `self.queue`, the origin first. Returns
    /// false if the arcs close a cycle.
    fn topological(&mut self, g: &Csr, tails: &[VertexIdx], origin: VertexIdx) -> bool {
        self.verts.clear();
        self.verts.push(origin);
        self.in_set[origin.index()] = true;
        for &a in &self.arcs {
            for v in [tails[a as usize], g.head(ArcIdx(a))] {
                if !self.in_set[v.index()] {
                    self.in_set[v.index()] = true;
                    self.verts.push(v);
                }
            }
        }
        for &v in &self.verts {
            self.in_set[v.index()] = false;
            self.count[v.index()] = 0;
            self.out_first[v.index()] = 0;
        }
        // Out-lists of the arcs, as a small CSR over the vertex set.
        for &a in &self.arcs {
            self.out_first[tails[a as usize].index()] += 1;
            self.count[g.head(ArcIdx(a)).index()] += 1;
        }
        let mut acc = 0u32;
        for &v in &self.verts {
            let d = self.out_first[v.index()];
            self.out_first[v.index()] = acc;
            acc += d;
        }
        self.out_arcs.clear();
        self.out_arcs.resize(self.arcs.len(), 0);
        for &a in &self.arcs {
            let t = tails[a as usize].index();
            let at = self.out_first[t] as usize;
            self.out_arcs[at] = a;
            self.out_first[t] += 1;
        }
        // out_first[v] now points one past v's list, which runs backwards
        // from there while the arcs' tail is v.
        self.queue.clear();
        if self.count[origin.index()] != 0 {
            return false;
        }
        self.queue.push(origin);
        // Vertices no arc enters besides the origin cannot occur while
        // flows conserve demand; sorting them anyway keeps this total.
        for &v in &self.verts[1..] {
            if self.count[v.index()] == 0 {
                self.queue.push(v);
            }
        }
        let mut i = 0;
        while i < self.queue.len() {
            let v = self.queue[i].index();
            i += 1;
            let mut at = self.out_first[v] as usize;
            while at > 0 && tails[self.out_arcs[at - 1] as usize].index() == v {
                at -= 1;
                let h = g.head(ArcIdx(self.out_arcs[at]));
                self.count[h.index()] -= 1;
                if self.count[h.index()] == 0 {
                    self.queue.push(h);
                }
            }
        }
        self.queue.len() == self.verts.len()
    }

    /// Rebuilds `bush` from `self.arcs`/`self.flow` in the vertex order of
    /// `self.queue`, grouped by head; loads `pos` for the new order.
    fn rebuild(&mut self, g: &Csr, bush: &mut Bush) {
        bush.order.clear();
        bush.order.extend_from_slice(&self.queue);
        let nv = bush.order.len();
        for (k, &v) in bush.order.iter().enumerate() {
            self.pos[v.index()] = k as u32;
        }
        self.start.clear();
        self.start.resize(nv + 1, 0);
        for &a in &self.arcs {
            self.start[self.pos[g.head(ArcIdx(a)).index()] as usize + 1] += 1;
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
            let k = self.pos[g.head(ArcIdx(a)).index()] as usize;
            let at = self.start[k] as usize;
            self.start[k] += 1;
            bush.arcs[at] = a;
            bush.flow[at] = f;
        }
    }
}

/// Per-worker scratch for the shortest-path searches.
struct Search {
    sp: OriginTree,
    targets: Vec<VertexIdx>,
    /// `path_mark[v] == tag`: v is on a path already listed.
    path_mark: Vec<u32>,
    tag: u32,
    segment: Vec<u32>,
}

impl Search {
    fn new(n: usize) -> Self {
        Self {
            sp: OriginTree::new(n),
            targets: Vec::new(),
            path_mark: vec![0; n],
            tag: 0,
            segment: Vec::new(),
        }
    }

    /// Shortest paths from `o` at `cost`, searched until every destination
    /// is settled (a settled vertex's path is final, so these are exactly
    /// the full tree's). Fills `paths` with the tree's arcs to the reached
    /// destinations, each arc's tail the origin or an earlier arc's head,
    /// and returns `sum_d demand · cost` over them and the demand that
    /// cannot arrive.
    fn run(
        &mut self,
        g: &Csr,
        tails: &[VertexIdx],
        cost: &[f64],
        o: VertexIdx,
        dests: &[(VertexIdx, f64)],
        paths: &mut Vec<u32>,
    ) -> (f64, f64) {
        self.targets.clear();
        self.targets.extend(dests.iter().map(|&(d, _)| d));
        self.sp.run(g, cost, o, &self.targets);
        self.tag = self.tag.wrapping_add(1);
        if self.tag == 0 {
            self.path_mark.iter_mut().for_each(|m| *m = 0);
            self.tag = 1;
        }
        let tag = self.tag;
        paths.clear();
        self.path_mark[o.index()] = tag;
        let (mut sptt, mut lost) = (0.0, 0.0);
        for &(d, f) in dests {
            if !self.sp.reached(d) {
                lost += f;
                continue;
            }
            sptt += f * self.sp.dist(d);
            self.segment.clear();
            let mut v = d;
            while self.path_mark[v.index()] != tag {
                self.path_mark[v.index()] = tag;
                let a = self.sp.pred_arc(v);
                debug_assert_ne!(a, NO_ARC, "a reached vertex other than the origin");
                self.segment.push(a.0);
                v = tails[a.index()];
            }
            paths.extend(self.segment.iter().rev());
        }
        (sptt, lost)
    }
}

/// Every bush's shortest paths at `cost`, in parallel, into `paths`;
/// returns `sum_od demand · shortest path cost` and the number of
/// vertices the searches reached (their work, counted the same for any
/// thread count).
fn shortest_paths(
    g: &Csr,
    tails: &[VertexIdx],
    cost: &[f64],
    bushes: &[Bush],
    paths: &mut [Vec<u32>],
) -> (f64, usize) {
    let n = g.n_vertices();
    let found: Vec<(f64, usize)> = bushes
        .par_iter()
        .zip(paths.par_iter_mut())
        .map_init(
            || Search::new(n),
            |s, (b, p)| {
                let sptt = s.run(g, tails, cost, b.origin, &b.dests, p).0;
                (sptt, s.sp.n_reached())
            },
        )
        .collect();
    let sptt = found.iter().map(|f| f.0).sum();
    (sptt, found.iter().map(|f| f.1).sum())
}

/// Makes the bush its arcs that carry flow plus the shortest paths
/// `paths` (listed tails first, see [`Search::run`]), in a new
/// topological order. Expects `s.pos` loaded for the bush and leaves it
/// loaded for the new order.
///
/// Arcs without flow off the paths are dropped: they lead nowhere the
/// flow needs. If the paths close a cycle with the flow-carrying arcs `F`,
/// a path arc into a vertex of the old bush is added only if Dial's rule
/// admits it: `L_i + c < U_j`, where `U` is the longest-path label over
/// the old bush's arcs and `L` is `U` on its vertices and grows along the
/// path arcs into new ones. `L` never decreases along an arc kept (`F` is
/// part of the old bush) and strictly increases along one admitted, so no
/// cycle can form; and an arc that shortens the longest path to a vertex
/// always passes, so the shift that follows makes progress.
fn merge_paths(
    g: &Csr,
    tails: &[VertexIdx],
    bush: &mut Bush,
    paths: &[u32],
    cost: &[f64],
    s: &mut Scratch,
) {
    s.arcs.clear();
    s.flow.clear();
    // Flow-carrying arcs the origin reaches over flow-carrying arcs. A
    // shift can round an arc's flow to 0 and leave a trace (1e-15) on the
    // arcs after it; such an orphan keeps its vertex in the bush with no
    // label (U = -inf), and Dial's rule then admits no arc into it ever
    // again, which stalled the gap for good (issue 11). The trace is
    // rounding, not demand: drop it.
    for k in 0..bush.order.len() {
        let v = bush.order[k].index();
        let mut reached = k == 0;
        for i in bush.start[k] as usize..bush.start[k + 1] as usize {
            let a = bush.arcs[i];
            if bush.flow[i] > 0.0 && s.reach[tails[a as usize].index()] {
                reached = true;
                s.arcs.push(a);
                s.flow.push(bush.flow[i]);
            }
        }
        s.reach[v] = reached;
    }
    let carrying = s.arcs.len();
    // A kept flow-carrying arc (a dropped trace is not: it is re-added as
    // a path arc when a path uses it).
    let carries = |s: &Scratch, a: u32| {
        let k = s.pos[g.head(ArcIdx(a)).index()];
        k != NONE && s.reach[tails[a as usize].index()] && {
            let group = bush.start[k as usize] as usize..bush.start[k as usize + 1] as usize;
            bush.arcs[group.clone()]
                .iter()
                .zip(&bush.flow[group])
                .any(|(&b, &f)| b == a && f > 0.0)
        }
    };
    for &a in paths {
        if !carries(s, a) {
            s.arcs.push(a);
            s.flow.push(0.0);
        }
    }
    for &v in &bush.order {
        s.reach[v.index()] = false;
    }
    if !s.topological(g, tails, bush.origin) {
        // Longest-path labels over all the old bush's arcs, in its order
        // (F, the kept flow-carrying arcs, is part of it, so `L` does not
        // decrease along an arc of F; -inf where the old bush does not
        // reach, and such a vertex touches no arc of F).
        for k in 0..bush.order.len() {
            let v = bush.order[k].index();
            let mut u = if k == 0 { 0.0 } else { f64::NEG_INFINITY };
            for &a in &bush.arcs[bush.start[k] as usize..bush.start[k + 1] as usize] {
                u = u.max(s.dial[tails[a as usize].index()] + cost[a as usize]);
            }
            s.dial[v] = u;
        }
        let mut kept = carrying;
        for idx in carrying..s.arcs.len() {
            let a = s.arcs[idx];
            let (i, j) = (tails[a as usize].index(), g.head(ArcIdx(a)).index());
            let l = s.dial[i] + cost[a as usize];
            // A vertex of the old bush that no arc of it reaches touches
            // no kept arc (those are all reached): it is as good as new.
            let admit = if s.pos[j] != NONE && s.dial[j] > f64::NEG_INFINITY {
                l < s.dial[j]
            } else {
                s.dial[j] = l;
                true
            };
            if admit && s.dial[i] > f64::NEG_INFINITY {
                s.arcs[kept] = a;
                kept += 1;
            }
        }
        s.arcs.truncate(kept);
        s.flow.truncate(kept);
        if !s.topological(g, tails, bush.origin) {
            // Unreachable: the argument above holds in floating point too
            // (`fl(x + c) >= x` for `c >= 0`). Should it ever fail, keep
            // the flow-carrying arcs, a subset of the old acyclic bush.
            debug_assert!(false, "Dial's rule admitted a cycle");
            s.arcs.truncate(carrying);
            s.flow.truncate(carrying);
            let ok = s.topological(g, tails, bush.origin);
            debug_assert!(ok);
        }
    }
    s.unload(bush);
    s.rebuild(g, bush);
}

/// One pass of flow shifts over a bush, vertices in reverse topological
/// order. Updates the bush flows, the total flows, their costs and their
/// derivatives (`s.der`) in place. Expects `s.pos` loaded for the bush
/// and `s.der` in step with `x`.
fn shift_flows(
    tails: &[VertexIdx],
    vdf: &Bpr,
    bush: &mut Bush,
    x: &mut [f64],
    cost: &mut [f64],
    s: &mut Scratch,
) -> f64 {
    s.labels(tails, bush, cost);
    let excess = bush_excess(bush, s);
    for k in (1..bush.order.len()).rev() {
        let j = bush.order[k].index();
        // The same in-arc on both paths (most vertices of a bush that is
        // nearly a tree): they diverge at its tail at once and differ by
        // nothing, so the walk below would find nothing to shift (tap-b
        // skips such a vertex too).
        let (hi_pred, lo_pred) = (s.hi_pred[j], s.lo_pred[j]);
        if hi_pred == NONE || lo_pred == NONE || hi_pred == lo_pred {
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
                d_sum += s.der[a];
                p = tails[a].index();
            }
            if step_hi {
                let i = s.hi_pred[q] as usize;
                let a = bush.arcs[i] as usize;
                c_hi += cost[a];
                d_sum += s.der[a];
                max_shift = max_shift.min(bush.flow[i]);
                q = tails[a].index();
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
            (cost[a], s.der[a]) = vdf.cost_and_derivative(a, x[a]);
            v = tails[a].index();
        }
        let mut v = j;
        while v != top {
            let i = s.lo_pred[v] as usize;
            let a = bush.arcs[i] as usize;
            bush.flow[i] += delta;
            x[a] += delta;
            (cost[a], s.der[a]) = vdf.cost_and_derivative(a, x[a]);
            v = tails[a].index();
        }
    }
    excess
}

/// What the bush's own flows cost above its own shortest paths, as far as
/// its labels tell: `sum_d demand_d · (longest used − shortest)` over its
/// destinations, an upper bound on its part of the excess cost that the
/// sweeps can remove (what lies outside the bush only a search finds).
/// Expects `s.labels` computed for the bush.
fn bush_excess(bush: &Bush, s: &Scratch) -> f64 {
    bush.dests
        .iter()
        .map(|&(d, f)| {
            let (hi, lo) = (s.hi[d.index()], s.lo[d.index()]);
            if hi > lo && hi.is_finite() {
                f * (hi - lo)
            } else {
                0.0
            }
        })
        .sum()
}

/// Recomputes a bush's flows from its demand, keeping each vertex's split
/// over its in-arcs: in reverse topological order, a vertex's throughput
/// (its own demand plus what leaves it) is shared over its bush in-arcs in
/// the proportions they carry now. Repairs the demand conservation that
/// rounding erodes (an extrapolated step multiplies rounding errors).
fn rebalance(bush: &mut Bush, tails: &[VertexIdx], through: &mut [f64]) {
    for &v in &bush.order {
        through[v.index()] = 0.0;
    }
    for &(d, f) in &bush.dests {
        through[d.index()] += f;
    }
    for k in (1..bush.order.len()).rev() {
        let t = through[bush.order[k].index()];
        let group = bush.start[k] as usize..bush.start[k + 1] as usize;
        let sum: f64 = bush.flow[group.clone()].iter().sum();
        if sum > 0.0 {
            let scale = t / sum;
            for i in group {
                bush.flow[i] *= scale;
                through[tails[bush.arcs[i] as usize].index()] += bush.flow[i];
            }
        } else if t > 0.0 && !group.is_empty() {
            // No in-arc carries flow (a new bush, or flow rounded away):
            // the first one takes it all.
            let i = group.start;
            bush.flow[i] = t;
            through[tails[bush.arcs[i] as usize].index()] += t;
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
                for (b, p) in self.moving_bushes(bushes) {
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
        for (b, _) in self.moving_bushes(bushes) {
            rebalance(b, tails, through);
        }
    }

    /// The bushes the last step moves (or moved), each with its flows
    /// before the sweep.
    fn moving_bushes<'a>(
        &'a self,
        bushes: &'a mut [Bush],
    ) -> impl Iterator<Item = (&'a mut Bush, &'a [f64])> + 'a {
        bushes
            .iter_mut()
            .zip(&self.prev)
            .zip(&self.moving)
            .filter(|(_, m)| **m)
            .map(|((b, p), _)| (b, p.as_slice()))
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
        let lambda = along_arcs(vdf, x, &self.dir);
        if lambda <= 0.0 {
            return;
        }
        let step = lambda * span;
        self.last_step = step;
        for (b, p) in self.moving_bushes(bushes) {
            for (f, &f0) in b.flow.iter_mut().zip(p) {
                *f = (*f + step * (*f - f0)).max(0.0);
            }
        }
        for (xa, d) in x.iter_mut().zip(&self.dir) {
            *xa += lambda * d;
        }
    }
}

/// More sweeps over the bushes as they now are (no search, no new arcs),
/// until what their own labels say is left to shift falls below
/// [`SWEEP_TARGET`] of the excess cost the last search measured, or after
/// [`MAX_EXTRA_SWEEPS`]. Each bush gets passes only while its own labels
/// show enough left (see [`PASS_TARGET`]).
///
/// Why: one sweep equilibrates each origin against the others' flows as
/// they were; where origins share congested links, the next origin's
/// shift undoes part of this one's, and the sweeps creep (Anaheim sat
/// between 1e-7 and 1e-8 for 30 iterations). A sweep costs a few percent
/// of an iteration's searches, so repeating it until the bushes agree
/// saves whole iterations: Berlin-Center to 1e-10 in 11 iterations instead
/// of 51, Anaheim in 12 instead of 41.
fn extra_sweeps(
    tails: &[VertexIdx],
    vdf: &Bpr,
    bushes: &mut [Bush],
    x: &mut [f64],
    cost: &mut [f64],
    s: &mut Scratch,
    measured: Measured,
) {
    let Measured {
        excess: measured_excess,
        searched,
    } = measured;
    // Passes stop early only where a full sweep costs more than the
    // searches (see `PASS_TARGET`); elsewhere every bush gets all its
    // passes, as before: a negative excess is never reached.
    let bush_arcs: usize = bushes.iter().map(|b| b.arcs.len()).sum();
    let enough = if bush_arcs * INNER_PASSES > SEARCH_WEIGHT * searched {
        pass_target(measured_excess, bushes.len())
    } else {
        -1.0
    };
    for _ in 0..MAX_EXTRA_SWEEPS {
        let mut left = 0.0;
        for b in bushes.iter_mut() {
            s.load(b);
            left += shift_passes(tails, vdf, b, x, cost, s, enough);
            s.unload(b);
        }
        if left <= SWEEP_TARGET * measured_excess {
            return;
        }
    }
}

/// What an iteration's searches measured, for [`extra_sweeps`]: the
/// excess cost `tstt - sptt` and the vertices they reached (their work).
#[derive(Clone, Copy)]
struct Measured {
    excess: f64,
    searched: usize,
}

/// The excess below which a bush's passes stop: [`PASS_TARGET`] of its
/// share of the excess cost the last search measured.
fn pass_target(measured_excess: f64, n_bushes: usize) -> f64 {
    PASS_TARGET * measured_excess / n_bushes.max(1) as f64
}

/// Up to [`INNER_PASSES`] passes of [`shift_flows`] over one bush,
/// stopping after the first pass but one that found the bush's own excess
/// at most `enough` (see [`PASS_TARGET`]); returns the excess the first
/// pass found. Expects `s.pos`
/// loaded for the bush.
fn shift_passes(
    tails: &[VertexIdx],
    vdf: &Bpr,
    bush: &mut Bush,
    x: &mut [f64],
    cost: &mut [f64],
    s: &mut Scratch,
    enough: f64,
) -> f64 {
    let first = shift_flows(tails, vdf, bush, x, cost, s);
    for _ in 1..INNER_PASSES {
        if shift_flows(tails, vdf, bush, x, cost, s) <= enough {
            break;
        }
    }
    first
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

/// The bushes at the start: each origin's shortest paths at `cost` (free
/// flow), loaded all-or-nothing; and the demand that cannot arrive.
fn initial_bushes(g: &Csr, tails: &[VertexIdx], cost: &[f64], demand: &Demand) -> (Vec<Bush>, f64) {
    let n = g.n_vertices();
    let found: Vec<(Bush, Vec<u32>, f64)> = demand
        .origins
        .par_iter()
        .filter_map(|(o, dests)| {
            let dests: Vec<(VertexIdx, f64)> = dests
                .iter()
                .copied()
                .filter(|&(d, f)| f > 0.0 && d != *o)
                .collect();
            (!dests.is_empty()).then_some((*o, dests))
        })
        .map_init(
            || Search::new(n),
            |search, (o, dests)| {
                let mut paths = Vec::new();
                let (_, lost) = search.run(g, tails, cost, o, &dests, &mut paths);
                let reached = dests
                    .into_iter()
                    .filter(|&(d, _)| search.sp.reached(d))
                    .collect();
                (Bush::empty(o, reached), paths, lost)
            },
        )
        .collect();
    let mut s = Scratch::new(n);
    let mut through = vec![0.0; n];
    let mut bushes = Vec::with_capacity(found.len());
    let mut lost = 0.0;
    for (mut bush, paths, l) in found {
        lost += l;
        if bush.dests.is_empty() {
            continue;
        }
        s.load(&bush);
        merge_paths(g, tails, &mut bush, &paths, cost, &mut s);
        s.unload(&bush);
        // A tree: each vertex's one in-arc carries all that passes it.
        rebalance(&mut bush, tails, &mut through);
        bushes.push(bush);
    }
    (bushes, lost)
}

/// Runs Algorithm B on per-arc costs `vdf`; see [`super::assign`] for the
/// contract.
pub(super) fn algorithm_b(
    g: &Csr,
    tails: &[VertexIdx],
    vdf: &Bpr,
    demand: &Demand,
    cfg: &SolverConfig,
    start: Instant,
    on_iteration: &mut dyn FnMut(&IterationStat),
) -> Run {
    let n = g.n_vertices();
    let m = g.n_arcs();
    let mut cost = vec![0.0; m];
    vdf.costs(&vec![0.0; m], &mut cost);
    let (mut bushes, unreachable_demand) = initial_bushes(g, tails, &cost, demand);
    let mut paths: Vec<Vec<u32>> = vec![Vec::new(); bushes.len()];
    let mut s = Scratch::new(n);
    let mut x = vec![0.0; m];
    let mut extrapolation = Extrapolation::new(&bushes, m);
    let mut through = vec![0.0; n];
    let mut history = Vec::new();
    let (mut gap, mut objective);
    let mut converged = false;
    let mut k = 0;
    loop {
        k += 1;
        // Re-sum so rounding in the incremental updates cannot accumulate.
        sum_flows(&bushes, &mut x);
        vdf.costs(&x, &mut cost);
        s.derivatives(vdf, &x);
        let (sptt, searched) = shortest_paths(g, tails, &cost, &bushes, &mut paths);
        let tstt: f64 = x.iter().zip(&cost).map(|(x, c)| x * c).sum();
        let stat = IterationStat {
            iteration: k,
            relative_gap: relative_gap(tstt, sptt),
            objective: vdf.beckmann(&x),
            seconds: start.elapsed().as_secs_f64(),
        };
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
            extrapolation.rebalance_moving(&mut bushes, tails, &mut through);
            sum_flows(&bushes, &mut x);
            vdf.costs(&x, &mut cost);
            s.derivatives(vdf, &x);
        }
        for (i, b) in bushes.iter_mut().enumerate() {
            s.load(b);
            merge_paths(g, tails, b, &paths[i], &cost, &mut s);
            extrapolation.snapshot(i, b);
            for _ in 0..INNER_PASSES {
                shift_flows(tails, vdf, b, &mut x, &mut cost, &mut s);
            }
            s.unload(b);
        }
        extra_sweeps(
            tails,
            vdf,
            &mut bushes,
            &mut x,
            &mut cost,
            &mut s,
            Measured {
                excess: tstt - sptt,
                searched,
            },
        );
        extrapolation.after_sweep(vdf, &mut bushes, &mut x);
        if extrapolation.last_step > 0.0 {
            extrapolation.rebalance_moving(&mut bushes, tails, &mut through);
        }
    }
    Run {
        flow: x,
        cost,
        history,
        relative_gap: gap,
        class_gap: vec![gap],
        objective,
        converged,
        unreachable_demand: vec![unreachable_demand],
    }
}
