//! What an assignment answers: the flows and costs of every class, the
//! loads of the elements, and how the run went (one measured relative gap
//! and objective per iteration). The solvers fill a [`Run`]; the driver in
//! `mod.rs` turns it into the public [`Assignment`].

use super::symmetry::Symmetry;

/// State after one iteration (the gap is measured at that iteration's flows).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IterationStat {
    /// 1-based.
    pub iteration: usize,
    pub relative_gap: f64,
    /// The objective at the flows (Beckmann's for one class; see
    /// [`Assignment::objective`]).
    pub objective: f64,
    /// Wall time since the start of the assignment.
    pub seconds: f64,
}

/// Equilibrium (or best found) flows of every class, and how the run went.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// `flow[k][a]`: class `k`'s flow on arc `a` (CSR order).
    pub flow: Vec<Vec<f64>>,
    /// `cost[k][a]`: class `k`'s cost on arc `a` at `flow`.
    pub cost: Vec<Vec<f64>>,
    /// Per element: load in capacity units.
    pub load: Vec<f64>,
    /// One entry per iteration.
    pub history: Vec<IterationStat>,
    /// Summed over classes.
    pub relative_gap: f64,
    /// Per class: its own relative gap.
    pub class_gap: Vec<f64>,
    /// `B(x)` of the module documentation: for one class with delay weight
    /// and factors 1, the Beckmann objective; when the problem is
    /// asymmetric (`ψ = χ = 1` there) a progress measure only.
    pub objective: f64,
    /// True when the gap target was reached.
    pub converged: bool,
    pub symmetry: Symmetry,
    /// Per class: demand whose destination cannot be reached from its
    /// origin; it is left out of the flows and of the gap.
    pub unreachable_demand: Vec<f64>,
}

/// A solver's result with the flows of all classes in one vector, class
/// after class (`flow[k * m + a]`).
pub(super) struct Run {
    pub flow: Vec<f64>,
    pub cost: Vec<f64>,
    pub history: Vec<IterationStat>,
    pub relative_gap: f64,
    pub class_gap: Vec<f64>,
    pub objective: f64,
    pub converged: bool,
    pub unreachable_demand: Vec<f64>,
}

impl Run {
    /// The public form: per-class vectors (the one class's without a copy).
    pub fn into_assignment(self, n_arcs: usize, load: Vec<f64>, symmetry: Symmetry) -> Assignment {
        let k = self.class_gap.len();
        Assignment {
            flow: split(self.flow, k, n_arcs),
            cost: split(self.cost, k, n_arcs),
            load,
            history: self.history,
            relative_gap: self.relative_gap,
            class_gap: self.class_gap,
            objective: self.objective,
            converged: self.converged,
            symmetry,
            unreachable_demand: self.unreachable_demand,
        }
    }
}

fn split(flat: Vec<f64>, k: usize, m: usize) -> Vec<Vec<f64>> {
    if k == 1 {
        return vec![flat];
    }
    (0..k).map(|c| flat[c * m..(c + 1) * m].to_vec()).collect()
}
