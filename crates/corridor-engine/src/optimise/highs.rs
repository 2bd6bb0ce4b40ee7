//! HiGHS (the `highs` feature): the arc-node [`Lp`] solved as it is
//! ([`solve`]), and the restricted master of the `paths` formulation
//! ([`HighsMaster`], column generation in `paths.rs`), kept in one model
//! so each round's re-solve starts from the last basis.

use super::lp::{Lp, LpSolution};
use super::paths::Master;
use crate::{Error, Result};
use highs::{ColProblem, HighsModelStatus, Model, Row, Sense};

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

/// The restricted master of column generation in one HiGHS model: columns
/// are added to the solved model, which keeps its basis, so each re-solve
/// starts from the last optimum (warm).
pub struct HighsMaster {
    model: Option<Model>,
    rows: Vec<Row>,
}

impl HighsMaster {
    /// A master with `lower ≤ row ≤ upper` rows and no columns.
    pub fn new(lower: &[f64], upper: &[f64]) -> Result<Self> {
        let mut pb = ColProblem::new();
        let rows = (lower.iter().zip(upper))
            .map(|(&lo, &hi)| {
                if lo == hi {
                    pb.add_row(lo..=hi)
                } else {
                    pb.add_row(..=hi)
                }
            })
            .collect();
        let mut model = Model::try_new(pb).map_err(failed)?;
        model.make_quiet();
        model.set_sense(Sense::Minimise);
        Ok(HighsMaster {
            model: Some(model),
            rows,
        })
    }
}

impl Master for HighsMaster {
    fn add_column(&mut self, cost: f64, upper: f64, entries: &[(usize, f64)]) -> Result<()> {
        let model = self.model.as_mut().ok_or_else(|| failed("no model"))?;
        let factors = entries.iter().map(|&(r, v)| (self.rows[r], v));
        if upper.is_finite() {
            model.try_add_column(cost, 0.0..=upper, factors)
        } else {
            model.try_add_column(cost, 0.0.., factors)
        }
        .map_err(failed)?;
        Ok(())
    }

    fn solve(&mut self) -> Result<LpSolution> {
        let model = self.model.take().ok_or_else(|| failed("no model"))?;
        let solved = model.try_solve().map_err(failed)?;
        if solved.status() != HighsModelStatus::Optimal {
            return Err(failed(solved.status()));
        }
        let s = solved.get_solution();
        let out = LpSolution {
            x: s.columns().to_vec(),
            row_dual: s.dual_rows().to_vec(),
            objective: solved.objective_value(),
        };
        self.model = Some(solved.into());
        Ok(out)
    }

    fn solver(&self) -> &'static str {
        "highs"
    }
}
