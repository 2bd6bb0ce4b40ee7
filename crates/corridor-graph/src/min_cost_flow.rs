//! Minimum-cost flow on a [`Csr`] with `f64` capacities and non-negative
//! `f64` costs per unit of flow: the cheapest maximum flow between two
//! vertices ([`min_cost_max_flow`]) and the cheapest flow meeting vertex
//! supplies and demands ([`min_cost_flow`]).
//!
//! It does not choose costs (the engine turns money, hours and CO2 into one
//! cost per arc) and it does not handle negative costs: freight costs are
//! never negative, so potentials start at zero without a Bellman–Ford pass.
//!
//! # Algorithm
//!
//! Primal–dual successive shortest paths (Ahuja, Magnanti & Orlin, *Network
//! Flows*, 1993, §9.7 and §9.8): Dijkstra on reduced costs
//! `c(u,v) + π(u) − π(v) ≥ 0` (the crate's [`IndexedHeap`]), stopped as soon
//! as the sink is settled; potentials are raised by `min(d(v), d(sink))` so
//! reduced costs stay non-negative; then, instead of one path per Dijkstra,
//! Dinic blocking flows (see [`crate::max_flow`]) saturate every shortest path
//! at once on the subgraph of zero-reduced-cost arcs. Each augmentation keeps
//! the flow cost-optimal for its value, so the final maximum flow is a
//! cheapest one. Worst case O(F · E log V) for integer flow value F (one path
//! per phase); in practice the number of phases is the number of distinct
//! shortest-path lengths met, far fewer.
//!
//! # Numbers
//!
//! Costs and capacities are `f64`. An arc counts as zero reduced cost within
//! `1e-9 × (largest cost)`; should rounding ever hide the path Dijkstra just
//! found from the blocking-flow search, that path is augmented directly, so
//! every phase makes progress. With integer data below 2^53 all arithmetic
//! is exact.

use crate::Error;
use crate::csr::{Csr, VertexIdx};
use crate::heap::IndexedHeap;
use crate::max_flow::{Dinic, MaxFlow, Residual, check_terminals, finish};

/// The result of [`min_cost_max_flow`]: a maximum flow (with its minimum
/// cut) that is the cheapest among maximum flows.
#[derive(Clone, Debug, PartialEq)]
pub struct MinCostFlow {
    pub max_flow: MaxFlow,
    /// Σ flow × cost over all arcs.
    pub cost: f64,
}

/// The result of [`min_cost_flow`].
#[derive(Clone, Debug, PartialEq)]
pub struct SupplyFlow {
    /// Flow on every arc, indexed like the input.
    pub flow: Vec<f64>,
    pub cost: f64,
    /// Supply that could not be sent to any demand (0 when feasible).
    pub unmet: f64,
}

/// Cheapest maximum flow from `source` to `sink`.
///
/// `capacity[a]` may be `f64::INFINITY`; `cost[a]` must be finite and
/// non-negative (per unit of flow).
///
/// # Errors
/// [`Error::InvalidInput`] for bad numbers or slice lengths,
/// [`Error::Unbounded`] when a path of infinite capacity joins source and
/// sink.
///
/// # Example
/// ```
/// use corridor_graph::{Csr, min_cost_flow::min_cost_max_flow};
/// // Two parallel ways 0 -> 1: capacity 2 at cost 5, capacity 3 at cost 1.
/// let (g, _) = Csr::from_arcs(2, &[(0, 1), (0, 1)]);
/// let r = min_cost_max_flow(&g, &[2.0, 3.0], &[5.0, 1.0], 0, 1).unwrap();
/// assert_eq!((r.max_flow.value, r.cost), (5.0, 13.0));
/// ```
pub fn min_cost_max_flow(
    g: &Csr,
    capacity: &[f64],
    cost: &[f64],
    source: VertexIdx,
    sink: VertexIdx,
) -> Result<MinCostFlow, Error> {
    let n = g.n_vertices();
    check_terminals(n, source, sink)?;
    let tails = g.tails();
    let mut r = Residual::new(n, &tails, g.heads(), capacity)?;
    let (s, t) = (source as usize, sink as usize);
    if r.has_infinite_path(s, t) {
        return Err(Error::Unbounded);
    }
    let rcost = residual_costs(&r, cost)?;
    PrimalDual::new(n).run(&mut r, &rcost, s, t);
    let mf = finish(g, &tails, capacity, &r, s);
    let total = mf.flow.iter().zip(cost).map(|(f, c)| f * c).sum();
    Ok(MinCostFlow {
        max_flow: mf,
        cost: total,
    })
}

/// Cheapest flow where vertex `v` supplies `supply[v]` (> 0) or demands
/// `-supply[v]` (< 0), sending as much of the supply as the capacities
/// allow; what cannot be sent is reported as `unmet`.
pub fn min_cost_flow(
    g: &Csr,
    capacity: &[f64],
    cost: &[f64],
    supply: &[f64],
) -> Result<SupplyFlow, Error> {
    let n = g.n_vertices();
    if supply.len() != n || supply.iter().any(|x| !x.is_finite()) {
        return Err(Error::InvalidInput(format!(
            "supply needs {n} finite numbers, got {}",
            supply.len()
        )));
    }
    let (s, t) = (n as u32, n as u32 + 1);
    let mut tails = g.tails();
    let mut heads = g.heads().to_vec();
    let mut cap = capacity.to_vec();
    let mut cst = cost.to_vec();
    let mut total_supply = 0.0;
    for (v, &b) in supply.iter().enumerate() {
        if b > 0.0 {
            tails.push(s);
            heads.push(v as u32);
            total_supply += b;
        } else if b < 0.0 {
            tails.push(v as u32);
            heads.push(t);
        } else {
            continue;
        }
        cap.push(b.abs());
        cst.push(0.0);
    }
    let mut r = Residual::new(n + 2, &tails, &heads, &cap)?;
    let rcost = residual_costs(&r, &cst)?;
    PrimalDual::new(n + 2).run(&mut r, &rcost, s as usize, t as usize);
    let m = g.n_arcs();
    let flow: Vec<f64> = (0..m).map(|a| r.flow(a)).collect();
    let sent: f64 = (m..tails.len())
        .filter(|&a| tails[a] == s)
        .map(|a| r.flow(a))
        .sum();
    let cost_total = flow.iter().zip(cost).map(|(f, c)| f * c).sum();
    Ok(SupplyFlow {
        flow,
        cost: cost_total,
        unmet: (total_supply - sent).max(0.0),
    })
}

fn residual_costs(r: &Residual, cost: &[f64]) -> Result<Vec<f64>, Error> {
    if cost.len() != r.fwd.len() {
        return Err(Error::InvalidInput(format!(
            "{} arcs but {} costs",
            r.fwd.len(),
            cost.len()
        )));
    }
    let mut rc = vec![0.0; r.head.len()];
    for (a, &c) in cost.iter().enumerate() {
        if !(c.is_finite() && c >= 0.0) {
            return Err(Error::InvalidInput(format!(
                "arc {a} has cost {c}, not a finite non-negative number"
            )));
        }
        let f = r.fwd[a] as usize;
        rc[f] = c;
        rc[r.partner[f] as usize] = -c;
    }
    Ok(rc)
}

struct PrimalDual {
    pi: Vec<f64>,
    dist: Vec<f64>,
    pred: Vec<u32>,
    touched: Vec<u32>,
    heap: IndexedHeap,
    dinic: Dinic,
}

impl PrimalDual {
    fn new(n: usize) -> Self {
        Self {
            pi: vec![0.0; n],
            dist: vec![f64::INFINITY; n],
            pred: vec![u32::MAX; n],
            touched: Vec::new(),
            heap: IndexedHeap::new(n),
            dinic: Dinic::new(n),
        }
    }

    /// Dijkstra on reduced costs from `s`, stopped when `t` is settled;
    /// returns d(t) if reached.
    fn shortest(&mut self, g: &Residual, rcost: &[f64], s: usize, t: usize) -> Option<f64> {
        for &v in &self.touched {
            self.dist[v as usize] = f64::INFINITY;
            self.pred[v as usize] = u32::MAX;
        }
        self.touched.clear();
        self.heap.clear();
        self.dist[s] = 0.0;
        self.touched.push(s as u32);
        self.heap.push_or_decrease(s as u32, 0.0);
        while let Some((d, v)) = self.heap.pop() {
            let v = v as usize;
            if v == t {
                return Some(d);
            }
            let pv = self.pi[v];
            for r in g.arcs(v) {
                if g.rcap[r] <= g.eps {
                    continue;
                }
                let h = g.head[r] as usize;
                let rc = (rcost[r] + pv - self.pi[h]).max(0.0);
                let nd = d + rc;
                if nd < self.dist[h] {
                    if self.dist[h] == f64::INFINITY {
                        self.touched.push(h as u32);
                    }
                    self.dist[h] = nd;
                    self.pred[h] = r as u32;
                    self.heap.push_or_decrease(h as u32, nd);
                }
            }
        }
        None
    }

    fn run(&mut self, g: &mut Residual, rcost: &[f64], s: usize, t: usize) {
        let max_cost = rcost.iter().fold(0.0f64, |m, &c| m.max(c.abs()));
        let ceps = 1e-9 * max_cost;
        while let Some(dt) = self.shortest(g, rcost, s, t) {
            // Shifting every potential by −d(t) leaves reduced costs alone,
            // so only touched vertices need an update.
            for &v in &self.touched {
                let d = self.dist[v as usize];
                if d < dt {
                    self.pi[v as usize] += d - dt;
                }
            }
            let pi = &self.pi;
            let pushed = self
                .dinic
                .run(g, s, t, |v, r, h| (rcost[r] + pi[v] - pi[h]).abs() <= ceps);
            if pushed <= 0.0 {
                self.augment_pred_path(g, s, t);
            }
        }
    }

    fn augment_pred_path(&mut self, g: &mut Residual, s: usize, t: usize) {
        let mut b = f64::INFINITY;
        let mut v = t;
        while v != s {
            let r = self.pred[v] as usize;
            b = b.min(g.rcap[r]);
            v = g.head[g.partner[r] as usize] as usize;
        }
        let mut v = t;
        while v != s {
            let r = self.pred[v] as usize;
            g.rcap[r] -= b;
            let p = g.partner[r] as usize;
            g.rcap[p] += b;
            v = g.head[p] as usize;
        }
    }
}
