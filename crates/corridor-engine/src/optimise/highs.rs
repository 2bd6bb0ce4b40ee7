//! HiGHS (the `highs` feature): the arc-node [`Lp`] solved as it is, and
//! column generation for problems too large for it ([`column_generation`]).
//!
//! Column generation solves the arc-path form of the same LP: per
//! origin–destination pair j one row Σ_p f_p + u_j = D_j, per capacity one
//! row Σ_p (factor × uses of p) f_p ≤ capacity. The restricted master
//! starts with each pair's cheapest path and grows: HiGHS gives the duals
//! (σ_j of the demand rows, y_r = −dual ≥ 0 of the capacity rows), and per
//! origin and commodity one Dijkstra on the reduced arc costs
//! `cost + Σ factor × y` (non-negative, so Dijkstra holds) finds each
//! pair's cheapest path; a path whose reduced cost `length − σ_j` is
//! negative enters the master. When none does the master's optimum is the
//! full LP's (LP duality), and so are its duals. The master keeps HiGHS's
//! basis between rounds, so each re-solve starts warm.

use super::lp::{Flows, Lp, LpSolution};
use super::problem::Problem;
use crate::{Error, Result};
use corridor_graph::{ArcIdx, ShortestPath, VertexIdx};
use corridor_model::Network;
use highs::{ColProblem, HighsModelStatus, Model, Row, Sense};
use rayon::prelude::*;

fn failed(status: impl std::fmt::Debug) -> Error {
    Error::InvalidRequest(format!("HiGHS did not find an optimum ({status:?})"))
}

/// Solves `lp` with HiGHS (dual simplex by default; quiet).
pub fn solve(lp: &Lp) -> Result<LpSolution> {
    let mut pb = ColProblem::new();
    let rows: Vec<Row> = (lp.row_lower.iter().zip(&lp.row_upper))
        .map(|(&lo, &hi)| {
            if lo == hi {
                pb.add_row(lo..=hi)
            } else {
                pb.add_row(..=hi)
            }
        })
        .collect();
    for j in 0..lp.n_cols() {
        let entries = (lp.col_start[j]..lp.col_start[j + 1])
            .map(|k| (rows[lp.row_index[k] as usize], lp.value[k]));
        if lp.col_upper[j].is_finite() {
            pb.add_column(lp.cost[j], 0.0..=lp.col_upper[j], entries);
        } else {
            pb.add_column(lp.cost[j], 0.0.., entries);
        }
    }
    let mut model = Model::try_new(pb).map_err(failed)?;
    model.make_quiet();
    model.set_sense(Sense::Minimise);
    let solved = model.try_solve().map_err(failed)?;
    if solved.status() != HighsModelStatus::Optimal {
        return Err(failed(solved.status()));
    }
    let s = solved.get_solution();
    Ok(LpSolution {
        x: s.columns().to_vec(),
        row_dual: s.dual_rows().to_vec(),
        objective: solved.objective_value(),
    })
}

/// One path column: its pair and arcs.
struct PathCol {
    od: u32,
    arcs: Vec<ArcIdx>,
}

/// What column generation reports besides the flows.
pub struct ColumnGenerationStats {
    pub columns: usize,
    pub rows: usize,
    pub nonzeros: usize,
    pub rounds: usize,
}

/// Stops a run that would not end (it always does in exact arithmetic:
/// each round adds a column the master lacks).
const MAX_ROUNDS: usize = 10_000;

/// A path's entries in the master: its demand row, then its capacity rows
/// with factors (repeats summed), sorted.
fn path_entries(p: &Problem, net: &Network, od: usize, arcs: &[ArcIdx]) -> Vec<(usize, f64)> {
    let g = &p.groups[p.ods[od].group];
    let mut caps: Vec<(usize, f64)> = arcs
        .iter()
        .flat_map(|&a| p.uses(a).iter())
        .chain(g.origin_row.iter())
        .map(|u| (u.row as usize, p.factor(net, g.commodity, *u)))
        .collect();
    caps.sort_by_key(|e| e.0);
    let mut out: Vec<(usize, f64)> = Vec::with_capacity(caps.len() + 1);
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

/// Per group, each pair's cheapest path under `weight` (per commodity)
/// with its length, `None` where unreachable.
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

/// The arc-path LP of `p` solved by column generation with HiGHS.
pub fn column_generation(p: &Problem, net: &Network) -> Result<(Flows, ColumnGenerationStats)> {
    let n_od = p.ods.len();
    let mut pb = ColProblem::new();
    let demand_rows: Vec<Row> = p
        .ods
        .iter()
        .map(|o| pb.add_row(o.demand..=o.demand))
        .collect();
    let cap_rows: Vec<Row> = p.rows.iter().map(|r| pb.add_row(..=r.capacity)).collect();
    for (&r, od) in demand_rows.iter().zip(&p.ods) {
        pb.add_column(p.penalty, 0.0..=od.demand, [(r, 1.0)]);
    }
    let mut nonzeros = n_od;
    let mut paths: Vec<PathCol> = Vec::new();
    let mut model = Model::try_new(pb).map_err(failed)?;
    model.make_quiet();
    model.set_sense(Sense::Minimise);
    let add = |model: &mut Model,
               paths: &mut Vec<PathCol>,
               nnz: &mut usize,
               od: usize,
               cost: f64,
               arcs: Vec<ArcIdx>| {
        let entries = path_entries(p, net, od, &arcs);
        *nnz += entries.len() + 1;
        let row_factors = std::iter::once((demand_rows[od], 1.0))
            .chain(entries.into_iter().map(|(r, v)| (cap_rows[r], v)));
        model.add_col(cost, 0.0.., row_factors);
        paths.push(PathCol {
            od: od as u32,
            arcs,
        });
    };
    let path_cost = |od: usize, arcs: &[ArcIdx]| -> f64 {
        let w = &p.weight[p.groups[p.ods[od].group].commodity];
        arcs.iter().map(|a| w[a.index()]).sum()
    };
    for (od, path) in cheapest_paths(p, &p.weight).into_iter().enumerate() {
        if let Some((_, arcs)) = path {
            let c = path_cost(od, &arcs);
            add(&mut model, &mut paths, &mut nonzeros, od, c, arcs);
        }
    }
    let mut rounds = 0;
    let solution = loop {
        rounds += 1;
        let solved = model.try_solve().map_err(failed)?;
        if solved.status() != HighsModelStatus::Optimal {
            return Err(failed(solved.status()));
        }
        let s = solved.get_solution();
        let duals = s.dual_rows();
        let sigma = &duals[..n_od];
        let price: Vec<f64> = duals[n_od..].iter().map(|d| (-d).max(0.0)).collect();
        let reduced: Vec<Vec<f64>> = (0..p.commodities.len())
            .map(|k| reduced_weights(p, net, k, &price))
            .collect();
        let mut added = 0;
        model = solved.into();
        for (od, path) in cheapest_paths(p, &reduced).into_iter().enumerate() {
            let Some((dist, arcs)) = path else { continue };
            let g = &p.groups[p.ods[od].group];
            let start = g.origin_row.map_or(0.0, |u| {
                p.factor(net, g.commodity, u) * price[u.row as usize]
            });
            let rc = dist + start - sigma[od];
            if rc < -1e-9 * (1.0 + sigma[od].abs()) {
                let c = path_cost(od, &arcs);
                add(&mut model, &mut paths, &mut nonzeros, od, c, arcs);
                added += 1;
            }
        }
        if added == 0 {
            break (s.columns().to_vec(), price);
        }
        if rounds >= MAX_ROUNDS {
            return Err(Error::InvalidRequest(format!(
                "column generation did not settle in {MAX_ROUNDS} rounds"
            )));
        }
    };
    let (x, price) = solution;
    let mut flow = vec![vec![0.0; p.lowered.n_arcs()]; p.commodities.len()];
    for (col, &f) in paths.iter().zip(&x[n_od..]) {
        let k = p.groups[p.ods[col.od as usize].group].commodity;
        for a in &col.arcs {
            flow[k][a.index()] += f.max(0.0);
        }
    }
    let unserved = (p.ods.iter().zip(&x))
        .map(|(o, &u)| u.clamp(0.0, o.demand))
        .collect();
    let stats = ColumnGenerationStats {
        columns: n_od + paths.len(),
        rows: n_od + p.rows.len(),
        nonzeros,
        rounds,
    };
    Ok((
        Flows {
            flow,
            unserved,
            price,
        },
        stats,
    ))
}

/// Commodity `k`'s arc costs plus the capacity prices its arcs pay.
fn reduced_weights(p: &Problem, net: &Network, k: usize, price: &[f64]) -> Vec<f64> {
    let w = &p.weight[k];
    p.lowered
        .csr
        .arcs()
        .map(|a| {
            let base = w[a.index()];
            if !base.is_finite() {
                return base;
            }
            base + (p.uses(a).iter())
                .map(|u| p.factor(net, k, *u) * price[u.row as usize])
                .sum::<f64>()
        })
        .collect()
}
