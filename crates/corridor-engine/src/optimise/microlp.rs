//! The built-in solver: an [`Lp`] solved by the pure-Rust `microlp`
//! through `good_lp`, for small problems (up to [`MICROLP_MAX_COLUMNS`]
//! columns). `microlp` reports no duals, so the capacity prices come from
//! solving the dual LP too (max bᵀy + Uᵀz subject to Aᵀy + z ≤ c, y free
//! on equality rows and ≤ 0 on ≤ rows — HiGHS's sign convention — and
//! z ≤ 0 for columns with an upper bound U), and the two optima must
//! agree. [`MicrolpMaster`] holds column generation's master for small
//! problems in a build without HiGHS.

use super::lp::{Lp, LpSolution};
use super::paths::Master;
use crate::{Error, Result};
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};

/// The largest arc-node LP (columns) the built-in solver takes. Measured
/// on generated networks (docs/optimise.md): 7k columns take about 1 s,
/// 19k about 16 s, 24k about a minute (primal and dual together).
pub const MICROLP_MAX_COLUMNS: usize = 25_000;

/// Row-wise copy of the matrix: per row, (column, value).
fn rows_of(lp: &Lp) -> Vec<Vec<(usize, f64)>> {
    let mut rows = vec![Vec::new(); lp.n_rows()];
    for j in 0..lp.n_cols() {
        for k in lp.col_start[j]..lp.col_start[j + 1] {
            rows[lp.row_index[k] as usize].push((j, lp.value[k]));
        }
    }
    rows
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::InvalidRequest(format!("the built-in LP solver failed on the {what}: {e}"))
}

/// Solves `lp` and its dual; the row duals follow HiGHS's convention.
pub fn solve(lp: &Lp) -> Result<LpSolution> {
    let (x, objective) = primal(lp)?;
    let (row_dual, dual_objective) = dual(lp)?;
    let scale = 1.0 + objective.abs();
    if (objective - dual_objective).abs() > 1e-6 * scale {
        return Err(Error::InvalidRequest(format!(
            "the built-in LP solver's primal ({objective}) and dual ({dual_objective}) optima differ"
        )));
    }
    Ok(LpSolution {
        x,
        row_dual,
        objective,
    })
}

fn primal(lp: &Lp) -> Result<(Vec<f64>, f64)> {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = (lp.col_upper.iter())
        .map(|&u| {
            if u.is_finite() {
                vars.add(variable().min(0.0).max(u))
            } else {
                vars.add(variable().min(0.0))
            }
        })
        .collect();
    let mut objective = Expression::with_capacity(lp.n_cols());
    for (&v, &c) in x.iter().zip(&lp.cost) {
        objective.add_mul(c, v);
    }
    let mut model = vars.minimise(objective).using(microlp);
    for (i, row) in rows_of(lp).into_iter().enumerate() {
        let mut e = Expression::with_capacity(row.len());
        for (j, v) in row {
            e.add_mul(v, x[j]);
        }
        let (lo, hi) = (lp.row_lower[i], lp.row_upper[i]);
        model = model.with(if lo == hi { e.eq(hi) } else { e.leq(hi) });
    }
    let sol = model.solve().map_err(|e| failed("flows", e))?;
    let values: Vec<f64> = x.iter().map(|&v| sol.value(v)).collect();
    let objective = values.iter().zip(&lp.cost).map(|(x, c)| x * c).sum();
    Ok((values, objective))
}

fn dual(lp: &Lp) -> Result<(Vec<f64>, f64)> {
    let mut vars = ProblemVariables::new();
    let y: Vec<Variable> = (0..lp.n_rows())
        .map(|i| {
            if lp.row_lower[i] == lp.row_upper[i] {
                vars.add(variable())
            } else {
                vars.add(variable().max(0.0))
            }
        })
        .collect();
    // A column's upper bound U is a row x ≤ U of its own: its dual z ≤ 0.
    let z: Vec<Option<Variable>> = (lp.col_upper.iter())
        .map(|u| u.is_finite().then(|| vars.add(variable().max(0.0))))
        .collect();
    let mut objective = Expression::with_capacity(lp.n_rows());
    for (&v, &b) in y.iter().zip(&lp.row_upper) {
        objective.add_mul(b, v);
    }
    for (z, &u) in z.iter().zip(&lp.col_upper) {
        if let Some(z) = z {
            objective.add_mul(u, *z);
        }
    }
    let mut model = vars.maximise(objective).using(microlp);
    for j in 0..lp.n_cols() {
        let mut e = Expression::with_capacity(lp.col_start[j + 1] - lp.col_start[j] + 1);
        for k in lp.col_start[j]..lp.col_start[j + 1] {
            e.add_mul(lp.value[k], y[lp.row_index[k] as usize]);
        }
        if let Some(z) = z[j] {
            e.add_mul(1.0, z);
        }
        model = model.with(e.leq(lp.cost[j]));
    }
    let sol = model.solve().map_err(|e| failed("capacity prices", e))?;
    let values: Vec<f64> = y.iter().map(|&v| sol.value(v)).collect();
    let bounds: f64 = (z.iter().zip(&lp.col_upper))
        .filter_map(|(z, u)| z.map(|z| sol.value(z) * u))
        .sum();
    let objective = values
        .iter()
        .zip(&lp.row_upper)
        .map(|(y, b)| y * b)
        .sum::<f64>()
        + bounds;
    Ok((values, objective))
}

/// The restricted master of column generation for the built-in solver:
/// the columns are kept as an [`Lp`] and each round solves it afresh
/// (microlp has no warm start), without the capacity rows no column uses
/// yet. For small problems: refused beyond [`MICROLP_MAX_COLUMNS`]
/// columns.
pub struct MicrolpMaster {
    lp: Lp,
    /// Entries of rows added after their columns, `(row, column, value)`.
    late: Vec<(usize, usize, f64)>,
}

impl MicrolpMaster {
    /// A master with `lower ≤ row ≤ upper` rows and no columns.
    pub fn new(lower: &[f64], upper: &[f64]) -> Self {
        MicrolpMaster {
            lp: Lp {
                col_start: vec![0],
                row_lower: lower.to_vec(),
                row_upper: upper.to_vec(),
                ..Lp::default()
            },
            late: Vec::new(),
        }
    }
}

impl Master for MicrolpMaster {
    fn add_column(&mut self, cost: f64, upper: f64, entries: &[(usize, f64)]) -> Result<()> {
        if self.lp.n_cols() >= MICROLP_MAX_COLUMNS {
            return Err(Error::InvalidRequest(format!(
                "column generation's master grew past {MICROLP_MAX_COLUMNS} columns, what the built-in solver takes: build Corridor with HiGHS (`cargo build --release -p corridor-cli --features highs`, see docs/optimise.md)"
            )));
        }
        let lp = &mut self.lp;
        for &(r, v) in entries {
            lp.row_index.push(r as u32);
            lp.value.push(v);
        }
        lp.cost.push(cost);
        lp.col_upper.push(upper);
        lp.col_start.push(lp.value.len());
        Ok(())
    }

    fn add_row(&mut self, r: usize, entries: &[(usize, f64)]) -> Result<()> {
        self.late.extend(entries.iter().map(|&(c, v)| (r, c, v)));
        Ok(())
    }

    fn solve(&mut self) -> Result<LpSolution> {
        let full = &self.with_late_rows();
        let mut new_row = vec![u32::MAX; full.n_rows()];
        for &r in &full.row_index {
            new_row[r as usize] = 0;
        }
        let mut kept = Vec::new();
        for (i, slot) in new_row.iter_mut().enumerate() {
            if *slot == 0 {
                *slot = kept.len() as u32;
                kept.push(i);
            }
        }
        let lp = Lp {
            row_index: full
                .row_index
                .iter()
                .map(|&r| new_row[r as usize])
                .collect(),
            row_lower: kept.iter().map(|&i| full.row_lower[i]).collect(),
            row_upper: kept.iter().map(|&i| full.row_upper[i]).collect(),
            ..full.clone()
        };
        let s = solve(&lp)?;
        let mut row_dual = vec![0.0; full.n_rows()];
        for (&i, &d) in kept.iter().zip(&s.row_dual) {
            row_dual[i] = d;
        }
        Ok(LpSolution { row_dual, ..s })
    }

    fn solver(&self) -> &'static str {
        "microlp"
    }
}

impl MicrolpMaster {
    /// The columns with the entries of the rows added late merged in.
    fn with_late_rows(&self) -> Lp {
        let mut extra: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.lp.n_cols()];
        for &(r, c, v) in &self.late {
            extra[c].push((r, v));
        }
        let mut lp = Lp {
            col_start: vec![0],
            row_index: Vec::new(),
            value: Vec::new(),
            ..self.lp.clone()
        };
        for (j, extra) in extra.iter().enumerate() {
            let own = self.lp.col_start[j]..self.lp.col_start[j + 1];
            for k in own {
                lp.row_index.push(self.lp.row_index[k]);
                lp.value.push(self.lp.value[k]);
            }
            for &(r, v) in extra {
                lp.row_index.push(r as u32);
                lp.value.push(v);
            }
            lp.col_start.push(lp.value.len());
        }
        lp
    }
}
