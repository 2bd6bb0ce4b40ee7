//! The `paths` formulation: the arc-path form of the system optimum's LP
//! solved by column generation (Dantzig–Wolfe for the multi-commodity
//! min-cost flow), whatever LP solver holds the master ([`Master`]:
//! HiGHS in `highs.rs`, warm-started between rounds; microlp in
//! `microlp.rs`, for small problems).
//!
//! The master has per origin–destination pair j one row
//! Σ_p f_p + u_j = D_j (u_j ≤ D_j unserved at the penalty) and per
//! capacity one row Σ_p (factor × uses of p) f_p ≤ capacity — the same
//! rows, factors and node starts as the arc-node LP (`lp.rs`). It starts
//! with each pair's cheapest path and grows: the solver gives the duals
//! (σ_j of the demand rows, y_r = −dual ≥ 0 of the capacity rows), and per
//! group (origin and commodity) one Dijkstra on the reduced arc costs
//! `cost + Σ factor × y` (non-negative, so Dijkstra holds) finds each
//! pair's cheapest path; a path whose reduced cost `length − σ_j` is
//! negative enters. When none does, (σ, y) is feasible for the dual of the
//! full LP and its objective equals the master's, so the master's optimum
//! is the full LP's and its capacity duals are valid shadow prices.

use super::lp::{Flows, LpSolution};
use super::problem::Problem;
use crate::{Error, Result};
use corridor_graph::{ArcIdx, ShortestPath, VertexIdx};
use corridor_model::Network;
use rayon::prelude::*;
use std::collections::HashSet;

/// An LP solver holding the restricted master. Rows are the pairs'
/// demand rows (0..pairs) then the capacity rows (pairs + r), as
/// [`master_rows`] gives them.
pub trait Master {
    /// Adds a column with `0 ≤ x ≤ upper` (`f64::INFINITY` for none).
    fn add_column(&mut self, cost: f64, upper: f64, entries: &[(usize, f64)]) -> Result<()>;
    /// Solves the master as it stands: column values and row duals (≤ 0 on
    /// a binding ≤ row, HiGHS's convention).
    fn solve(&mut self) -> Result<LpSolution>;
    /// `highs` or `microlp`.
    fn solver(&self) -> &'static str;
}

/// The master's row bounds: demand rows `D_j = D_j`, capacity rows
/// `−∞ ≤ · ≤ capacity`.
pub fn master_rows(p: &Problem) -> (Vec<f64>, Vec<f64>) {
    let lower = (p.ods.iter().map(|o| o.demand))
        .chain(p.rows.iter().map(|_| f64::NEG_INFINITY))
        .collect();
    let upper = (p.ods.iter().map(|o| o.demand))
        .chain(p.rows.iter().map(|r| r.capacity))
        .collect();
    (lower, upper)
}

/// What column generation reports besides the flows: the final master's
/// size (rows: those some column uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathStats {
    pub columns: usize,
    pub rows: usize,
    pub nonzeros: usize,
    pub rounds: usize,
}

/// A column-generation answer: flows, and the master's duals (for the
/// tests' check of the dual objective).
pub struct PathSolution {
    pub flows: Flows,
    pub stats: PathStats,
    /// Per pair: σ_j, the dual of its demand row.
    pub sigma: Vec<f64>,
}

/// Stops a run that would not end (it always does in exact arithmetic:
/// each round adds a column the master lacks).
pub const MAX_ROUNDS: usize = 10_000;

/// A path's capacity entries in the master (row r as `pairs + r`), with
/// factors, repeats summed, sorted; its demand row first.
fn path_entries(p: &Problem, net: &Network, od: usize, arcs: &[ArcIdx]) -> Vec<(usize, f64)> {
    let g = &p.groups[p.ods[od].group];
    let n_od = p.ods.len();
    let mut caps: Vec<(usize, f64)> = arcs
        .iter()
        .flat_map(|&a| p.uses(a).iter())
        .chain(g.origin_row.iter())
        .map(|u| (n_od + u.row as usize, p.factor(net, g.commodity, *u)))
        .collect();
    caps.sort_by_key(|e| e.0);
    let mut out: Vec<(usize, f64)> = Vec::with_capacity(caps.len() + 1);
    out.push((od, 1.0));
    for (r, v) in caps {
        match out.last_mut() {
            Some(last) if last.0 == r => last.1 += v,
            _ => out.push((r, v)),
        }
    }
    out
}

/// A pair's cheapest path: its length and arcs, `None` if unreachable.
type Cheapest = Option<(f64, Vec<ArcIdx>)>;

/// Per pair, its cheapest path under `weight` (per commodity): one
/// Dijkstra per group, groups in parallel.
fn cheapest_paths(p: &Problem, weight: &[Vec<f64>]) -> Vec<Cheapest> {
    let csr = &p.lowered.csr;
    let tails = csr.tails();
    let per_group: Vec<Vec<(usize, Cheapest)>> = p
        .groups
        .par_iter()
        .map_init(
            || ShortestPath::new(csr.n_vertices()),
            |sp, g| {
                let sinks: Vec<VertexIdx> = p.ods[g.ods.clone()].iter().map(|o| o.sink).collect();
                sp.run_to_all(csr, &weight[g.commodity], &[(g.source, 0.0)], &sinks);
                g.ods
                    .clone()
                    .map(|j| {
                        let t = p.ods[j].sink;
                        let path = sp.path_arcs(&tails, t).map(|arcs| (sp.dist(t), arcs));
                        (j, path)
                    })
                    .collect()
            },
        )
        .collect();
    let mut out: Vec<Cheapest> = (0..p.ods.len()).map(|_| None).collect();
    for (j, path) in per_group.into_iter().flatten() {
        out[j] = path;
    }
    out
}

/// Commodity `k`'s arc costs plus the capacity prices its arcs pay, into
/// `out` (reused between rounds: commodities × arcs can be large).
fn reduced_weights(p: &Problem, net: &Network, k: usize, price: &[f64], out: &mut Vec<f64>) {
    let w = &p.weight[k];
    out.clear();
    out.extend(p.lowered.csr.arcs().map(|a| {
        let base = w[a.index()];
        if !base.is_finite() {
            return base;
        }
        base + (p.uses(a).iter())
            .map(|u| p.factor(net, k, *u) * price[u.row as usize])
            .sum::<f64>()
    }));
}

/// The master's columns so far, and the way back to flows.
struct Columns {
    /// Per path column (after the pairs' unserved columns): pair and arcs.
    paths: Vec<(u32, Vec<ArcIdx>)>,
    seen: HashSet<(u32, Vec<u32>)>,
    nonzeros: usize,
    /// Master rows some column uses (the others bind nothing).
    used: Vec<bool>,
}

impl Columns {
    /// Adds a path unless the master has it already; whether it did.
    fn add(
        &mut self,
        p: &Problem,
        net: &Network,
        m: &mut dyn Master,
        od: usize,
        arcs: Vec<ArcIdx>,
    ) -> Result<bool> {
        let key = (od as u32, arcs.iter().map(|a| a.index() as u32).collect());
        if !self.seen.insert(key) {
            return Ok(false);
        }
        let w = &p.weight[p.groups[p.ods[od].group].commodity];
        let cost: f64 = arcs.iter().map(|a| w[a.index()]).sum();
        let entries = path_entries(p, net, od, &arcs);
        self.nonzeros += entries.len();
        for &(r, _) in &entries {
            self.used[r] = true;
        }
        m.add_column(cost, f64::INFINITY, &entries)?;
        self.paths.push((od as u32, arcs));
        Ok(true)
    }
}

/// The arc-path LP of `p` solved by column generation on `master` (made
/// with [`master_rows`] and no columns).
pub fn column_generation(
    p: &Problem,
    net: &Network,
    master: &mut dyn Master,
) -> Result<PathSolution> {
    let n_od = p.ods.len();
    for (j, od) in p.ods.iter().enumerate() {
        master.add_column(p.penalty, od.demand, &[(j, 1.0)])?;
    }
    let mut cols = Columns {
        paths: Vec::new(),
        seen: HashSet::new(),
        nonzeros: n_od,
        used: vec![false; n_od + p.rows.len()],
    };
    cols.used[..n_od].iter_mut().for_each(|u| *u = true);
    for (od, path) in cheapest_paths(p, &p.weight).into_iter().enumerate() {
        if let Some((_, arcs)) = path {
            cols.add(p, net, master, od, arcs)?;
        }
    }
    let mut reduced: Vec<Vec<f64>> = vec![Vec::new(); p.commodities.len()];
    let mut rounds = 0;
    let (s, price) = loop {
        rounds += 1;
        let s = master.solve()?;
        let sigma = &s.row_dual[..n_od];
        let price: Vec<f64> = s.row_dual[n_od..].iter().map(|d| (-d).max(0.0)).collect();
        (reduced.par_iter_mut().enumerate())
            .for_each(|(k, out)| reduced_weights(p, net, k, &price, out));
        let mut added = 0;
        for (od, path) in cheapest_paths(p, &reduced).into_iter().enumerate() {
            let Some((dist, arcs)) = path else { continue };
            let g = &p.groups[p.ods[od].group];
            let start = g.origin_row.map_or(0.0, |u| {
                p.factor(net, g.commodity, u) * price[u.row as usize]
            });
            let rc = dist + start - sigma[od];
            if rc < -1e-9 * (1.0 + sigma[od].abs()) && cols.add(p, net, master, od, arcs)? {
                added += 1;
            }
        }
        if added == 0 {
            break (s, price);
        }
        if rounds >= MAX_ROUNDS {
            return Err(Error::InvalidRequest(format!(
                "column generation did not settle in {MAX_ROUNDS} rounds"
            )));
        }
    };
    let mut flow = vec![vec![0.0; p.lowered.n_arcs()]; p.commodities.len()];
    for ((od, arcs), &f) in cols.paths.iter().zip(&s.x[n_od..]) {
        let k = p.groups[p.ods[*od as usize].group].commodity;
        for a in arcs {
            flow[k][a.index()] += f.max(0.0);
        }
    }
    let unserved = (p.ods.iter().zip(&s.x))
        .map(|(o, &u)| u.clamp(0.0, o.demand))
        .collect();
    Ok(PathSolution {
        flows: Flows {
            flow,
            unserved,
            price,
        },
        stats: PathStats {
            columns: n_od + cols.paths.len(),
            rows: cols.used.iter().filter(|&&u| u).count(),
            nonzeros: cols.nonzeros,
            rounds,
        },
        sigma: s.row_dual[..n_od].to_vec(),
    })
}
