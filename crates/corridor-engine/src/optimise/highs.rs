//! HiGHS (the `highs` feature): the arc-node [`Lp`] solved as it is
//! ([`solve`]), and the restricted master of the `paths` formulation
//! ([`HighsMaster`], column generation in `paths.rs`), kept in one model
//! so each round's re-solve starts from the last basis.

use super::lp::{Lp, LpSolution};
use super::paths::{Master, PathsConfig};
use crate::{Error, Result};
use highs::{Col, ColProblem, HighsModelStatus, Model, Row, Sense};

fn failed(status: impl std::fmt::Debug) -> Error {
    Error::InvalidRequest(format!("HiGHS did not find an optimum ({status:?})"))
}

/// The answer to an LP without columns (no demand to move), which HiGHS
/// calls empty rather than optimal.
fn nothing(rows: usize) -> LpSolution {
    LpSolution {
        x: Vec::new(),
        row_dual: vec![0.0; rows],
        objective: 0.0,
    }
}

/// Solves `lp` with HiGHS: by its interior point method without
/// crossover if `ipm` (the optimal value and interior flows and duals
/// within HiGHS's tolerances, no vertex; `OptimiseConfig::arc_node_ipm`),
/// else by its default (dual simplex); with HiGHS's log on stdout if
/// `log`.
pub fn solve_by(lp: &Lp, ipm: bool, log: bool) -> Result<LpSolution> {
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
    if lp.n_cols() == 0 {
        return Ok(nothing(lp.n_rows()));
    }
    let mut model = Model::try_new(pb).map_err(failed)?;
    model.make_quiet();
    if log {
        model.set_option("output_flag", true);
        model.set_option("log_to_console", true);
    }
    if ipm {
        model.set_option("solver", "ipm");
        model.set_option("run_crossover", "off");
    }
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
/// starts from the last optimum (warm, by primal simplex). A demand row
/// enters HiGHS with its first column, a capacity row when column
/// generation adds it (`paths.rs`: once a solution violates it). After a
/// large batch of new columns the re-solve is by IPM with crossover
/// (`PathsConfig::ipm_min_columns`).
pub struct HighsMaster {
    model: Option<Model>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    /// Per master row, its HiGHS row once a column uses it.
    row: Vec<Option<Row>>,
    /// Per HiGHS row, its master row.
    master_row: Vec<usize>,
    /// Per column, its HiGHS column.
    cols: Vec<Col>,
    /// Whether rows were added since the last solve (its basis is then
    /// primal infeasible but dual feasible: dual simplex repairs it).
    rows_added: bool,
    /// Columns added since the last solve.
    columns_added: usize,
    /// Simplex iterations of every solve so far.
    iterations: u64,
    /// See [`PathsConfig::ipm_min_columns`].
    ipm_min_columns: usize,
}

impl HighsMaster {
    /// A master with `lower ≤ row ≤ upper` rows and no columns, re-solved
    /// as `config` says.
    pub fn new(lower: &[f64], upper: &[f64], config: &PathsConfig) -> Result<Self> {
        let mut model = Model::try_new(ColProblem::new()).map_err(failed)?;
        model.make_quiet();
        if config.solver_log {
            model.set_option("output_flag", true);
            model.set_option("log_to_console", true);
        }
        model.set_sense(Sense::Minimise);
        // New columns leave the last basis primal feasible (they enter at
        // 0) but not dual feasible: primal simplex continues from it, dual
        // simplex would first repair the duals.
        model.set_option("simplex_strategy", 4);
        Ok(HighsMaster {
            model: Some(model),
            lower: lower.to_vec(),
            upper: upper.to_vec(),
            row: vec![None; lower.len()],
            master_row: Vec::new(),
            cols: Vec::new(),
            rows_added: false,
            columns_added: 0,
            iterations: 0,
            ipm_min_columns: config.ipm_min_columns,
        })
    }
}

impl Master for HighsMaster {
    fn add_column(&mut self, cost: f64, upper: f64, entries: &[(usize, f64)]) -> Result<()> {
        let model = self.model.as_mut().ok_or_else(|| failed("no model"))?;
        for &(r, _) in entries {
            if self.row[r].is_none() {
                let (lo, hi) = (self.lower[r], self.upper[r]);
                let none = std::iter::empty();
                let row = if lo == hi {
                    model.try_add_row(lo..=hi, none)
                } else {
                    model.try_add_row(..=hi, none)
                }
                .map_err(failed)?;
                self.row[r] = Some(row);
                self.master_row.push(r);
            }
        }
        let factors = entries
            .iter()
            .map(|&(r, v)| (self.row[r].expect("added above"), v));
        let col = if upper.is_finite() {
            model.try_add_column(cost, 0.0..=upper, factors)
        } else {
            model.try_add_column(cost, 0.0.., factors)
        }
        .map_err(failed)?;
        self.cols.push(col);
        self.columns_added += 1;
        Ok(())
    }

    fn add_row(&mut self, r: usize, entries: &[(usize, f64)]) -> Result<()> {
        let model = self.model.as_mut().ok_or_else(|| failed("no model"))?;
        if self.row[r].is_some() {
            return Err(failed(format!("row {r} added twice")));
        }
        let factors = entries.iter().map(|&(c, v)| (self.cols[c], v));
        let row = model
            .try_add_row(..=self.upper[r], factors)
            .map_err(failed)?;
        self.row[r] = Some(row);
        self.master_row.push(r);
        self.rows_added = true;
        Ok(())
    }

    fn solve(&mut self) -> Result<LpSolution> {
        if self.master_row.is_empty() {
            return Ok(nothing(self.lower.len()));
        }
        let mut model = self.model.take().ok_or_else(|| failed("no model"))?;
        // Added rows (basic slacks, maybe violated) keep the basis dual
        // feasible: dual simplex; added columns keep it primal feasible:
        // primal simplex.
        let strategy = if self.rows_added { 1 } else { 4 };
        model.set_option("simplex_strategy", strategy);
        let ipm = !self.rows_added && self.columns_added >= self.ipm_min_columns;
        model.set_option("solver", if ipm { "ipm" } else { "simplex" });
        self.rows_added = false;
        self.columns_added = 0;
        let mut solved = model.try_solve().map_err(failed)?;
        self.iterations += solved.simplex_iteration_count().max(0) as u64;
        self.iterations += (solved.ipm_iteration_count().max(0)
            + solved.crossover_iteration_count().max(0)) as u64;
        if solved.status() != HighsModelStatus::Optimal {
            // A simplex can stall on a large degenerate master (primal
            // simplex ended in status Unknown after 263 solves on 100k
            // links): the other one from the same basis, once.
            let mut again: Model = solved.into();
            again.set_option("solver", "simplex");
            again.set_option("simplex_strategy", if strategy == 1 { 4 } else { 1 });
            solved = again.try_solve().map_err(failed)?;
            self.iterations += solved.simplex_iteration_count().max(0) as u64;
            if solved.status() != HighsModelStatus::Optimal {
                return Err(failed(solved.status()));
            }
        }
        let s = solved.get_solution();
        let mut row_dual = vec![0.0; self.lower.len()];
        for (&r, &d) in self.master_row.iter().zip(s.dual_rows()) {
            row_dual[r] = d;
        }
        let out = LpSolution {
            x: s.columns().to_vec(),
            row_dual,
            objective: solved.objective_value(),
        };
        self.model = Some(solved.into());
        Ok(out)
    }

    fn solver(&self) -> &'static str {
        "highs"
    }

    fn iterations(&self) -> u64 {
        self.iterations
    }
}
