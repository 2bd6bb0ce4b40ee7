//! The `paths` formulation: the arc-path form of the system optimum's LP
//! solved by column generation (Dantzig–Wolfe for the multi-commodity
//! min-cost flow), whatever LP solver holds the master ([`Master`]:
//! HiGHS in `highs.rs`, warm-started between rounds; microlp in
//! `microlp.rs`, for small problems).
//!
//! The full LP has per origin–destination pair j one row
//! Σ_p f_p + u_j = D_j (u_j ≤ D_j unserved at the penalty) and per
//! capacity one row Σ_p (factor × uses of p) f_p ≤ capacity — the same
//! rows, factors and node starts as the arc-node LP (`lp.rs`). The master
//! holds some of its columns and some of its rows:
//!
//! - columns: it starts with each pair's cheapest paths around the
//!   capacities its own demand would fill, and grows: the solver gives the
//!   duals (σ_j of the demand rows, y_r = −dual ≥ 0 of the capacity rows),
//!   and per group (origin and commodity) one Dijkstra on the reduced arc
//!   costs `cost + Σ factor × y` (non-negative, so Dijkstra holds) finds
//!   each pair's cheapest path; a path whose reduced cost `length − σ_j`
//!   is negative enters, with up to [`PATHS_PER_PAIR`] − 1 more around the
//!   capacities it would fill ([`paths_around`]: a pair needs many paths,
//!   and one a round made one round per path);
//! - rows: a capacity row enters only once a master's solution exceeds
//!   it (row generation); the others have y_r = 0.
//!
//! When no row is exceeded and no path enters, the flows are feasible for
//! the full LP and (σ, y) — y_r = 0 on the rows the master lacks — is
//! feasible for its dual, with the dual objective equal to the master's:
//! the master's optimum is the full LP's and its capacity duals are exact
//! shadow prices of the full problem.

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
    /// Adds a column with `0 ≤ x ≤ upper` (`f64::INFINITY` for none);
    /// columns are numbered in the order they are added. A demand row
    /// enters with the first column using it; a capacity row only through
    /// [`Master::add_row`], before any column lists it.
    fn add_column(&mut self, cost: f64, upper: f64, entries: &[(usize, f64)]) -> Result<()>;
    /// Adds capacity row `row` (with the bounds the master was made with)
    /// and its entries `(column, value)` on the columns already added.
    fn add_row(&mut self, row: usize, entries: &[(usize, f64)]) -> Result<()>;
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
/// size (rows: the demand rows and the capacity rows added because a
/// master's solution violated them), and its master solves (`rounds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathStats {
    pub columns: usize,
    pub rows: usize,
    pub nonzeros: usize,
    pub rounds: usize,
    /// Capacity rows in the final master.
    pub capacity_rows: usize,
}

/// A column-generation answer: flows, and the master's duals (for the
/// tests' check of the dual objective).
pub struct PathSolution {
    pub flows: Flows,
    pub stats: PathStats,
    /// Per pair: σ_j, the dual of its demand row.
    pub sigma: Vec<f64>,
    /// Per capacity row, whether the final master has it (a row it lacks
    /// has price 0 and is not exceeded).
    pub capacity_in_master: Vec<bool>,
}

/// Stops a run that would not end (it always does in exact arithmetic:
/// each round adds a column or a row the master lacks).
pub const MAX_ROUNDS: usize = 10_000;

/// Most columns one pair gets in one round: its cheapest path under the
/// prices, then paths around the capacities that path would fill
/// ([`paths_around`]). A pair of a capacitated network needs many paths
/// (its demand over its bottlenecks' capacities); one a round made one
/// round per path.
pub const PATHS_PER_PAIR: usize = 12;

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

/// One path column: its pair, arcs and entries on every master row (those
/// of capacity rows not in the master included).
struct PathColumn {
    od: u32,
    arcs: Vec<ArcIdx>,
    entries: Vec<(usize, f64)>,
}

/// The master's columns so far, the rows it has, and the way back to
/// flows.
struct Columns {
    /// Per path column (after the pairs' unserved columns).
    paths: Vec<PathColumn>,
    seen: HashSet<(u32, Vec<u32>)>,
    nonzeros: usize,
    /// Per master row, whether the master has it: every demand row, and
    /// the capacity rows some master solution violated.
    active: Vec<bool>,
    n_od: usize,
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
        let in_master: Vec<(usize, f64)> = (entries.iter().copied())
            .filter(|e| self.active[e.0])
            .collect();
        self.nonzeros += in_master.len();
        m.add_column(cost, f64::INFINITY, &in_master)?;
        self.paths.push(PathColumn {
            od: od as u32,
            arcs,
            entries,
        });
        Ok(true)
    }

    /// Per master row, its load under the path columns' values `x`.
    fn loads(&self, x: &[f64]) -> Vec<f64> {
        let mut load = vec![0.0; self.active.len()];
        for (c, &x) in self.paths.iter().zip(x) {
            if x > 0.0 {
                for &(r, v) in &c.entries {
                    load[r] += x * v;
                }
            }
        }
        load
    }

    /// Adds `rows` (capacity rows) to the master with their entries on
    /// the columns it has.
    fn activate(&mut self, m: &mut dyn Master, rows: &[usize]) -> Result<()> {
        let mut slot = vec![usize::MAX; self.active.len()];
        for (i, &r) in rows.iter().enumerate() {
            slot[r] = i;
        }
        let mut entries: Vec<Vec<(usize, f64)>> = vec![Vec::new(); rows.len()];
        for (c, path) in self.paths.iter().enumerate() {
            for &(r, v) in &path.entries {
                if slot[r] != usize::MAX {
                    entries[slot[r]].push((self.n_od + c, v));
                }
            }
        }
        for (&r, e) in rows.iter().zip(&entries) {
            m.add_row(r, e)?;
            self.active[r] = true;
            self.nonzeros += e.len();
        }
        Ok(())
    }
}

/// The capacity rows not in the master that `load` exceeds.
fn violated(cols: &Columns, upper: &[f64], load: &[f64]) -> Vec<usize> {
    (cols.n_od..load.len())
        .filter(|&r| !cols.active[r] && load[r] > upper[r] + 1e-9 * (1.0 + upper[r].abs()))
        .collect()
}

/// What one pair's extra paths need to know.
struct PairPricing<'a> {
    od: usize,
    /// Its commodity's reduced arc weights.
    weight: &'a [f64],
    /// Its reduced cost is `dist + start − sigma`.
    start: f64,
    sigma: f64,
    tails: &'a [VertexIdx],
    /// Per master row, the room the other pairs' flows leave.
    room: &'a dyn Fn(usize) -> f64,
}

/// Whether a reduced cost lets a column enter.
fn negative(rc: f64, sigma: f64) -> bool {
    rc < -1e-9 * (1.0 + sigma.abs())
}

/// A pair's paths for one round: `first` (its cheapest under the
/// prices), then, while its demand is not all placed, the cheapest path
/// avoiding the arcs whose capacities the paths so far fill (the demand
/// pushed along each path up to the room left) — as long as it still has
/// a negative reduced cost, up to [`PATHS_PER_PAIR`]. A heuristic that
/// only proposes columns: the master decides their flows.
fn paths_around(
    p: &Problem,
    net: &Network,
    sp: &mut ShortestPath,
    q: &PairPricing,
    first: Vec<ArcIdx>,
) -> Vec<Vec<ArcIdx>> {
    let csr = &p.lowered.csr;
    let od = &p.ods[q.od];
    let source = p.groups[od.group].source;
    let n_od = p.ods.len();
    let mut w: Option<Vec<f64>> = None;
    let mut pushed: std::collections::HashMap<usize, f64> = Default::default();
    let left = |r: usize, pushed: &std::collections::HashMap<usize, f64>| {
        (q.room)(r) - pushed.get(&r).copied().unwrap_or(0.0)
    };
    let mut remaining = od.demand;
    let mut out = vec![first];
    while out.len() < PATHS_PER_PAIR {
        let path = out.last().expect("one at least");
        let entries = path_entries(p, net, q.od, path);
        let caps = || entries.iter().filter(|e| e.0 >= n_od && e.1 > 0.0);
        let fits = caps()
            .map(|&(r, v)| left(r, &pushed).max(0.0) / v)
            .fold(f64::INFINITY, f64::min);
        let push = remaining.min(fits);
        remaining -= push;
        for &(r, v) in caps() {
            *pushed.entry(r).or_default() += push * v;
        }
        if remaining <= 1e-9 * od.demand {
            break;
        }
        let full = |r: usize| left(r, &pushed) <= 1e-9 * (1.0 + p.rows[r - n_od].capacity);
        let w = w.get_or_insert_with(|| q.weight.to_vec());
        let mut banned = false;
        for &a in path {
            if p.uses(a).iter().any(|u| full(n_od + u.row as usize)) {
                w[a.index()] = f64::INFINITY;
                banned = true;
            }
        }
        if !banned {
            break;
        }
        sp.run_to_all(csr, w, &[(source, 0.0)], &[od.sink]);
        let Some(arcs) = sp.path_arcs(q.tails, od.sink) else {
            break;
        };
        if !negative(sp.dist(od.sink) + q.start - q.sigma, q.sigma) {
            break;
        }
        out.push(arcs);
    }
    out
}

/// One pricing round: per pair whose cheapest path under the capacity
/// prices `price` has a negative reduced cost against `sigma`, that path
/// and the paths around it ([`paths_around`], with the room the master's
/// solution `x` leaves); pairs in parallel.
fn price_round(
    p: &Problem,
    net: &Network,
    cols: &Columns,
    reduced: &[Vec<f64>],
    (price, sigma): (&[f64], &[f64]),
    (x, upper): (&[f64], &[f64]),
) -> Vec<(usize, Vec<ArcIdx>)> {
    let load = cols.loads(x);
    // Per pair, its own load per row (the room it sees gives it back).
    let mut own: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.ods.len()];
    for (c, &x) in cols.paths.iter().zip(x) {
        if x > 0.0 {
            own[c.od as usize].extend(c.entries.iter().map(|&(r, v)| (r, x * v)));
        }
    }
    let firsts: Vec<(usize, f64, Vec<ArcIdx>)> = (cheapest_paths(p, reduced).into_iter())
        .enumerate()
        .filter_map(|(od, path)| {
            let (dist, arcs) = path?;
            let g = &p.groups[p.ods[od].group];
            let start = g.origin_row.map_or(0.0, |u| {
                p.factor(net, g.commodity, u) * price[u.row as usize]
            });
            negative(dist + start - sigma[od], sigma[od]).then_some((od, start, arcs))
        })
        .collect();
    let n = p.lowered.n_vertices();
    let tails = p.lowered.csr.tails();
    let per_pair: Vec<Vec<(usize, Vec<ArcIdx>)>> = firsts
        .into_par_iter()
        .map_init(
            || ShortestPath::new(n),
            |sp, (od, start, first)| {
                let mine: std::collections::HashMap<usize, f64> =
                    own[od].iter().fold(Default::default(), |mut m, &(r, v)| {
                        *m.entry(r).or_default() += v;
                        m
                    });
                let room = |r: usize| upper[r] - load[r] + mine.get(&r).copied().unwrap_or(0.0);
                let q = PairPricing {
                    od,
                    weight: &reduced[p.groups[p.ods[od].group].commodity],
                    start,
                    sigma: sigma[od],
                    tails: &tails,
                    room: &room,
                };
                (paths_around(p, net, sp, &q, first).into_iter())
                    .map(|arcs| (od, arcs))
                    .collect()
            },
        )
        .collect();
    per_pair.into_iter().flatten().collect()
}

/// The arc-path LP of `p` solved by column generation on `master` (made
/// with [`master_rows`] and no columns).
pub fn column_generation(
    p: &Problem,
    net: &Network,
    master: &mut dyn Master,
) -> Result<PathSolution> {
    let n_od = p.ods.len();
    let (_, upper) = master_rows(p);
    for (j, od) in p.ods.iter().enumerate() {
        master.add_column(p.penalty, od.demand, &[(j, 1.0)])?;
    }
    let mut cols = Columns {
        paths: Vec::new(),
        seen: HashSet::new(),
        nonzeros: n_od,
        active: vec![false; n_od + p.rows.len()],
        n_od,
    };
    cols.active[..n_od].iter_mut().for_each(|u| *u = true);
    // The first columns: per pair, its cheapest paths around the
    // capacities its own demand would fill (prices 0, every path enters).
    let none = vec![0.0; p.rows.len()];
    let sigma = vec![p.penalty; n_od];
    let x: Vec<f64> = Vec::new();
    for (od, arcs) in price_round(p, net, &cols, &p.weight, (&none, &sigma), (&x, &upper)) {
        cols.add(p, net, master, od, arcs)?;
    }
    let mut reduced: Vec<Vec<f64>> = vec![Vec::new(); p.commodities.len()];
    let mut rounds = 0;
    let (s, price) = loop {
        rounds += 1;
        if rounds > MAX_ROUNDS {
            return Err(Error::InvalidRequest(format!(
                "column generation did not settle in {MAX_ROUNDS} rounds"
            )));
        }
        let s = master.solve()?;
        let over = violated(&cols, &upper, &cols.loads(&s.x[n_od..]));
        if !over.is_empty() {
            cols.activate(master, &over)?;
            continue;
        }
        let sigma = &s.row_dual[..n_od];
        let price: Vec<f64> = s.row_dual[n_od..].iter().map(|d| (-d).max(0.0)).collect();
        (reduced.par_iter_mut().enumerate())
            .for_each(|(k, out)| reduced_weights(p, net, k, &price, out));
        let found = price_round(
            p,
            net,
            &cols,
            &reduced,
            (&price, sigma),
            (&s.x[n_od..], &upper),
        );
        let mut added = 0;
        for (od, arcs) in found {
            if cols.add(p, net, master, od, arcs)? {
                added += 1;
            }
        }
        if added == 0 {
            break (s, price);
        }
    };
    let mut flow = vec![vec![0.0; p.lowered.n_arcs()]; p.commodities.len()];
    for (c, &f) in cols.paths.iter().zip(&s.x[n_od..]) {
        let k = p.groups[p.ods[c.od as usize].group].commodity;
        for a in &c.arcs {
            flow[k][a.index()] += f.max(0.0);
        }
    }
    let unserved = (p.ods.iter().zip(&s.x))
        .map(|(o, &u)| u.clamp(0.0, o.demand))
        .collect();
    let rows = cols.active.iter().filter(|&&u| u).count();
    Ok(PathSolution {
        flows: Flows {
            flow,
            unserved,
            price,
        },
        stats: PathStats {
            columns: n_od + cols.paths.len(),
            rows,
            nonzeros: cols.nonzeros,
            rounds,
            capacity_rows: rows - n_od,
        },
        sigma: s.row_dual[..n_od].to_vec(),
        capacity_in_master: cols.active[n_od..].to_vec(),
    })
}
