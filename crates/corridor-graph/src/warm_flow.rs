//! Cheapest maximum flows of one graph with a few arcs closed, each
//! warm-started from the cheapest maximum flow of the whole graph: the
//! re-solve criticality (N−1) makes per element. It owns the base's
//! integer problem, its exact optimal potentials and the repair; it does
//! not choose which arcs to close (the engine does).
//!
//! # Method
//!
//! [`WarmMinCostFlow::new`] solves the base exactly as
//! [`crate::min_cost_flow::min_cost_max_flow`] does (same integers, same
//! flow) and keeps the integer problem: capacities `u`, costs `c ≥ 0`, the
//! optimal flow `f` of value `V`. Cost scaling certifies `f` with prices
//! that are optimal only to within one unit of its scaled costs; one
//! label-correcting pass over the residual graph of `f` (which has no
//! negative cycle, `f` being optimal) turns them into **exact integer
//! potentials** `p`: every residual arc `(x, y)` has reduced cost
//! `c(x, y) + p(x) − p(y) ≥ 0`.
//!
//! The cheapest maximum flow is the cheapest *circulation* of the graph
//! plus a return arc `t → s` of cost `−M` and capacity `V`, with
//! `M > n · max c` (larger than any simple path costs, so that no
//! circulation trades a unit of value for any saving in cost: if a flow of
//! larger value existed, an augmenting path closed by the return arc would
//! be a negative cycle). `f` with `V` on the return arc is such a cheapest
//! circulation, and `p` certifies it once `M ≥ p(t) − p(s)` (the return's
//! reverse `s → t`, cost `M`, then has reduced cost ≥ 0).
//!
//! [`WarmMinCostFlow::without`] closes arcs: it sets their capacity and
//! flow to zero. Only residual arcs disappear, so `p` still certifies
//! every remaining one; the flow removed leaves an excess at each closed
//! arc's tail and a deficit at its head. Successive shortest paths settle
//! them: Dijkstra on the reduced costs (all ≥ 0) from every vertex with
//! excess to the nearest deficit, potentials raised by the distances, one
//! augmentation, until no excess is left (A. K. Ahuja, T. L. Magnanti &
//! J. B. Orlin, *Network Flows*, 1993, §9.7: each step keeps every
//! residual reduced cost ≥ 0). A detour around the closure costs less
//! than `M`; when none is left the path runs back through `s → t`, which
//! cancels a unit of value upstream and downstream of the closure. The end
//! is a cheapest circulation, hence a maximum flow of the closed graph and
//! the cheapest of those, **exactly**, on the base's integers. The work is
//! the Dijkstra searches around the closure: nothing when no flow crossed
//! it.
//!
//! # Against solving from scratch
//!
//! [`min_cost_max_flow`] on the closed graph rounds capacities with its own
//! factor (a power of two chosen from their sum, which closing lowers) and
//! gives unlimited arcs its own stand-in; with whole capacities summing to
//! at most 2^50 both are the same, and the two answers are the same value
//! and cost (the flows may differ where several are cheapest). Otherwise
//! they differ by the rounding [`crate::min_cost_flow`]'s module doc
//! bounds (about 2^−50 of the capacities' sum).
//!
//! [`min_cost_max_flow`]: crate::min_cost_flow::min_cost_max_flow

use crate::Error;
use crate::csr::{Csr, VertexIdx};
use crate::min_cost_flow::{MinCostFlow, finish_f64, min_cost_max_flow_integral};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// A residual arc as a search remembers it: forward `2a`, backward
/// `2a + 1`, or one of the return arc's two directions.
type Code = u32;
const NONE: Code = u32::MAX;
const RETURN_BACK: Code = u32::MAX - 1; // s -> t, cost M
const RETURN_FORWARD: Code = u32::MAX - 2; // t -> s, cost -M

/// The base cheapest maximum flow, ready to be repaired after closures.
pub struct WarmMinCostFlow {
    csr: Csr,
    tails: Vec<u32>,
    heads: Vec<u32>,
    /// Arcs into each vertex: `in_arcs[first_in[v]..first_in[v + 1]]`.
    first_in: Vec<u32>,
    in_arcs: Vec<u32>,
    s: usize,
    t: usize,
    /// The `f64` capacities solved (vast ones relaxed) and the caller's costs.
    capacity: Vec<f64>,
    cost: Vec<f64>,
    cap: Vec<i64>,
    icost: Vec<i64>,
    kcap: f64,
    flow: Vec<i64>,
    value: i64,
    potential: Vec<i128>,
    /// The return arc's cost magnitude `M`.
    big: i128,
    base: MinCostFlow,
}

/// A repaired flow kept to start other repairs from.
pub struct WarmState {
    cap: Vec<i64>,
    capf: Vec<f64>,
    flow: Vec<i64>,
    pot: Vec<i128>,
    returned: i64,
}

/// Per-thread buffers of [`WarmMinCostFlow::without`].
pub struct WarmScratch {
    cap: Vec<i64>,
    capf: Vec<f64>,
    flow: Vec<i64>,
    excess: Vec<i64>,
    pot: Vec<i128>,
    dist: Vec<i128>,
    pred: Vec<Code>,
    seen: Vec<u32>,
    done: Vec<u32>,
    stamp: u32,
    heap: BinaryHeap<Reverse<(i128, u32)>>,
    settled: Vec<u32>,
    sources: Vec<u32>,
    /// The value (the return arc's flow) of the repaired flow.
    returned: i64,
    /// Augmentations of the last call.
    pub augmentations: usize,
}

impl WarmMinCostFlow {
    /// Solves the base as [`crate::min_cost_flow::min_cost_max_flow`]
    /// does (same arguments and errors) and derives exact potentials.
    pub fn new(
        g: &Csr,
        capacity: &[f64],
        cost: &[f64],
        source: VertexIdx,
        sink: VertexIdx,
    ) -> Result<Self, Error> {
        let (base, integral) = min_cost_max_flow_integral(g, capacity, cost, source, sink)?;
        let n = g.n_vertices();
        let tails: Vec<u32> = g.tails().iter().map(|v| v.0).collect();
        let heads: Vec<u32> = g.heads().iter().map(|v| v.0).collect();
        let mut first_in = vec![0u32; n + 1];
        for &h in &heads {
            first_in[h as usize + 1] += 1;
        }
        for v in 0..n {
            first_in[v + 1] += first_in[v];
        }
        let mut next = first_in.clone();
        let mut in_arcs = vec![0u32; heads.len()];
        for (a, &h) in heads.iter().enumerate() {
            in_arcs[next[h as usize] as usize] = a as u32;
            next[h as usize] += 1;
        }
        let mut w = Self {
            csr: g.clone(),
            tails,
            heads,
            first_in,
            in_arcs,
            s: source.index(),
            t: sink.index(),
            capacity: integral.capacity,
            cost: cost.to_vec(),
            cap: integral.cap,
            icost: integral.cost,
            kcap: integral.kcap,
            flow: integral.flow,
            value: integral.value,
            potential: Vec::new(),
            big: 0,
            base,
        };
        w.potential = w.exact_potentials(&integral.prices)?;
        let max_cost = w.icost.iter().map(|c| i128::from(c.abs())).max();
        let gap = w.potential[w.t] - w.potential[w.s];
        w.big = n as i128 * max_cost.unwrap_or(0) + 1 + gap.max(0);
        Ok(w)
    }

    /// The base's answer (what [`crate::min_cost_flow::min_cost_max_flow`]
    /// returns for the same arguments).
    pub fn base(&self) -> &MinCostFlow {
        &self.base
    }

    /// Buffers for one thread of [`WarmMinCostFlow::without`].
    pub fn scratch(&self) -> WarmScratch {
        let (n, m) = (self.potential.len(), self.cap.len());
        WarmScratch {
            cap: vec![0; m],
            capf: vec![0.0; m],
            flow: vec![0; m],
            excess: vec![0; n],
            pot: vec![0; n],
            dist: vec![0; n],
            pred: vec![NONE; n],
            seen: vec![0; n],
            done: vec![0; n],
            stamp: 0,
            heap: BinaryHeap::new(),
            settled: Vec::new(),
            sources: Vec::new(),
            returned: 0,
            augmentations: 0,
        }
    }

    /// The residual arcs out of `x` under capacities `cap` and flow
    /// `flow`: (code, head, residual capacity, cost), return arcs aside.
    fn residual<'a>(
        &'a self,
        x: usize,
        cap: &'a [i64],
        flow: &'a [i64],
    ) -> impl Iterator<Item = (Code, usize, i64, i128)> + 'a {
        let out = self.csr.first_out()[x] as usize..self.csr.first_out()[x + 1] as usize;
        let fwd = out.map(move |a| {
            let r = cap[a] - flow[a];
            (
                2 * a as u32,
                self.heads[a] as usize,
                r,
                i128::from(self.icost[a]),
            )
        });
        let back = self.in_arcs[self.first_in[x] as usize..self.first_in[x + 1] as usize]
            .iter()
            .map(move |&a| {
                let a = a as usize;
                (
                    2 * a as u32 + 1,
                    self.tails[a] as usize,
                    flow[a],
                    -i128::from(self.icost[a]),
                )
            });
        fwd.chain(back).filter(|&(_, _, r, _)| r > 0)
    }

    /// Potentials under which every residual arc of the base has reduced
    /// cost ≥ 0: cost scaling's prices divided by its scale `n + 1`
    /// (each residual arc then violates by at most one unit), corrected by
    /// FIFO label correcting, which ends because the residual graph of an
    /// optimal flow has no negative cycle.
    fn exact_potentials(&self, prices: &[i64]) -> Result<Vec<i128>, Error> {
        let n = prices.len();
        let scale = n as i64 + 1;
        let mut p: Vec<i128> = prices
            .iter()
            .map(|&x| i128::from(x.div_euclid(scale)))
            .collect();
        let mut queued = vec![true; n];
        let mut queue: VecDeque<usize> = (0..n).collect();
        // n passes over every arc at most (Bellman–Ford); more means a bug.
        let mut budget = (n as u128 + 1) * (2 * self.cap.len() as u128 + n as u128);
        while let Some(x) = queue.pop_front() {
            queued[x] = false;
            for (_, y, _, c) in self.residual(x, &self.cap, &self.flow) {
                budget = budget.saturating_sub(1);
                if p[x] + c < p[y] {
                    p[y] = p[x] + c;
                    if !queued[y] {
                        queued[y] = true;
                        queue.push_back(y);
                    }
                }
            }
            if budget == 0 {
                return Err(Error::InvalidInput(
                    "the base flow is not optimal: its residual graph has a negative cycle".into(),
                ));
            }
        }
        Ok(p)
    }

    /// The cheapest maximum flow with the arcs `closed` (indices in CSR
    /// order) at zero capacity, repaired from the base (see the module
    /// doc); `f64` numbers as [`crate::min_cost_flow::min_cost_max_flow`]
    /// reports them.
    pub fn without(&self, closed: &[u32], sc: &mut WarmScratch) -> Result<MinCostFlow, Error> {
        self.begin(sc);
        for &a in closed {
            self.lower(sc, a as usize, 0, 0.0);
        }
        self.settle(sc)
    }

    /// The cheapest maximum flow with capacities `caps`, none above the
    /// base's, repaired from the base the same way (a lowered capacity
    /// removes flow as a closure does). Capacities are made integers with
    /// the base's factor.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a capacity is above the base's.
    pub fn with_capacities(
        &self,
        caps: &[f64],
        sc: &mut WarmScratch,
    ) -> Result<MinCostFlow, Error> {
        self.begin(sc);
        self.lower_to(caps, sc)
    }

    /// [`WarmMinCostFlow::with_capacities`] repairing the flow of the last
    /// call on `sc` instead of the base's: `caps` must be at most the
    /// capacities of that call (a division that only lowers capacities
    /// repairs each round from the one before).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a capacity is above that call's.
    pub fn lower_further(&self, caps: &[f64], sc: &mut WarmScratch) -> Result<MinCostFlow, Error> {
        sc.sources.clear();
        sc.augmentations = 0;
        self.lower_to(caps, sc)
    }

    fn lower_to(&self, caps: &[f64], sc: &mut WarmScratch) -> Result<MinCostFlow, Error> {
        if caps.len() != self.cap.len() {
            return Err(Error::InvalidInput(format!(
                "{} capacities for {} arcs",
                caps.len(),
                self.cap.len()
            )));
        }
        for (a, &c) in caps.iter().enumerate() {
            let was = sc.capf[a];
            if c < was {
                // A vast capacity relaxed in the base stays relaxed unless
                // it drops below the base's stand-in.
                let ic = ((c * self.kcap).floor() as i64).clamp(0, sc.cap[a]);
                self.lower(sc, a, ic, c);
            } else if c > was || c.is_nan() {
                return Err(Error::InvalidInput(format!(
                    "arc {a}: capacity {c} above the current {was}"
                )));
            }
        }
        self.settle(sc)
    }

    fn begin(&self, sc: &mut WarmScratch) {
        sc.cap.copy_from_slice(&self.cap);
        sc.capf.copy_from_slice(&self.capacity);
        sc.flow.copy_from_slice(&self.flow);
        sc.pot.copy_from_slice(&self.potential);
        sc.excess.fill(0);
        sc.sources.clear();
        sc.returned = self.value;
        sc.augmentations = 0;
    }

    /// The repaired flow of the last call on `sc`, to start later repairs
    /// from ([`WarmMinCostFlow::repair_from`]).
    pub fn snapshot(&self, sc: &WarmScratch) -> WarmState {
        WarmState {
            cap: sc.cap.clone(),
            capf: sc.capf.clone(),
            flow: sc.flow.clone(),
            pot: sc.pot.clone(),
            returned: sc.returned,
        }
    }

    /// The cheapest maximum flow with capacities `caps` (none above the
    /// base's), repaired from `state`: a lowered capacity removes flow as
    /// a closure does; a raised one whose arc has negative reduced cost is
    /// filled to it (the only residual arcs a raise adds are such arcs'
    /// forward ones, so filling them keeps every reduced cost ≥ 0), which
    /// leaves an excess at its head and a deficit at its tail; then the
    /// same successive shortest paths. Exact whatever `state` is, and
    /// cheap when `caps` are near its capacities.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a capacity is above the base's.
    pub fn repair_from(
        &self,
        state: &WarmState,
        caps: &[f64],
        sc: &mut WarmScratch,
    ) -> Result<MinCostFlow, Error> {
        if caps.len() != self.cap.len() {
            return Err(Error::InvalidInput(format!(
                "{} capacities for {} arcs",
                caps.len(),
                self.cap.len()
            )));
        }
        sc.cap.copy_from_slice(&state.cap);
        sc.capf.copy_from_slice(&state.capf);
        sc.flow.copy_from_slice(&state.flow);
        sc.pot.copy_from_slice(&state.pot);
        sc.returned = state.returned;
        sc.excess.fill(0);
        sc.sources.clear();
        sc.augmentations = 0;
        for (a, &c) in caps.iter().enumerate() {
            if c == sc.capf[a] {
                continue;
            }
            if c > self.capacity[a] || c.is_nan() {
                return Err(Error::InvalidInput(format!(
                    "arc {a}: capacity {c} above the base's {}",
                    self.capacity[a]
                )));
            }
            let ic = ((c * self.kcap).floor() as i64).clamp(0, self.cap[a]);
            if ic <= sc.cap[a] {
                self.lower(sc, a, ic, c);
                continue;
            }
            sc.cap[a] = ic;
            sc.capf[a] = c;
            let (x, y) = (self.tails[a] as usize, self.heads[a] as usize);
            if i128::from(self.icost[a]) + sc.pot[x] - sc.pot[y] < 0 {
                let more = ic - sc.flow[a];
                sc.flow[a] = ic;
                sc.excess[y] += more;
                sc.excess[x] -= more;
                sc.sources.push(y as u32);
            }
        }
        self.settle(sc)
    }

    /// Gives arc `a` the integer capacity `ic` (`f64` `c`), moving the flow
    /// above it into an excess at its tail and a deficit at its head.
    fn lower(&self, sc: &mut WarmScratch, a: usize, ic: i64, c: f64) {
        sc.cap[a] = ic;
        sc.capf[a] = c;
        let over = sc.flow[a] - ic;
        if over > 0 {
            sc.flow[a] = ic;
            sc.excess[self.tails[a] as usize] += over;
            sc.excess[self.heads[a] as usize] -= over;
            sc.sources.push(self.tails[a]);
        }
    }

    /// Successive shortest paths until no excess is left.
    fn settle(&self, sc: &mut WarmScratch) -> Result<MinCostFlow, Error> {
        sc.sources.sort_unstable();
        sc.sources.dedup();
        let mut returned = sc.returned;
        loop {
            sc.sources.retain(|&x| sc.excess[x as usize] > 0);
            if sc.sources.is_empty() {
                break;
            }
            let (w, d) = self.nearest_deficit(sc, returned)?;
            for &x in &sc.settled {
                let x = x as usize;
                sc.pot[x] += sc.dist[x] - d;
            }
            returned = self.augment(sc, w, returned);
            sc.augmentations += 1;
        }
        sc.returned = returned;
        let side = self.source_side(&sc.cap, &sc.flow);
        Ok(finish_f64(
            &self.csr, &sc.capf, &self.cost, &sc.flow, self.kcap, side,
        ))
    }

    /// Whether the flow of the last repair is the only cheapest maximum
    /// flow of its integer problem. Two cheapest flows differ by a
    /// circulation on arcs of zero reduced cost (complementary slackness,
    /// under the repair's potentials): free both ways on an arc strictly
    /// between zero and its capacity, forward only on an empty one,
    /// backward only on a full one. So the flow is unique exactly when the
    /// strictly-between arcs form a forest (no cycle to push around), and,
    /// each tree contracted to a point, the empty and full arcs of zero
    /// reduced cost neither join a tree to itself nor form a directed
    /// cycle. Then any exact solver finds this same flow.
    pub fn is_unique(&self, sc: &WarmScratch) -> bool {
        let n = self.potential.len();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn root(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                let up = parent[parent[x as usize] as usize];
                parent[x as usize] = up;
                x = up;
            }
            x
        }
        // Directed edges between trees, as (from, to) vertices for now.
        let mut edges: Vec<(u32, u32)> = Vec::new();
        for a in 0..self.cap.len() {
            let (f, u) = (sc.flow[a], sc.cap[a]);
            if u == 0 {
                continue;
            }
            let (x, y) = (self.tails[a], self.heads[a]);
            if f > 0 && f < u {
                let (rx, ry) = (root(&mut parent, x), root(&mut parent, y));
                if rx == ry {
                    return false;
                }
                parent[rx as usize] = ry;
                continue;
            }
            let rc = i128::from(self.icost[a]) + sc.pot[x as usize] - sc.pot[y as usize];
            if rc == 0 {
                edges.push(if f == 0 { (x, y) } else { (y, x) });
            }
        }
        // Kahn's algorithm on the contracted graph.
        let mut indegree = vec![0u32; n];
        for e in &mut edges {
            *e = (root(&mut parent, e.0), root(&mut parent, e.1));
            if e.0 == e.1 {
                return false;
            }
            indegree[e.1 as usize] += 1;
        }
        let mut first = vec![0u32; n + 1];
        for &(x, _) in &edges {
            first[x as usize + 1] += 1;
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let mut next = first.clone();
        let mut to = vec![0u32; edges.len()];
        for &(x, y) in &edges {
            to[next[x as usize] as usize] = y;
            next[x as usize] += 1;
        }
        let mut ready: Vec<u32> = (0..n as u32)
            .filter(|&v| indegree[v as usize] == 0)
            .collect();
        let mut done = 0;
        while let Some(x) = ready.pop() {
            done += 1;
            for &y in &to[first[x as usize] as usize..first[x as usize + 1] as usize] {
                indegree[y as usize] -= 1;
                if indegree[y as usize] == 0 {
                    ready.push(y);
                }
            }
        }
        done == n
    }

    /// Dijkstra on reduced costs from every vertex with excess until a
    /// vertex in deficit is settled: that vertex and its distance. The
    /// settled vertices are left in `sc.settled`, their distances in
    /// `sc.dist`, the path in `sc.pred`.
    fn nearest_deficit(&self, sc: &mut WarmScratch, returned: i64) -> Result<(usize, i128), Error> {
        sc.stamp = sc.stamp.wrapping_add(1);
        if sc.stamp == 0 {
            sc.seen.fill(0);
            sc.done.fill(0);
            sc.stamp = 1;
        }
        let stamp = sc.stamp;
        sc.heap.clear();
        sc.settled.clear();
        for &x in &sc.sources {
            let x = x as usize;
            sc.dist[x] = 0;
            sc.pred[x] = NONE;
            sc.seen[x] = stamp;
            sc.heap.push(Reverse((0, x as u32)));
        }
        while let Some(Reverse((d, x))) = sc.heap.pop() {
            let x = x as usize;
            if sc.done[x] == stamp {
                continue;
            }
            sc.done[x] = stamp;
            sc.settled.push(x as u32);
            if sc.excess[x] < 0 {
                return Ok((x, d));
            }
            let px = sc.pot[x];
            let relax = |code: Code, y: usize, c: i128, sc: &mut WarmScratch| {
                let rc = c + px - sc.pot[y];
                debug_assert!(rc >= 0, "reduced cost {rc} < 0 on {x} -> {y}");
                let nd = d + rc;
                if sc.done[y] != stamp && (sc.seen[y] != stamp || nd < sc.dist[y]) {
                    sc.seen[y] = stamp;
                    sc.dist[y] = nd;
                    sc.pred[y] = code;
                    sc.heap.push(Reverse((nd, y as u32)));
                }
            };
            let out = self.csr.first_out()[x] as usize..self.csr.first_out()[x + 1] as usize;
            for a in out {
                if sc.cap[a] > sc.flow[a] {
                    let c = i128::from(self.icost[a]);
                    relax(2 * a as u32, self.heads[a] as usize, c, sc);
                }
            }
            for &a in &self.in_arcs[self.first_in[x] as usize..self.first_in[x + 1] as usize] {
                let a = a as usize;
                if sc.flow[a] > 0 {
                    let c = -i128::from(self.icost[a]);
                    relax(2 * a as u32 + 1, self.tails[a] as usize, c, sc);
                }
            }
            if x == self.s && returned > 0 {
                relax(RETURN_BACK, self.t, self.big, sc);
            }
            if x == self.t && returned < self.value {
                relax(RETURN_FORWARD, self.s, -self.big, sc);
            }
        }
        Err(Error::InvalidInput(
            "an excess left by a closure reaches no deficit".into(),
        ))
    }

    /// The tail of the residual arc `code`.
    fn from(&self, code: Code) -> usize {
        match code {
            RETURN_BACK => self.s,
            RETURN_FORWARD => self.t,
            c if c % 2 == 0 => self.tails[(c / 2) as usize] as usize,
            c => self.heads[(c / 2) as usize] as usize,
        }
    }

    /// Sends as much as the path to `w` in `sc.pred` allows; returns the
    /// return arc's new flow (the value).
    fn augment(&self, sc: &mut WarmScratch, w: usize, mut returned: i64) -> i64 {
        let mut delta = -sc.excess[w];
        let mut x = w;
        while sc.pred[x] != NONE {
            let code = sc.pred[x];
            let r = match code {
                RETURN_BACK => returned,
                RETURN_FORWARD => self.value - returned,
                c if c % 2 == 0 => sc.cap[(c / 2) as usize] - sc.flow[(c / 2) as usize],
                c => sc.flow[(c / 2) as usize],
            };
            delta = delta.min(r);
            x = self.from(code);
        }
        delta = delta.min(sc.excess[x]);
        sc.excess[x] -= delta;
        sc.excess[w] += delta;
        let mut y = w;
        while sc.pred[y] != NONE {
            let code = sc.pred[y];
            match code {
                RETURN_BACK => returned -= delta,
                RETURN_FORWARD => returned += delta,
                c if c % 2 == 0 => sc.flow[(c / 2) as usize] += delta,
                c => sc.flow[(c / 2) as usize] -= delta,
            }
            y = self.from(code);
        }
        returned
    }

    /// Vertices the source reaches in the residual graph (the minimum
    /// cut's source side, as the from-scratch solve reports it).
    fn source_side(&self, cap: &[i64], flow: &[i64]) -> Vec<bool> {
        let n = self.potential.len();
        let mut seen = vec![false; n];
        let mut stack = vec![self.s];
        seen[self.s] = true;
        while let Some(x) = stack.pop() {
            for (_, y, _, _) in self.residual(x, cap, flow) {
                if !seen[y] {
                    seen[y] = true;
                    stack.push(y);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::min_cost_flow::{min_cost_max_flow, min_cost_max_flow_exact};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A random layered graph from 0 to n−1 with integer capacities and
    /// costs (some unlimited, some zero-cost ties).
    fn random(seed: u64) -> (Csr, Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = rng.random_range(4..30usize);
        let mut arcs = Vec::new();
        let m = rng.random_range(n..5 * n);
        for _ in 0..m {
            let t = rng.random_range(0..n as u32);
            let h = rng.random_range(0..n as u32);
            if t != h && h != 0 && t as usize != n - 1 {
                arcs.push((VertexIdx(t), VertexIdx(h)));
            }
        }
        let (g, _) = Csr::from_arcs(n, &arcs);
        let cap = (0..g.n_arcs())
            .map(|_| {
                if rng.random_bool(0.05) {
                    f64::INFINITY
                } else {
                    f64::from(rng.random_range(0..20u32))
                }
            })
            .collect();
        let cost = (0..g.n_arcs())
            .map(|_| f64::from(rng.random_range(0..6u32)))
            .collect();
        (g, cap, cost)
    }

    /// Closing random sets of arcs: the warm repair's value and cost are
    /// those of solving the closed graph from scratch (whole numbers, so
    /// exactly), and its flow is feasible.
    #[test]
    fn repairs_equal_solving_from_scratch() {
        let (mut repaired, mut lost, mut unique) = (0, 0, 0);
        for seed in 0..600u64 {
            let (g, cap, cost) = random(seed);
            let (s, t) = (VertexIdx(0), VertexIdx::from_index(g.n_vertices() - 1));
            let Ok(warm) = WarmMinCostFlow::new(&g, &cap, &cost, s, t) else {
                continue;
            };
            assert_eq!(
                warm.base(),
                &min_cost_max_flow(&g, &cap, &cost, s, t).unwrap()
            );
            let m = g.n_arcs();
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
            let mut sc = warm.scratch();
            for _ in 0..6 {
                let k = rng.random_range(1..4);
                let mut closed: Vec<u32> = (0..k).map(|_| rng.random_range(0..m as u32)).collect();
                closed.sort_unstable();
                closed.dedup();
                let got = warm.without(&closed, &mut sc).unwrap();
                repaired += usize::from(sc.augmentations > 0);
                let mut cap2 = cap.clone();
                for &a in &closed {
                    cap2[a as usize] = 0.0;
                }
                let want = min_cost_max_flow(&g, &cap2, &cost, s, t).unwrap();
                let what = format!("seed {seed}, closing {closed:?}");
                assert_eq!(got.max_flow.value, want.max_flow.value, "{what}");
                assert_eq!(got.cost, want.cost, "{what}");
                lost += usize::from(got.max_flow.value < warm.base().max_flow.value);
                let tails = g.tails();
                let mut net = vec![0.0; g.n_vertices()];
                for a in 0..m {
                    let f = got.max_flow.flow[a];
                    assert!(f >= 0.0 && f <= cap2[a], "{what}: arc {a}");
                    net[tails[a].index()] -= f;
                    net[g.heads()[a].index()] += f;
                }
                for (v, x) in net.iter().enumerate() {
                    if v != s.index() && v != t.index() {
                        assert_eq!(*x, 0.0, "{what}: vertex {v}");
                    }
                }
                assert_eq!(net[t.index()], got.max_flow.value, "{what}");
                assert_eq!(got.max_flow.cut_arcs, want.max_flow.cut_arcs, "{what}");
                // A unique cheapest flow is the one any solver finds.
                if warm.is_unique(&sc) {
                    unique += 1;
                    assert_eq!(got.max_flow.flow, want.max_flow.flow, "{what}");
                }
                // Lowered (not closed) capacities, as a division sets them.
                let mut cap3 = cap.clone();
                for &a in &closed {
                    let a = a as usize;
                    if cap3[a].is_finite() {
                        cap3[a] = (cap3[a] * rng.random_range(0.0..1.0)).floor();
                    }
                }
                let got = warm.with_capacities(&cap3, &mut sc).unwrap();
                let want = min_cost_max_flow(&g, &cap3, &cost, s, t).unwrap();
                assert_eq!(got.max_flow.value, want.max_flow.value, "{what} lowered");
                assert_eq!(got.cost, want.cost, "{what} lowered");
                // Lowered once more, from there: as from scratch.
                for c in cap3.iter_mut().filter(|c| c.is_finite()) {
                    if rng.random_bool(0.2) {
                        *c = (*c * 0.5).floor();
                    }
                }
                let got = warm.lower_further(&cap3, &mut sc).unwrap();
                let want = min_cost_max_flow(&g, &cap3, &cost, s, t).unwrap();
                assert_eq!(got.max_flow.value, want.max_flow.value, "{what} again");
                assert_eq!(got.cost, want.cost, "{what} again");
                // From there to other capacities, some raised.
                let state = warm.snapshot(&sc);
                let mut cap4 = cap.clone();
                for c in cap4.iter_mut().filter(|c| c.is_finite()) {
                    if rng.random_bool(0.3) {
                        *c = (*c * rng.random_range(0.0..1.0)).floor();
                    }
                }
                let got = warm.repair_from(&state, &cap4, &mut sc).unwrap();
                let want = min_cost_max_flow(&g, &cap4, &cost, s, t).unwrap();
                assert_eq!(got.max_flow.value, want.max_flow.value, "{what} raised");
                assert_eq!(got.cost, want.cost, "{what} raised");
            }
        }
        // The cases exercise the repair, with and without a loss.
        assert!(
            repaired > 300 && lost > 100,
            "{repaired} repaired, {lost} lost"
        );
        assert!(unique > 100, "{unique} unique");
    }

    #[test]
    fn ties_are_not_unique() {
        // Two parallel ways of equal cost, capacity 5 each, 6 to send
        // (the sink's arc): cheapest flows split 6 in many ways.
        let arcs = [(0, 1), (0, 1), (1, 2)].map(|(a, b)| (VertexIdx(a), VertexIdx(b)));
        let (g, _) = Csr::from_arcs(3, &arcs);
        let w = WarmMinCostFlow::new(
            &g,
            &[5.0, 5.0, 6.0],
            &[1.0, 1.0, 0.0],
            VertexIdx(0),
            VertexIdx(2),
        )
        .unwrap();
        let mut sc = w.scratch();
        w.without(&[], &mut sc).unwrap();
        assert!(!w.is_unique(&sc));
        let w = WarmMinCostFlow::new(
            &g,
            &[5.0, 5.0, 6.0],
            &[1.0, 2.0, 0.0],
            VertexIdx(0),
            VertexIdx(2),
        )
        .unwrap();
        w.without(&[], &mut sc).unwrap();
        assert!(w.is_unique(&sc));
    }

    #[test]
    fn a_detour_and_a_loss() {
        // 0 -> 1 -> 3 cheap (cap 5), 0 -> 2 -> 3 dear (cap 3).
        let arcs = [(0, 1), (1, 3), (0, 2), (2, 3)].map(|(a, b)| (VertexIdx(a), VertexIdx(b)));
        let (g, order) = Csr::from_arcs(4, &arcs);
        let by = |i: usize| order.iter().position(|&o| o as usize == i).unwrap() as u32;
        let mut cap = vec![0.0; 4];
        let mut cost = vec![0.0; 4];
        for (i, (c, k)) in [(5.0, 1.0), (5.0, 1.0), (3.0, 4.0), (3.0, 4.0)]
            .into_iter()
            .enumerate()
        {
            cap[by(i) as usize] = c;
            cost[by(i) as usize] = k;
        }
        let w = WarmMinCostFlow::new(&g, &cap, &cost, VertexIdx(0), VertexIdx(3)).unwrap();
        assert_eq!((w.base().max_flow.value, w.base().cost), (8.0, 34.0));
        let mut sc = w.scratch();
        let r = w.without(&[by(1)], &mut sc).unwrap();
        assert_eq!((r.max_flow.value, r.cost), (3.0, 24.0));
        let icap = [5, 0, 3, 3].map(|c: i64| c);
        let mut exact_cap = vec![0i64; 4];
        let mut exact_cost = vec![0i64; 4];
        for i in 0..4 {
            exact_cap[by(i) as usize] = icap[i];
            exact_cost[by(i) as usize] = cost[by(i) as usize] as i64;
        }
        let e = min_cost_max_flow_exact(&g, &exact_cap, &exact_cost, VertexIdx(0), VertexIdx(3))
            .unwrap();
        assert_eq!((e.value, e.cost), (3, 24));
    }
}
