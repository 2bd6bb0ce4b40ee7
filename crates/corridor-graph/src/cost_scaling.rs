//! Cost-scaling push–relabel minimum-cost flow on **integer** capacities and
//! costs: the engine behind [`crate::min_cost_flow`]. It owns the packed
//! residual graph with costs, the ε-scaling loop, the partial-augment /
//! relabel refine and the Dial-bucket price update.
//!
//! It does not scale `f64` inputs to integers, find the maximum flow value,
//! or check that the supplies can be met: [`crate::min_cost_flow`] does all
//! three, and `CostScaling::solve` assumes a feasible problem (a supply
//! that cannot be routed would make the refine relabel forever; it stops
//! instead at a price bound and reports [`Error::InvalidInput`]).
//!
//! # Algorithm
//!
//! A. V. Goldberg, "An efficient implementation of a scaling minimum-cost
//! flow algorithm", J. Algorithms 22 (1997), 1–29; A. V. Goldberg & R. E.
//! Tarjan, "Finding minimum-cost circulations by successive approximation",
//! Math. Oper. Res. 15 (1990). The implementation follows the choices of
//! LEMON's `CostScaling` (P. Kovács, "Minimum-cost flow algorithms: an
//! experimental evaluation", Optim. Methods Softw. 30 (2015)), which is the
//! same method OR-Tools' `SimpleMinCostFlow` uses:
//!
//! - costs are multiplied by `n + 1`, so a flow that is ε-optimal for ε = 1
//!   in scaled units is (1/(n+1))-optimal, hence optimal, for the integer
//!   costs (Goldberg–Tarjan, Theorem 3.3);
//! - ε starts at the largest scaled cost divided by α = 8 and is divided by
//!   α each phase down to 1;
//! - each phase (refine) saturates every residual arc of negative reduced
//!   cost and then, taking vertices with excess in FIFO order, augments
//!   along paths of admissible arcs (reduced cost < 0) of at most four arcs,
//!   relabelling (lowering the price of) every vertex the path search
//!   leaves for lack of an admissible arc ("partial augment–relabel");
//! - after every `n` relabels a **price update** (Goldberg's global update)
//!   lowers prices by a backward Dial-bucket search from the vertices in
//!   deficit, with arc lengths ⌊reduced cost / ε⌋ + 1, until the search has
//!   met all the excess: every vertex with excess then has an admissible
//!   path to a deficit.
//!
//! Complexity O(n² m log(nC)) for n vertices, m arcs and largest cost C
//! (O(n² m) per refine, O(log_α(nC)) refines).
//!
//! # Numbers
//!
//! Residual arcs are records of (residual capacity, scaled cost, head,
//! twin) grouped by tail: 16 bytes when capacities and scaled costs fit
//! `i32` (see `Word`), 24 otherwise, so a scan reads four (or almost
//! three) arcs per cache line. Each arc's input capacity sits in a parallel
//! array, so the price update learns a twin's residual capacity without
//! touching the twin. Prices of a feasible problem stay within a few
//! n·(n + 1)·C of zero; `cost_limit` bounds C so that prices and every
//! reduced cost fit in `i64`, and `PRICE_FLOOR` stops a runaway solve
//! before anything overflows.

use crate::Error;
use crate::csr::VertexIdx;
use std::collections::VecDeque;
use std::ops::{AddAssign, SubAssign};

/// The integer type the arcs store residual capacities and scaled costs
/// in: `i32` when the data fit, which makes an arc 16 bytes instead of 24
/// and cuts the memory traffic of the scans (the large benchmark instance
/// is memory-bound), else `i64`. Prices and excesses are always `i64`.
pub(crate) trait Word: Copy + Ord + std::fmt::Debug + AddAssign + SubAssign {
    const ZERO: Self;
    /// Largest value the type holds, as `i64`.
    const LIMIT: i64;
    fn wide(self) -> i64;
    /// `x` must be within ±[`Word::LIMIT`] (checked by [`CostScaling::new`]).
    fn narrow(x: i64) -> Self;
}

impl Word for i32 {
    const ZERO: Self = 0;
    const LIMIT: i64 = i32::MAX as i64;
    #[inline]
    fn wide(self) -> i64 {
        i64::from(self)
    }
    #[inline]
    fn narrow(x: i64) -> Self {
        x as i32
    }
}

impl Word for i64 {
    const ZERO: Self = 0;
    const LIMIT: i64 = i64::MAX;
    #[inline]
    fn wide(self) -> i64 {
        self
    }
    #[inline]
    fn narrow(x: i64) -> Self {
        x
    }
}

/// ε is divided by this each phase. Goldberg uses 8–16, LEMON 16; on the
/// benchmark's layered instances 5–8 ran about a quarter faster than 16
/// (fewer relabels per phase outweigh the extra phases), 32 slower.
const ALPHA: i64 = 8;
/// Longest path the partial augment builds before it pushes.
const MAX_PATH: usize = 4;
/// Prices of a feasible problem stay above about −2.25·(n+1)·C·(n+1) ≥
/// −2^58 (a refine lowers a price by at most (α+2)·n·ε, and the ε sum to
/// less than 2ε₀); a price below this floor means a bug or unroutable
/// supplies, and stops the solve before any `i64` can overflow.
const PRICE_FLOOR: i64 = -(1 << 61);
/// Largest residual capacity accepted (so sums of excess fit comfortably).
pub(crate) const CAPACITY_LIMIT: i64 = 1 << 52;

/// The largest absolute integer cost the solver accepts on `n` vertices:
/// prices and reduced costs then stay below 2^62 in magnitude.
pub(crate) fn cost_limit(n: usize) -> i64 {
    let n1 = (n as i128 + 1).max(2);
    let limit = (1i128 << 56) / (n1 * n1);
    limit.clamp(1, i64::MAX as i128) as i64
}

/// One residual arc: what it can still carry, its scaled cost, where it
/// goes and its twin in the other direction.
#[derive(Clone, Copy, Debug)]
struct Arc<W> {
    rcap: W,
    cost: W,
    head: u32,
    rev: u32,
}

/// A minimum-cost flow problem on integers and its solver state.
pub(crate) struct CostScaling<W> {
    first: Vec<u32>,
    arcs: Vec<Arc<W>>,
    /// Residual arc of each input arc.
    fwd: Vec<u32>,
    /// Capacity of each residual arc's input arc, side by side with
    /// `arcs`: a twin's residual capacity is `pair_cap[i] - arcs[i].rcap`
    /// and its cost `-arcs[i].cost`, so the price update reads only the
    /// arcs of the vertex it expands, not their twins across memory.
    pair_cap: Vec<W>,
    excess: Vec<i64>,
    pi: Vec<i64>,
    next_out: Vec<u32>,
    active: VecDeque<u32>,
    path: Vec<u32>,
    rank: Vec<u32>,
    buckets: Vec<u32>,
    /// No bucket above this holds anything: the price update clears only
    /// up to here instead of all α·n buckets (8 MB at 250,000 vertices).
    top_bucket: usize,
    bucket_next: Vec<u32>,
    bucket_prev: Vec<u32>,
    max_rank: u32,
    /// See `PRICE_FLOOR`.
    price_floor: i64,
}

impl<W: Word> CostScaling<W> {
    /// Builds the residual graph of arcs `(tails[a], heads[a])` with
    /// capacity `cap[a]` and cost `cost[a]`. Checks the numbers against
    /// [`CAPACITY_LIMIT`] and `cost_limit`, and that they fit `W`.
    pub fn new(
        n: usize,
        tails: &[VertexIdx],
        heads: &[VertexIdx],
        cap: &[i64],
        cost: &[i64],
    ) -> Result<Self, Error> {
        let m = tails.len();
        if heads.len() != m || cap.len() != m || cost.len() != m {
            return Err(Error::InvalidInput(format!(
                "{m} arcs but {} heads, {} capacities and {} costs",
                heads.len(),
                cap.len(),
                cost.len()
            )));
        }
        let climit = cost_limit(n);
        for a in 0..m {
            if tails[a].index() >= n || heads[a].index() >= n {
                return Err(Error::InvalidInput(format!(
                    "arc {a} ({}, {}) outside 0..{n}",
                    tails[a], heads[a]
                )));
            }
            if !(0..=CAPACITY_LIMIT).contains(&cap[a]) {
                return Err(Error::InvalidInput(format!(
                    "arc {a} has capacity {}, outside 0..=2^52",
                    cap[a]
                )));
            }
            if cost[a].abs() > climit {
                return Err(Error::InvalidInput(format!(
                    "arc {a} has cost {}, beyond ±{climit} (the limit for {n} vertices)",
                    cost[a]
                )));
            }
        }
        let scale = n as i64 + 1;
        let widest = cap
            .iter()
            .copied()
            .chain(cost.iter().map(|&k| k.abs() * scale))
            .max()
            .unwrap_or(0);
        if widest > W::LIMIT {
            return Err(Error::InvalidInput(format!(
                "a capacity or scaled cost ({widest}) does not fit the arc word"
            )));
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
        let blank = Arc {
            rcap: W::ZERO,
            cost: W::ZERO,
            head: 0,
            rev: 0,
        };
        let mut arcs = vec![blank; 2 * m];
        let mut fwd = vec![0u32; m];
        let mut pair_cap = vec![W::ZERO; 2 * m];
        for a in 0..m {
            let (t, h) = (tails[a].index(), heads[a].index());
            let rf = next[t];
            next[t] += 1;
            let rb = next[h];
            next[h] += 1;
            arcs[rf as usize] = Arc {
                rcap: W::narrow(cap[a]),
                cost: W::narrow(cost[a] * scale),
                head: h as u32,
                rev: rb,
            };
            arcs[rb as usize] = Arc {
                rcap: W::ZERO,
                cost: W::narrow(-cost[a] * scale),
                head: t as u32,
                rev: rf,
            };
            fwd[a] = rf;
            pair_cap[rf as usize] = W::narrow(cap[a]);
            pair_cap[rb as usize] = W::narrow(cap[a]);
        }
        let max_rank = (ALPHA as usize * n).min(u32::MAX as usize - 2) as u32;
        Ok(Self {
            first,
            arcs,
            fwd,
            pair_cap,
            excess: vec![0; n],
            pi: vec![0; n],
            next_out: vec![0; n],
            active: VecDeque::new(),
            path: Vec::with_capacity(MAX_PATH + 1),
            rank: vec![0; n],
            buckets: vec![n as u32; max_rank as usize + 1],
            top_bucket: 0,
            bucket_next: vec![0; n + 1],
            bucket_prev: vec![0; n + 1],
            max_rank,
            price_floor: PRICE_FLOOR,
        })
    }

    fn n(&self) -> usize {
        self.first.len() - 1
    }

    /// Flow on input arc `a`.
    pub fn flow(&self, a: usize) -> i64 {
        let f = self.fwd[a] as usize;
        self.arcs[self.arcs[f].rev as usize].rcap.wide()
    }

    /// Prices after [`CostScaling::solve`]: every residual arc has reduced
    /// cost (scaled cost + price of tail − price of head) ≥ −1.
    pub fn prices(&self) -> &[i64] {
        &self.pi
    }

    /// Vertices reachable from `s` along arcs with residual capacity.
    pub fn reachable(&self, s: usize) -> Vec<bool> {
        let mut seen = vec![false; self.n()];
        let mut stack = vec![s];
        seen[s] = true;
        while let Some(v) = stack.pop() {
            for a in &self.arcs[self.first[v] as usize..self.first[v + 1] as usize] {
                let h = a.head as usize;
                if a.rcap > W::ZERO && !seen[h] {
                    seen[h] = true;
                    stack.push(h);
                }
            }
        }
        seen
    }

    /// Cheapest flow in which vertex `v` has net outflow `supply[v]`.
    /// The supplies must sum to zero and be routable; the flow starts at
    /// zero. Returns the number of refines run.
    pub fn solve(&mut self, supply: &[i64]) -> Result<usize, Error> {
        let n = self.n();
        if supply.len() != n || supply.iter().sum::<i64>() != 0 {
            return Err(Error::InvalidInput(format!(
                "supplies must be {n} numbers summing to zero"
            )));
        }
        self.excess.copy_from_slice(supply);
        self.pi.fill(0);
        let max_cost = self
            .arcs
            .iter()
            .map(|a| a.cost.wide().abs())
            .max()
            .unwrap_or(0);
        let mut eps = (max_cost / ALPHA).max(1);
        let mut phases = 0;
        loop {
            self.refine(eps)?;
            debug_assert!(
                self.is_eps_optimal(eps),
                "refine left a flow that is not {eps}-optimal"
            );
            phases += 1;
            if eps == 1 {
                return Ok(phases);
            }
            eps = (eps / ALPHA).max(1);
        }
    }

    /// True if no residual arc has reduced cost below −ε and no vertex
    /// has excess: the invariant every refine must leave (checked in debug
    /// builds, so the property tests catch a refine or price update that
    /// breaks it even when the final cost happens to come out right).
    fn is_eps_optimal(&self, eps: i64) -> bool {
        (0..self.n()).all(|u| {
            self.excess[u] == 0
                && self.arcs[self.first[u] as usize..self.first[u + 1] as usize]
                    .iter()
                    .all(|a| {
                        a.rcap == W::ZERO
                            || a.cost.wide() + self.pi[u] - self.pi[a.head as usize] >= -eps
                    })
        })
    }

    /// Turns an (α ε)-optimal flow into an ε-optimal one.
    fn refine(&mut self, eps: i64) -> Result<(), Error> {
        let n = self.n();
        // Saturate every arc that violates 0-optimality.
        for u in 0..n {
            let pu = self.pi[u];
            for i in self.first[u] as usize..self.first[u + 1] as usize {
                let a = self.arcs[i];
                if a.rcap > W::ZERO && a.cost.wide() + pu - self.pi[a.head as usize] < 0 {
                    self.excess[u] -= a.rcap.wide();
                    self.excess[a.head as usize] += a.rcap.wide();
                    self.arcs[i].rcap = W::ZERO;
                    self.arcs[a.rev as usize].rcap += a.rcap;
                }
            }
        }
        self.active.clear();
        for u in 0..n {
            self.next_out[u] = self.first[u];
            if self.excess[u] > 0 {
                self.active.push_back(u as u32);
            }
        }
        // LEMON's and Goldberg's choice: about one price update per n
        // relabels (measured: n/2 and 2n..4n are no better here).
        let update_every = n + 4;
        let mut relabels = 0usize;
        loop {
            let start = loop {
                match self.active.front() {
                    None => return Ok(()),
                    Some(&v) if self.excess[v as usize] <= 0 => {
                        self.active.pop_front();
                    }
                    Some(&v) => break v as usize,
                }
            };
            // Grow a path of admissible arcs from `start`.
            let mut tip = start;
            self.path.clear();
            'grow: while self.path.len() < MAX_PATH && self.excess[tip] >= 0 {
                let pt = self.pi[tip];
                let end = self.first[tip + 1] as usize;
                let mut min_rc = i64::MAX;
                let mut i = self.next_out[tip] as usize;
                while i < end {
                    let a = self.arcs[i];
                    if a.rcap > W::ZERO {
                        let rc = a.cost.wide() + pt - self.pi[a.head as usize];
                        if rc < 0 {
                            self.next_out[tip] = i as u32;
                            self.path.push(i as u32);
                            tip = a.head as usize;
                            continue 'grow;
                        }
                        min_rc = min_rc.min(rc);
                    }
                    i += 1;
                }
                // No admissible arc: relabel tip. The arc back along the
                // path bounds the drop, so the path arc stays near-admissible.
                if let Some(&pa) = self.path.last() {
                    let ra = self.arcs[pa as usize].rev as usize;
                    let r = self.arcs[ra];
                    min_rc = min_rc.min(r.cost.wide() + pt - self.pi[r.head as usize]);
                }
                for a in &self.arcs[self.first[tip] as usize..self.next_out[tip] as usize] {
                    if a.rcap > W::ZERO {
                        min_rc = min_rc.min(a.cost.wide() + pt - self.pi[a.head as usize]);
                    }
                }
                if min_rc == i64::MAX {
                    // A vertex with excess and no residual arc out.
                    return Err(Error::InvalidInput(
                        "the supplies cannot be routed".to_string(),
                    ));
                }
                self.pi[tip] = pt - (min_rc + eps);
                if self.pi[tip] < self.price_floor {
                    return Err(Error::InvalidInput(
                        "the supplies cannot be routed".to_string(),
                    ));
                }
                self.next_out[tip] = self.first[tip];
                relabels += 1;
                match self.path.pop() {
                    Some(pa) => {
                        let ra = self.arcs[pa as usize].rev as usize;
                        tip = self.arcs[ra].head as usize;
                    }
                    None => break,
                }
            }
            // Push along the path, as much as each vertex holds.
            let mut u = start;
            for k in 0..self.path.len() {
                let pa = self.path[k] as usize;
                let a = self.arcs[pa];
                let v = a.head as usize;
                let delta = a.rcap.wide().min(self.excess[u]);
                if delta > 0 {
                    self.arcs[pa].rcap -= W::narrow(delta);
                    self.arcs[a.rev as usize].rcap += W::narrow(delta);
                    self.excess[u] -= delta;
                    self.excess[v] += delta;
                    if self.excess[v] > 0 && self.excess[v] <= delta {
                        self.active.push_back(v as u32);
                    }
                }
                u = v;
            }
            if relabels >= update_every {
                relabels = 0;
                self.price_update(eps);
            }
        }
    }

    /// Goldberg's global price update: ranks every vertex by the least
    /// number of ε steps its price must drop to get an admissible path to
    /// a deficit (a Dial-bucket backward search), stopping once all excess
    /// is met, then lowers prices by rank × ε.
    fn price_update(&mut self, eps: i64) {
        let n = self.n();
        let end = n as u32; // bucket sentinel
        let max_rank = self.max_rank;
        self.buckets[..=self.top_bucket].fill(end);
        self.top_bucket = 0;
        let mut total_excess: i64 = 0;
        let mut b0 = end;
        for u in 0..n {
            if self.excess[u] < 0 {
                self.rank[u] = 0;
                self.bucket_next[u] = b0;
                self.bucket_prev[b0 as usize] = u as u32;
                b0 = u as u32;
            } else {
                total_excess += self.excess[u];
                self.rank[u] = max_rank;
            }
        }
        if total_excess == 0 {
            return;
        }
        self.buckets[0] = b0;
        let mut r = 0u32;
        'search: while r < max_rank {
            while self.buckets[r as usize] != end {
                let u = self.buckets[r as usize] as usize;
                self.buckets[r as usize] = self.bucket_next[u];
                let pu = self.pi[u];
                for i in self.first[u] as usize..self.first[u + 1] as usize {
                    let a = self.arcs[i];
                    // The twin of `a` runs v -> u.
                    if self.pair_cap[i] <= a.rcap {
                        continue;
                    }
                    let v = a.head as usize;
                    let old = self.rank[v];
                    if r >= old {
                        continue;
                    }
                    // v's rank through this twin is r + 1 + ⌊rc / ε⌋ (floor:
                    // a twin of reduced cost in [-ε, 0) gives r, keeping its
                    // new reduced cost in [-ε, 0)). Compare before dividing.
                    let rc = self.pi[v] - a.cost.wide() - pu;
                    if rc >= i64::from(old - r - 1) * eps {
                        continue;
                    }
                    let new = (i64::from(r) + 1 + rc.div_euclid(eps)) as u32;
                    {
                        self.rank[v] = new;
                        if old < max_rank {
                            if self.buckets[old as usize] == v as u32 {
                                self.buckets[old as usize] = self.bucket_next[v];
                            } else {
                                let (p, nx) = (self.bucket_prev[v], self.bucket_next[v]);
                                self.bucket_next[p as usize] = nx;
                                self.bucket_prev[nx as usize] = p;
                            }
                        }
                        self.top_bucket = self.top_bucket.max(new as usize);
                        let nx = self.buckets[new as usize];
                        self.bucket_next[v] = nx;
                        self.bucket_prev[nx as usize] = v as u32;
                        self.buckets[new as usize] = v as u32;
                    }
                }
                if self.excess[u] > 0 {
                    total_excess -= self.excess[u];
                    if total_excess <= 0 {
                        break 'search;
                    }
                }
            }
            r += 1;
        }
        for u in 0..n {
            let k = self.rank[u].min(r);
            if k > 0 {
                self.pi[u] -= eps * i64::from(k);
                self.next_out[u] = self.first[u];
            }
        }
    }
}
