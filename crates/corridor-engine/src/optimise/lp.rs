//! The arc-node linear program of a [`Problem`], in a solver-neutral sparse
//! form ([`Lp`]: columns with costs, rows with bounds, the matrix by
//! column) that `microlp.rs` and `highs.rs` both solve and
//! [`Lp::write_arrays`] dumps for the benchmark's scipy run, and the way
//! back from a solution to flows ([`ArcNode::solved`]).
//!
//! Per group g (one origin, one commodity) and arc a it may use there is a
//! flow x_ga ≥ 0 at the arc's cost; per origin–destination pair j an
//! unserved amount 0 ≤ u_j ≤ D_j at the penalty. Rows: conservation per group
//! and vertex (out − in = D_g at the origin, −(D_j − u_j) at a
//! destination, 0 elsewhere, u moved to the left), then one row per
//! capacity: Σ factor × x ≤ capacity (a start charged to a node: its
//! served demand too). Arcs no flow of a group can use (not reachable from
//! its origin, or reaching none of its destinations) get no column.

use super::problem::Problem;
use corridor_graph::{ArcIdx, Csr, VertexIdx};
use corridor_model::Network;
use std::path::Path;

/// min cost·x subject to row_lower ≤ A x ≤ row_upper, 0 ≤ x ≤ col_upper.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lp {
    pub cost: Vec<f64>,
    /// `f64::INFINITY` for none.
    pub col_upper: Vec<f64>,
    pub row_lower: Vec<f64>,
    pub row_upper: Vec<f64>,
    /// Column j's entries are `col_start[j]..col_start[j + 1]`.
    pub col_start: Vec<usize>,
    pub row_index: Vec<u32>,
    pub value: Vec<f64>,
}

impl Lp {
    pub fn n_cols(&self) -> usize {
        self.cost.len()
    }
    pub fn n_rows(&self) -> usize {
        self.row_lower.len()
    }
    pub fn nonzeros(&self) -> usize {
        self.value.len()
    }

    fn push_col(&mut self, cost: f64, upper: f64, entries: impl IntoIterator<Item = (u32, f64)>) {
        for (r, v) in entries {
            self.row_index.push(r);
            self.value.push(v);
        }
        self.cost.push(cost);
        self.col_upper.push(upper);
        self.col_start.push(self.value.len());
    }

    /// The largest violation of a row's bounds by `x`, relative to the
    /// row's right-hand side: what a solver's answer is checked with.
    pub fn violation(&self, x: &[f64]) -> f64 {
        let mut act = vec![0.0; self.n_rows()];
        for (j, &xj) in x.iter().enumerate().take(self.n_cols()) {
            for k in self.col_start[j]..self.col_start[j + 1] {
                act[self.row_index[k] as usize] += self.value[k] * xj;
            }
        }
        (act.iter().zip(self.row_lower.iter().zip(&self.row_upper)))
            .map(|(&a, (&lo, &hi))| {
                let over = (lo - a).max(a - hi).max(0.0);
                over / (1.0 + hi.abs().min(lo.abs()))
            })
            .fold(0.0, f64::max)
    }

    /// Writes the LP as raw little-endian arrays plus `lp.json` (sizes and
    /// file names) into `dir`, for a script to rebuild the very same LP
    /// (`bench/optimise.py` gives it to scipy's `linprog`).
    pub fn write_arrays(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let f64s = |name: &str, v: &[f64]| {
            let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
            std::fs::write(dir.join(name), bytes)
        };
        f64s("cost.f64", &self.cost)?;
        f64s("col_upper.f64", &self.col_upper)?;
        f64s("row_lower.f64", &self.row_lower)?;
        f64s("row_upper.f64", &self.row_upper)?;
        f64s("value.f64", &self.value)?;
        let starts: Vec<u8> = (self.col_start.iter())
            .flat_map(|&x| (x as u64).to_le_bytes())
            .collect();
        std::fs::write(dir.join("col_start.u64"), starts)?;
        let rows: Vec<u8> = self
            .row_index
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        std::fs::write(dir.join("row_index.u32"), rows)?;
        let meta = format!(
            "{{\"columns\": {}, \"rows\": {}, \"nonzeros\": {}, \"sense\": \"min\", \"column_lower\": 0, \"files\": [\"cost.f64\", \"col_upper.f64\", \"row_lower.f64\", \"row_upper.f64\", \"col_start.u64\", \"row_index.u32\", \"value.f64\"]}}\n",
            self.n_cols(),
            self.n_rows(),
            self.nonzeros()
        );
        std::fs::write(dir.join("lp.json"), meta)
    }
}

/// A solver's answer to an [`Lp`]: column values and row duals (for a
/// minimisation: ≤ 0 on a binding ≤ row, as HiGHS reports them).
#[derive(Clone, Debug, PartialEq)]
pub struct LpSolution {
    pub x: Vec<f64>,
    pub row_dual: Vec<f64>,
    pub objective: f64,
}

/// What any formulation's solution comes to.
#[derive(Clone, Debug, PartialEq)]
pub struct Flows {
    /// Per commodity of the problem, per arc: t/day.
    pub flow: Vec<Vec<f64>>,
    /// Per origin–destination pair: t/day.
    pub unserved: Vec<f64>,
    /// Per capacity row: objective saved per extra t/day (≥ 0).
    pub price: Vec<f64>,
}

/// The arc-node LP of a problem and what its columns and rows stand for.
#[derive(Clone, Debug)]
pub struct ArcNode {
    pub lp: Lp,
    /// Per flow column (the first ones): its group and arc.
    pub flow_cols: Vec<(u32, ArcIdx)>,
    /// Column of pair 0's unserved amount (the others follow).
    pub first_unserved: usize,
    /// Per capacity row: its LP row, `u32::MAX` when no column uses it.
    pub capacity_lp_row: Vec<u32>,
}

/// Vertices reachable from `from` over arcs with a finite weight, on `g`
/// (forward) or through `rev` (the reversed graph, arcs mapped to `g`'s).
fn reach(g: &Csr, arcs_of: Option<&[ArcIdx]>, w: &[f64], from: &[VertexIdx], seen: &mut [bool]) {
    seen.iter_mut().for_each(|s| *s = false);
    let mut stack: Vec<VertexIdx> = from.to_vec();
    for &v in from {
        seen[v.index()] = true;
    }
    while let Some(v) = stack.pop() {
        for a in g.out_arcs(v) {
            let orig = arcs_of.map_or(a, |m| m[a.index()]);
            let h = g.head(a);
            if w[orig.index()].is_finite() && !seen[h.index()] {
                seen[h.index()] = true;
                stack.push(h);
            }
        }
    }
}

/// Per group, the arcs a flow of it can use (see the module doc).
pub fn useful_arcs(p: &Problem) -> Vec<Vec<ArcIdx>> {
    let csr = &p.lowered.csr;
    let (rev, rev_arc) = csr.reversed();
    let tails = csr.tails();
    let n = csr.n_vertices();
    let (mut fwd, mut bwd) = (vec![false; n], vec![false; n]);
    let mut out = Vec::with_capacity(p.groups.len());
    for g in &p.groups {
        let w = &p.weight[g.commodity];
        reach(csr, None, w, &[g.source], &mut fwd);
        let sinks: Vec<VertexIdx> = p.ods[g.ods.clone()].iter().map(|o| o.sink).collect();
        reach(&rev, Some(&rev_arc), w, &sinks, &mut bwd);
        out.push(
            csr.arcs()
                .filter(|a| {
                    w[a.index()].is_finite()
                        && fwd[tails[a.index()].index()]
                        && bwd[csr.head(*a).index()]
                })
                .collect(),
        );
    }
    out
}

impl ArcNode {
    /// The arc-node LP of `p` on `net` (capacity factors come from its
    /// commodities).
    pub fn build(p: &Problem, net: &Network) -> Self {
        let n_cap = p.rows.len();
        let mut lp = Lp {
            col_start: vec![0],
            row_lower: vec![f64::NEG_INFINITY; n_cap],
            row_upper: p.rows.iter().map(|r| r.capacity).collect(),
            ..Lp::default()
        };
        let mut flow_cols = Vec::new();
        let tails = p.lowered.csr.tails();
        let mut vrow = vec![u32::MAX; p.lowered.n_vertices()];
        let mut touched: Vec<VertexIdx> = Vec::new();
        // Per group: its origin's row and its destinations' rows.
        let mut source_row: Vec<u32> = Vec::with_capacity(p.groups.len());
        let mut sink_rows: Vec<Vec<u32>> = Vec::with_capacity(p.groups.len());
        let useful = useful_arcs(p);
        for (gi, g) in p.groups.iter().enumerate() {
            let mut row_of = |v: VertexIdx, lp: &mut Lp| {
                if vrow[v.index()] == u32::MAX {
                    vrow[v.index()] = lp.row_lower.len() as u32;
                    lp.row_lower.push(0.0);
                    lp.row_upper.push(0.0);
                    touched.push(v);
                }
                vrow[v.index()]
            };
            let src = row_of(g.source, &mut lp);
            let demand: f64 = p.ods[g.ods.clone()].iter().map(|o| o.demand).sum();
            lp.row_lower[src as usize] = demand;
            lp.row_upper[src as usize] = demand;
            for od in &p.ods[g.ods.clone()] {
                let r = row_of(od.sink, &mut lp) as usize;
                lp.row_lower[r] -= od.demand;
                lp.row_upper[r] -= od.demand;
            }
            source_row.push(src);
            for &a in &useful[gi] {
                let (t, h) = (
                    row_of(tails[a.index()], &mut lp),
                    row_of(p.lowered.csr.head(a), &mut lp),
                );
                let caps = p
                    .uses(a)
                    .iter()
                    .map(|u| (u.row, p.factor(net, g.commodity, *u)));
                lp.push_col(
                    p.weight[g.commodity][a.index()],
                    f64::INFINITY,
                    [(t, 1.0), (h, -1.0)].into_iter().chain(caps),
                );
                flow_cols.push((gi as u32, a));
            }
            sink_rows.push(
                p.ods[g.ods.clone()]
                    .iter()
                    .map(|o| vrow[o.sink.index()])
                    .collect(),
            );
            for v in touched.drain(..) {
                vrow[v.index()] = u32::MAX;
            }
            if let Some(u) = g.origin_row {
                let phi = p.factor(net, g.commodity, u);
                lp.row_upper[u.row as usize] -= phi * demand;
            }
        }
        let first_unserved = lp.n_cols();
        for (gi, g) in p.groups.iter().enumerate() {
            let origin = g
                .origin_row
                .map(|u| (u.row, -p.factor(net, g.commodity, u)));
            // Bounded by the demand: an unserved amount above it would be
            // cargo flowing back from one destination to feed another.
            for (k, od) in p.ods[g.ods.clone()].iter().enumerate() {
                let entries = [(source_row[gi], 1.0), (sink_rows[gi][k], -1.0)];
                lp.push_col(p.penalty, od.demand, entries.into_iter().chain(origin));
            }
        }
        // Each group's conservation rows sum to zero; its origin's row is
        // implied by the others and goes (so its potentials are anchored
        // there, and the dual has an optimum, not a line of them).
        let mut drop = vec![false; lp.n_rows()];
        for &r in &source_row {
            drop[r as usize] = true;
        }
        let capacity_lp_row = compact_rows(&mut lp, n_cap, drop);
        ArcNode {
            lp,
            flow_cols,
            first_unserved,
            capacity_lp_row,
        }
    }

    /// Flows, unserved amounts and capacity prices from a solution.
    pub fn solved(&self, p: &Problem, s: &LpSolution) -> Flows {
        let n_arcs = p.lowered.n_arcs();
        let mut flow = vec![vec![0.0; n_arcs]; p.commodities.len()];
        for (&(g, a), &x) in self.flow_cols.iter().zip(&s.x) {
            flow[p.groups[g as usize].commodity][a.index()] += x.max(0.0);
        }
        let unserved = (p.ods.iter().enumerate())
            .map(|(j, od)| s.x[self.first_unserved + j].clamp(0.0, od.demand))
            .collect();
        let price = (self.capacity_lp_row.iter())
            .map(|&r| {
                if r == u32::MAX {
                    0.0
                } else {
                    (-s.row_dual[r as usize]).max(0.0)
                }
            })
            .collect();
        Flows {
            flow,
            unserved,
            price,
        }
    }
}

/// Drops the rows `drop` marks and the capacity rows (the first `n_cap`)
/// no column uses, renumbering the others and the matrix's entries;
/// returns each capacity row's LP row (`u32::MAX` if dropped).
fn compact_rows(lp: &mut Lp, n_cap: usize, mut drop: Vec<bool>) -> Vec<u32> {
    let mut used = vec![false; n_cap];
    for &r in &lp.row_index {
        if (r as usize) < n_cap {
            used[r as usize] = true;
        }
    }
    for (d, u) in drop.iter_mut().zip(&used) {
        *d |= !u;
    }
    let mut new_row = vec![u32::MAX; lp.n_rows()];
    let mut next = 0u32;
    for (slot, &d) in new_row.iter_mut().zip(&drop) {
        if !d {
            *slot = next;
            next += 1;
        }
    }
    let mut k = 0;
    for j in 0..lp.n_cols() {
        let (lo, hi) = (lp.col_start[j], lp.col_start[j + 1]);
        lp.col_start[j] = k;
        for i in lo..hi {
            let r = new_row[lp.row_index[i] as usize];
            if r != u32::MAX {
                lp.row_index[k] = r;
                lp.value[k] = lp.value[i];
                k += 1;
            }
        }
    }
    let n = lp.n_cols();
    lp.col_start[n] = k;
    lp.row_index.truncate(k);
    lp.value.truncate(k);
    let keep = |v: &mut Vec<f64>| {
        let mut i = 0;
        v.retain(|_| {
            i += 1;
            new_row[i - 1] != u32::MAX
        });
    };
    keep(&mut lp.row_lower);
    keep(&mut lp.row_upper);
    new_row.truncate(n_cap);
    new_row
}
