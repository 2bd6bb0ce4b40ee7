//! Investment screening: each project is a scenario with a cost; what
//! each adds to the capacity on its own, and the set within a budget that
//! adds most. Every set's value is the maximum flow of the base with the
//! set's scenarios applied in list order ([`crate::capacity_query`]),
//! computed at most once (`Evaluator`).
//!
//! How the set is chosen (`search`): with at most
//! [`MAX_EXACT_PROJECTS`] projects, branch and bound when every project
//! only raises capacities, opens, allows or adds elements and no two set
//! the same capacity (`monotone`): then adding projects never lowers
//! the maximum, so every affordable remaining project at once bounds a
//! subtree. Otherwise every affordable set is enumerated when there are
//! at most [`MAX_ENUMERATED_SETS`]; beyond either, greedy (most capacity
//! per unit of cost first), with the maximum of every affordable project
//! at once as an upper bound when projects only raise. The report says
//! which method ran and whether its answer is proven best.

mod monotone;
mod search;

use crate::capacity::{CapacityQuery, capacity_query, round};
use crate::{Error, Progress, Result};
use corridor_model::results::{BestSet, InvestReport, ProjectOutcome};
use corridor_model::scenario::apply_all;
use corridor_model::{Network, Scenario};
use rayon::prelude::*;
use search::{Found, Search};
use std::collections::HashMap;
use std::sync::Mutex;

/// Branch and bound (or enumeration) up to this many projects.
pub const MAX_EXACT_PROJECTS: usize = 20;
/// Enumeration of sets when projects may lower the maximum, up to this
/// many affordable sets.
pub const MAX_ENUMERATED_SETS: usize = 4096;

/// One candidate project: what it builds (a scenario) and its cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    pub name: String,
    pub scenario: Scenario,
    pub cost: f64,
    pub note: Option<String>,
}

/// How to screen projects.
#[derive(Clone, Debug, PartialEq)]
pub struct InvestConfig {
    /// The most the chosen projects may cost together.
    pub budget: f64,
    /// What costs are counted in, for the report.
    pub cost_unit: Option<String>,
    /// Threads evaluating sets side by side; `None` = rayon's pool.
    pub threads: Option<usize>,
    pub max_exact_projects: usize,
    pub max_enumerated_sets: usize,
    /// Counts the sets evaluated (how many there will be is not known
    /// beforehand) and, once cancelled, answers every further set at once
    /// so the search ends and the question returns `Cancelled`.
    pub progress: Progress,
}

impl Default for InvestConfig {
    fn default() -> Self {
        Self {
            budget: 0.0,
            cost_unit: None,
            threads: None,
            max_exact_projects: MAX_EXACT_PROJECTS,
            max_enumerated_sets: MAX_ENUMERATED_SETS,
            progress: Progress::default(),
        }
    }
}

/// The maximum flow of one set of projects, or why it has none.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Eval {
    Value { max_flow: f64, exact: bool },
    Failed(String),
}

/// Maximum flows of sets of projects, each computed once.
pub(crate) struct Evaluator<'a> {
    base: &'a Network,
    projects: &'a [Project],
    query: &'a CapacityQuery,
    progress: &'a Progress,
    /// Never iterated into a result in its own order.
    memo: Mutex<HashMap<Vec<usize>, Eval>>,
}

impl Evaluator<'_> {
    /// The set `set` (indices, ascending) applied in list order.
    pub fn eval(&self, set: &[usize]) -> Eval {
        if self.progress.is_cancelled() {
            // Not kept: the question ends in `Cancelled`, never reports it.
            return Eval::Failed("cancelled".into());
        }
        if let Some(e) = self.memo.lock().expect("not poisoned").get(set) {
            return e.clone();
        }
        let scenarios: Vec<Scenario> = set
            .iter()
            .map(|&j| self.projects[j].scenario.clone())
            .collect();
        let answer = apply_all(self.base, &scenarios)
            .map_err(|e| e.to_string())
            .and_then(|net| capacity_query(&net, self.query).map_err(|e| e.to_string()));
        let e = match answer {
            Ok(r) => Eval::Value {
                max_flow: r.max_flow,
                exact: r.exact,
            },
            Err(m) => Eval::Failed(m),
        };
        self.progress.step();
        self.memo
            .lock()
            .expect("not poisoned")
            .insert(set.to_vec(), e.clone());
        e
    }

    /// Whether the asker cancelled: the search stops descending.
    pub fn cancelled(&self) -> bool {
        self.progress.is_cancelled()
    }

    /// How many sets were evaluated, whether every value was exact, and
    /// how many failed with the first failure (by set) and its message.
    fn summary(&self) -> (usize, bool, Vec<(Vec<usize>, String)>) {
        let memo = self.memo.lock().expect("not poisoned");
        let exact = memo
            .values()
            .all(|e| !matches!(e, Eval::Value { exact: false, .. }));
        let mut failed: Vec<(Vec<usize>, String)> = memo
            .iter()
            .filter_map(|(s, e)| match e {
                Eval::Failed(m) => Some((s.clone(), m.clone())),
                Eval::Value { .. } => None,
            })
            .collect();
        failed.sort_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
        (memo.len(), exact, failed)
    }
}

/// Screens `projects` on `base` for `query` (places as node ids).
pub fn invest(
    base: &Network,
    projects: &[Project],
    query: &CapacityQuery,
    config: &InvestConfig,
) -> Result<InvestReport> {
    check_numbers(projects, config.budget)?;
    let base_report = capacity_query(base, query)?;
    let run = || screen(base, projects, query, config, base_report.max_flow);
    let (outcomes, best, notes) = crate::threads::on_threads(config.threads, run)?;
    config.progress.check()?;
    Ok(InvestReport {
        from: base_report.from,
        to: base_report.to,
        commodity: base_report.commodity,
        minimize: base_report.minimize,
        unit: base_report.unit,
        cost_unit: config.cost_unit.clone(),
        budget: config.budget,
        base_max_flow: base_report.max_flow,
        projects: outcomes,
        best,
        notes,
    })
}

/// Refuses a budget or a cost that is not a non-negative number, and two
/// projects of one name.
pub(crate) fn check_numbers(projects: &[Project], budget: f64) -> Result<()> {
    if !(budget.is_finite() && budget >= 0.0) {
        return Err(Error::InvalidQuery {
            field: "budget".into(),
            message: format!("the budget {budget} must be a non-negative number"),
        });
    }
    for p in projects {
        if !(p.cost.is_finite() && p.cost >= 0.0) {
            return Err(Error::InvalidQuery {
                field: "projects".into(),
                message: format!(
                    "project \"{}\": cost {} must be a non-negative number",
                    p.name, p.cost
                ),
            });
        }
    }
    if let Some((_, p)) = projects
        .iter()
        .enumerate()
        .find(|(i, p)| projects[..*i].iter().any(|q| q.name == p.name))
    {
        return Err(Error::InvalidQuery {
            field: "projects".into(),
            message: format!("two projects are named \"{}\"", p.name),
        });
    }
    Ok(())
}

/// Singles, then the best set, then what the report should say.
fn screen(
    base: &Network,
    projects: &[Project],
    query: &CapacityQuery,
    config: &InvestConfig,
    base_max_flow: f64,
) -> (Vec<ProjectOutcome>, BestSet, Vec<String>) {
    let ev = Evaluator {
        base,
        projects,
        query,
        progress: &config.progress,
        memo: Mutex::new(HashMap::new()),
    };
    let raises: Vec<std::result::Result<monotone::CapacityEdits, String>> = projects
        .iter()
        .map(|p| monotone::raises_only(base, &p.scenario))
        .collect();
    let singles: Vec<Eval> = (0..projects.len())
        .into_par_iter()
        .map(|j| ev.eval(&[j]))
        .collect();
    let outcomes = projects
        .iter()
        .zip(&singles)
        .zip(&raises)
        .map(|((p, e), r)| outcome(p, e, r.is_ok(), base_max_flow))
        .collect();
    let mut notes = Vec::new();
    let why_not = not_monotone(projects, raises);
    if let Some(w) = &why_not {
        notes.push(format!(
            "adding a project may lower the maximum ({w}), so no set is pruned by a bound"
        ));
    }
    let cost: Vec<f64> = projects.iter().map(|p| p.cost).collect();
    let s = Search {
        ev: &ev,
        cost: &cost,
        budget: config.budget,
    };
    let chosen = choose(&s, &singles, why_not.is_none(), config, &mut notes);
    let (evaluated, exact_values, failed) = ev.summary();
    if let Some((set, m)) = failed.first() {
        let names: Vec<&str> = set.iter().map(|&j| projects[j].name.as_str()).collect();
        notes.push(format!(
            "{} set(s) of projects could not be applied; the first, {}: {}",
            failed.len(),
            names.join(" + "),
            m.lines().next().unwrap_or("")
        ));
    }
    if !exact_values {
        notes.push("some maxima divide a shared capacity by the heuristic (not exact), so the choice is not proven best".into());
    }
    let best = BestSet {
        projects: chosen
            .found
            .set
            .iter()
            .map(|&j| projects[j].name.clone())
            .collect(),
        cost: round(chosen.found.cost),
        max_flow: chosen.found.value,
        added: round(chosen.found.value - base_max_flow),
        method: chosen.method.to_string(),
        exact: chosen.proven && exact_values,
        upper_bound: chosen.upper_bound,
        evaluated,
    };
    (outcomes, best, notes)
}

/// Why adding projects could lower the maximum (the first project whose
/// edits do not only raise, else the first conflict between two), or
/// `None` when it cannot.
fn not_monotone(
    projects: &[Project],
    raises: Vec<std::result::Result<monotone::CapacityEdits, String>>,
) -> Option<String> {
    let names: Vec<String> = projects.iter().map(|p| p.name.clone()).collect();
    if let Some((r, n)) = raises.iter().zip(&names).find(|(r, _)| r.is_err()) {
        return r.as_ref().err().map(|m| format!("project \"{n}\": {m}"));
    }
    let edits: Vec<monotone::CapacityEdits> = raises.into_iter().flatten().collect();
    monotone::conflict(&edits, &names)
}

/// The set a search chose, how, and whether that is proven best.
struct Chosen {
    found: Found,
    method: &'static str,
    proven: bool,
    upper_bound: Option<f64>,
}

/// Picks the method (see the module doc) and runs it.
fn choose(
    s: &Search,
    singles: &[Eval],
    monotone: bool,
    config: &InvestConfig,
    notes: &mut Vec<String>,
) -> Chosen {
    let n = singles.len();
    let exact_size = n <= config.max_exact_projects;
    if exact_size && monotone {
        // Projects that add most alone first: good sets early, so the
        // bound prunes sooner.
        let single = |j: usize| match &singles[j] {
            Eval::Value { max_flow, .. } => *max_flow,
            Eval::Failed(_) => f64::NEG_INFINITY,
        };
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| single(b).total_cmp(&single(a)).then(a.cmp(&b)));
        return Chosen {
            found: s.branch_and_bound(&order),
            method: "branch and bound",
            proven: true,
            upper_bound: None,
        };
    }
    if exact_size && let Some(sets) = s.affordable_sets(config.max_enumerated_sets) {
        return Chosen {
            found: s.enumeration(sets),
            method: "enumeration",
            proven: true,
            upper_bound: None,
        };
    }
    notes.push(if exact_size {
        format!(
            "more than {} affordable sets to enumerate, so greedy",
            config.max_enumerated_sets
        )
    } else {
        format!(
            "{n} projects: more than {} to search exactly, so greedy",
            config.max_exact_projects
        )
    });
    // With projects that only raise, no affordable set exceeds all of
    // the affordable projects at once.
    let all: Vec<usize> = (0..n).filter(|&j| s.cost[j] <= config.budget).collect();
    let upper_bound = match monotone.then(|| s.ev.eval(&all)) {
        Some(Eval::Value { max_flow, .. }) => Some(max_flow),
        _ => None,
    };
    Chosen {
        found: s.greedy(),
        method: "greedy",
        proven: false,
        upper_bound,
    }
}

fn outcome(p: &Project, e: &Eval, raises_only: bool, base_max_flow: f64) -> ProjectOutcome {
    let (max_flow, error) = match e {
        Eval::Value { max_flow, .. } => (Some(*max_flow), None),
        Eval::Failed(m) => (None, Some(m.clone())),
    };
    let added = max_flow.map(|v| round(v - base_max_flow));
    ProjectOutcome {
        name: p.name.clone(),
        scenario: p.scenario.name.clone(),
        cost: p.cost,
        note: p.note.clone(),
        max_flow,
        added,
        added_per_cost: added.filter(|_| p.cost > 0.0).map(|a| round(a / p.cost)),
        raises_only,
        error,
    }
}
