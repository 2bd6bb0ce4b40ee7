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
//!   and pricing (`pricing.rs`: an exact shortest-path search per pair on
//!   the reduced arc costs `cost + Σ factor × y`) finds each pair's
//!   cheapest path; a path whose reduced cost `length − σ_j` is negative
//!   enters, with a few more around the capacities it would fill (a pair
//!   needs many paths, and one a round made one round per path);
//! - rows: a capacity row enters only once a master's solution exceeds
//!   it (row generation); the others have y_r = 0.
//!
//! The master is re-solved warm after each change (`highs.rs`: primal
//! simplex after new columns, dual simplex after new rows), and pricing
//! uses its duals, smoothed towards the prices of the best bound so far
//! when `PathsConfig::smoothing` asks (see `price_and_add`).
//!
//! When no row is exceeded and no path enters, the flows are feasible for
//! the full LP and (σ, y) — y_r = 0 on the rows the master lacks — is
//! feasible for its dual, with the dual objective equal to the master's:
//! the master's optimum is the full LP's and its capacity duals are exact
//! shadow prices of the full problem.

use super::lagrangian::{Ascent, evaluate, held};
use super::lp::{Flows, LpSolution};
use super::pricing::{Pricing, path_entries, price_round};
use super::problem::Problem;
use crate::{Error, Result};
use corridor_graph::ArcIdx;
use corridor_model::Network;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

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
    /// Simplex iterations of all solves so far (0 if the solver does not
    /// say): the machine-independent measure of the master's work.
    fn iterations(&self) -> u64 {
        0
    }
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
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PathStats {
    pub columns: usize,
    pub rows: usize,
    pub nonzeros: usize,
    pub rounds: usize,
    /// Capacity rows in the final master.
    pub capacity_rows: usize,
    /// Master solves that only added violated rows (no pricing after).
    pub row_rounds: usize,
    /// Simplex iterations of all master solves (0 when the solver does
    /// not report them).
    pub iterations: u64,
    /// Wall-clock seconds in the master's solves and in pricing (the
    /// benchmark's split of where the time goes; machine-dependent).
    pub seconds_master: f64,
    pub seconds_pricing: f64,
    /// Evaluations of the Lagrangian function by the bound's ascent
    /// (`PathsConfig::bound_steps`; one cheapest path per pair each), and
    /// the wall-clock seconds they took.
    pub bound_steps: usize,
    pub seconds_bound: f64,
    /// Pricing rounds at smoothed prices that added columns, and those
    /// whose paths none entered the master at its duals (priced again
    /// there): `PathsConfig::smoothing`.
    pub smoothed_rounds: usize,
    pub mispriced_rounds: usize,
}

/// When column generation may stop before the optimum (`corridor
/// optimise --gap`, `--time-limit`). The master's solution is feasible
/// for the full LP whenever it exceeds no capacity row (unserved columns
/// take what paths do not), and each pricing round gives a Lagrangian
/// lower bound, so stopping early still gives a plan and how far from
/// the optimum it may be. The default stops only at the optimum.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StopRule {
    /// Stop once (master objective − best bound) / |master objective| is
    /// at most this.
    pub gap: Option<f64>,
    /// Stop after the first master solve past this instant that exceeds
    /// no capacity row (row-only solves go on: their solutions are not
    /// feasible).
    pub deadline: Option<Instant>,
}

/// Why column generation stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// No path entered: the master's optimum is the full LP's.
    Optimal,
    /// The gap fell to [`StopRule::gap`].
    GapReached,
    /// [`StopRule::deadline`] passed.
    TimeLimit,
}

impl Stopped {
    /// What the result's `status` says: `optimal`, `gap reached`, `time
    /// limit`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stopped::Optimal => "optimal",
            Stopped::GapReached => "gap reached",
            Stopped::TimeLimit => "time limit",
        }
    }
}

/// (objective − bound) / |objective|, 0 when the bound is not below the
/// objective (a 0 objective with a bound of 0 is optimal).
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    let d = objective - bound;
    if d <= 0.0 {
        0.0
    } else if objective == 0.0 {
        f64::INFINITY
    } else {
        d / objective.abs()
    }
}

impl StopRule {
    /// Whether a round whose master (feasible, objective `objective`) has
    /// the best bound `bound` may end the run, and why.
    fn check(&self, objective: f64, bound: f64) -> Option<Stopped> {
        if let Some(g) = self.gap
            && relative_gap(objective, bound) <= g
        {
            return Some(Stopped::GapReached);
        }
        if let Some(d) = self.deadline
            && Instant::now() >= d
        {
            return Some(Stopped::TimeLimit);
        }
        None
    }
}

/// A column-generation answer: flows, and the master's duals (for the
/// tests' check of the dual objective).
pub struct PathSolution {
    pub flows: Flows,
    pub stats: PathStats,
    /// Why it stopped; not [`Stopped::Optimal`] only under a
    /// [`StopRule`].
    pub stopped: Stopped,
    /// The master's objective at the end (the full LP's optimum when
    /// optimal).
    pub objective: f64,
    /// The best Lagrangian lower bound found (the first, at prices 0,
    /// ignores the capacities); the optimum lies in [bound, objective].
    pub bound: f64,
    /// Per pair: σ_j, the dual of its demand row.
    pub sigma: Vec<f64>,
    /// Per capacity row, whether the final master has it (a row it lacks
    /// has price 0 and is not exceeded).
    pub capacity_in_master: Vec<bool>,
}

/// Stops a run that would not end (it always does in exact arithmetic:
/// each round adds a column or a row the master lacks).
pub const MAX_ROUNDS: usize = 10_000;

/// One path column: its pair, arcs and entries on every master row (those
/// of capacity rows not in the master included).
struct PathColumn {
    od: u32,
    arcs: Vec<ArcIdx>,
    entries: Vec<(usize, f64)>,
}

/// The master's columns so far, the rows it has, and the way back to
/// flows.
pub(super) struct Columns {
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
        (od, arcs): (usize, Vec<ArcIdx>),
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
    pub(super) fn loads(&self, x: &[f64]) -> Vec<f64> {
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

    /// Per pair, its own load per master row under `x`.
    pub(super) fn own_loads(&self, n_od: usize, x: &[f64]) -> Vec<HashMap<usize, f64>> {
        let mut own: Vec<HashMap<usize, f64>> = vec![HashMap::new(); n_od];
        for (c, &x) in self.paths.iter().zip(x) {
            if x > 0.0 {
                let mine = &mut own[c.od as usize];
                for &(r, v) in &c.entries {
                    *mine.entry(r).or_default() += x * v;
                }
            }
        }
        own
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

/// A point where pricing solved the Lagrangian subproblem: prices y,
/// L(y) (a lower bound on the optimum) and the rows' loads there (less
/// the capacities, a subgradient).
struct Evaluated {
    y: Vec<f64>,
    value: f64,
    load: Vec<f64>,
}

/// Wentges smoothing's state (`PathsConfig::smoothing`): the center, the
/// prices of the best Lagrangian bound so far (from pricing or the
/// ascent), and the weight α it gets against the master's duals.
struct Smoothing {
    center: Option<(Vec<f64>, f64)>,
    alpha: f64,
    /// Pricing rounds at smoothed prices that added columns, and those
    /// that found none the master could use (then priced at its duals).
    smoothed: usize,
    mispriced: usize,
}

impl Smoothing {
    /// No center yet; α as asked, kept below 1 (α = 1 would price at
    /// the center alone, never at the master's duals).
    fn new(alpha: f64) -> Self {
        Smoothing {
            center: None,
            alpha: alpha.clamp(0.0, 0.99),
            smoothed: 0,
            mispriced: 0,
        }
    }

    /// Takes `y` as the center if its bound beats the center's.
    fn offer(&mut self, y: &[f64], value: f64) {
        if self.center.as_ref().is_none_or(|c| value > c.1) {
            self.center = Some((y.to_vec(), value));
        }
    }
}

/// Pessoa et al.'s automatic α: at the smoothed prices ỹ, a subgradient
/// g (the subproblem's `load` less the capacities) pointing towards the
/// master's duals
/// (g · (y_master − center) > 0) says the bound rises that way, so α
/// falls by 0.1; otherwise it rises by a tenth of what is left below 1.
fn adjust_alpha(alpha: f64, (p, load): (&Problem, &[f64]), toward: &[f64]) -> f64 {
    let slope: f64 = (load.iter().zip(&p.rows).zip(toward))
        .map(|((l, r), d)| (l - r.capacity) * d)
        .sum();
    if slope > 0.0 {
        (alpha - 0.1).max(0.0)
    } else {
        (alpha + 0.1 * (1.0 - alpha)).min(0.99)
    }
}

/// A path's reduced cost at the master's duals: its cost plus the prices
/// of its capacity rows less its pair's σ.
fn reduced_cost(
    (p, net): (&Problem, &Network),
    (sigma, price): (&[f64], &[f64]),
    (od, arcs): (usize, &[ArcIdx]),
) -> f64 {
    let n_od = p.ods.len();
    let w = &p.weight[p.groups[p.ods[od].group].commodity];
    let cost: f64 = arcs.iter().map(|a| w[a.index()]).sum();
    let priced: f64 = (path_entries(p, net, od, arcs).iter())
        .filter(|e| e.0 >= n_od)
        .map(|&(r, v)| v * price[r - n_od])
        .sum();
    cost + priced - sigma[od]
}

/// Prices at the master's duals (σ per pair, y per capacity row) and
/// adds the paths found that the master lacks: how many, and the points
/// where the Lagrangian subproblem was solved (each a lower bound on the
/// optimum).
///
/// With smoothing (`smooth.alpha` > 0 and a center ȳ other than y) it
/// prices first at ỹ = α ȳ + (1 − α) y (Wentges 1997), with α adjusted
/// by [`adjust_alpha`], and adds the paths found there whose reduced cost
/// at the master's duals is negative; only if there are none (a
/// mis-price) does it price at y itself. So the last round, which proves
/// the optimum, is always priced at the master's duals.
fn price_and_add(
    (p, net, config): (&Problem, &Network, &PathsConfig),
    (pricing, cols, master): (&mut Pricing, &mut Columns, &mut (dyn Master + '_)),
    (sigma, price, smooth): (&[f64], &[f64], &mut Smoothing),
    (x, upper): (&[f64], &[f64]),
) -> Result<(usize, Vec<Evaluated>)> {
    let load = cols.loads(x);
    let own = cols.own_loads(p.ods.len(), x);
    let fit = (load.as_slice(), own.as_slice(), upper);
    let mut points = Vec::new();
    let center = (config.smoothing > 0.0)
        .then_some(smooth.center.as_ref())
        .flatten()
        .filter(|c| c.0.as_slice() != price)
        .map(|c| c.0.clone());
    let toward = |c: &[f64]| -> Vec<f64> { price.iter().zip(c).map(|(y, c)| y - c).collect() };
    if let Some(c) = center.as_ref().filter(|_| smooth.alpha > 0.0) {
        let a = smooth.alpha;
        let tilde: Vec<f64> = (c.iter().zip(price))
            .map(|(c, y)| (a * c + (1.0 - a) * y).max(0.0))
            .collect();
        pricing.set_prices(p, net, Some(&tilde));
        let found = price_round(p, net, pricing, (&tilde, sigma), fit, config.paths_per_pair);
        smooth.alpha = adjust_alpha(a, (p, &found.load), &toward(c));
        let usable: Vec<(usize, Vec<ArcIdx>)> = (found.paths.into_iter())
            .filter(|(od, arcs)| {
                let rc = reduced_cost((p, net), (sigma, price), (*od, arcs));
                super::pricing::negative(rc, sigma[*od])
            })
            .collect();
        let mut added = 0;
        for path in entering((p, net, config), cols, (sigma, price), usable) {
            if cols.add(p, net, master, path)? {
                added += 1;
            }
        }
        let value = found.reach - held(p, &tilde);
        points.push(Evaluated {
            y: tilde,
            value,
            load: found.load,
        });
        if added > 0 {
            smooth.smoothed += 1;
            return Ok((added, points));
        }
        smooth.mispriced += 1;
    }
    pricing.set_prices(p, net, Some(price));
    let found = price_round(p, net, pricing, (price, sigma), fit, config.paths_per_pair);
    if let Some(c) = center.as_ref().filter(|_| smooth.alpha == 0.0) {
        // α at 0 prices at the duals; the rule may raise it again.
        smooth.alpha = adjust_alpha(0.0, (p, &found.load), &toward(c));
    }
    let mut added = 0;
    for path in entering((p, net, config), cols, (sigma, price), found.paths) {
        if cols.add(p, net, master, path)? {
            added += 1;
        }
    }
    points.push(Evaluated {
        y: price.to_vec(),
        value: found.reach - held(p, price),
        load: found.load,
    });
    Ok((added, points))
}

/// The knobs of column generation (part of `OptimiseConfig`; the
/// benchmark's `--max-new-columns` and `--ipm-min-columns` set them).
/// Neither changes the optimum, only the way to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathsConfig {
    /// Most path columns one round adds, beyond each pair's cheapest path:
    /// `max(this, pairs)`. Pricing proposes up to `PATHS_PER_PAIR` (12) a
    /// pair; with many pairs (100 pairs: about 1,150 a round) the primal
    /// re-solve after them spent 8,000–24,000 mostly degenerate pivots on
    /// columns that mostly stay at zero. The cap keeps every pair's
    /// cheapest path (so the round's progress on each pair is kept) and of
    /// the others those with the most negative reduced costs. Exactness
    /// does not depend on it: a path left out is priced again next round.
    pub max_new_columns: usize,
    /// New columns from which HiGHS's master re-solves by interior point
    /// with crossover rather than by primal simplex from the last basis
    /// (`highs.rs`; the built-in solver ignores it). On 10k links and 100
    /// pairs the primal re-solve after a large batch took 8,000–24,000
    /// degenerate pivots; with IPM the run reached a lower objective per
    /// master second (docs/optimise.md). With few pairs no round adds this
    /// many and nothing changes.
    pub ipm_min_columns: usize,
    /// Also start the master with the paths of a greedy routing of all
    /// pairs on the capacities the pairs before them left (`greedy.rs`),
    /// so its first solutions serve what fits instead of leaving it
    /// unserved at the penalty.
    pub greedy_start: bool,
    /// Most paths the greedy routing gives one pair.
    pub greedy_paths_per_pair: usize,
    /// Most paths pricing proposes for one pair a round: its cheapest,
    /// then paths around the capacities the ones before would fill.
    pub paths_per_pair: usize,
    /// Also start the master with the paths of each group's cheapest
    /// maximum flow within the capacity the groups before it left
    /// (`flow_start.rs`; up to `FLOW_START_MAX_GROUPS` groups), and the
    /// capacity rows those flows fill.
    pub flow_start: bool,
    /// Let HiGHS write its log (stdout) for every master solve: how each
    /// re-solve ran (`optimise_bench --highs-log`).
    pub solver_log: bool,
    /// Steps of the Lagrangian bound's ascent beside each master solve
    /// (`lagrangian.rs`, the volume algorithm on another thread; each step
    /// one cheapest path per pair), 0 for none: the bound then comes from
    /// the master's duals, prices 0 and the maximum flows only.
    pub bound_steps: usize,
    /// Wentges smoothing's first α (0: none): pricing first at α × the
    /// prices of the best Lagrangian bound so far (the ascent's, with
    /// `bound_steps`, or the best pricing round's) plus (1 − α) × the
    /// master's duals, α then set each round by Pessoa et al.'s rule
    /// (`price_and_add`). The optimum does not depend on it.
    pub smoothing: f64,
}

impl Default for PathsConfig {
    fn default() -> Self {
        PathsConfig {
            max_new_columns: 300,
            ipm_min_columns: 250,
            greedy_start: true,
            greedy_paths_per_pair: super::greedy::GREEDY_PATHS_PER_PAIR,
            paths_per_pair: super::pricing::PATHS_PER_PAIR,
            flow_start: true,
            solver_log: false,
            bound_steps: 0,
            smoothing: 0.0,
        }
    }
}

/// The paths of one pricing round that enter the master: the new ones
/// (not in it already), each pair's first (its cheapest under the
/// prices) always, then the rest by reduced cost, most negative first, up
/// to `max(max_new_columns, pairs)` ([`PathsConfig`]).
fn entering(
    (p, net, config): (&Problem, &Network, &PathsConfig),
    cols: &Columns,
    (sigma, price): (&[f64], &[f64]),
    paths: Vec<(usize, Vec<ArcIdx>)>,
) -> Vec<(usize, Vec<ArcIdx>)> {
    let n_od = p.ods.len();
    let limit = config.max_new_columns.max(n_od);
    let new: Vec<(usize, Vec<ArcIdx>)> = (paths.into_iter())
        .filter(|(od, arcs)| {
            let key = (*od as u32, arcs.iter().map(|a| a.index() as u32).collect());
            !cols.seen.contains(&key)
        })
        .collect();
    if new.len() <= limit {
        return new;
    }
    let mut first = vec![true; n_od];
    let mut ranked: Vec<(bool, f64, usize)> = (new.iter().enumerate())
        .map(|(i, (od, arcs))| {
            let rc = reduced_cost((p, net), (sigma, price), (*od, arcs));
            let lead = std::mem::replace(&mut first[*od], false);
            (!lead, rc, i)
        })
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut keep = vec![false; new.len()];
    for &(_, _, i) in ranked.iter().take(limit) {
        keep[i] = true;
    }
    (new.into_iter().zip(keep))
        .filter_map(|(path, k)| k.then_some(path))
        .collect()
}

/// Where column generation's time goes.
#[derive(Default)]
struct Clock {
    master: f64,
    pricing: f64,
    bound: f64,
    row_rounds: usize,
}

/// Adds the greedy routing's paths (`greedy.rs`) and the capacity rows
/// it filled to the master.
fn greedy_start(
    (p, net, pricing, per_pair): (&Problem, &Network, &Pricing, usize),
    cols: &mut Columns,
    master: &mut dyn Master,
    trace: bool,
) -> Result<f64> {
    let g = super::greedy::greedy_paths(p, net, pricing, per_pair);
    let rows: Vec<usize> = (g.full_rows.iter().map(|r| cols.n_od + r))
        .filter(|&r| !cols.active[r])
        .collect();
    cols.activate(master, &rows)?;
    let n = g.paths.len();
    for path in g.paths {
        cols.add(p, net, master, path)?;
    }
    if trace {
        let demand: f64 = p.ods.iter().map(|o| o.demand).sum();
        eprintln!(
            "greedy start: {n} paths place {:.0} of {demand:.0} t/day, {} capacity rows full, plan {:.6e}",
            g.placed,
            rows.len(),
            g.objective
        );
    }
    Ok(g.objective)
}

/// Adds the paths of the groups' cheapest maximum flows, each within
/// what the groups before it left (`flow_start.rs`), to the master, with
/// the capacity rows those flows fill (the first solve would add them
/// anyway).
fn flow_start(
    (p, net, deadline): (&Problem, &Network, Option<Instant>),
    cols: &mut Columns,
    master: &mut dyn Master,
    trace: bool,
) -> Result<()> {
    let t = Instant::now();
    let paths = super::flow_start::flow_paths(p, net, deadline)?;
    let n_od = cols.n_od;
    let mut load = vec![0.0; p.rows.len()];
    for (od, arcs, x) in &paths {
        for &(r, v) in path_entries(p, net, *od, arcs)
            .iter()
            .filter(|e| e.0 >= n_od)
        {
            load[r - n_od] += x * v;
        }
    }
    let full = |r: usize| load[r] >= p.rows[r].capacity * (1.0 - 1e-9);
    let rows: Vec<usize> = (0..p.rows.len())
        .filter(|&r| !cols.active[n_od + r] && full(r))
        .map(|r| n_od + r)
        .collect();
    cols.activate(master, &rows)?;
    let (n, placed) = (paths.len(), paths.iter().map(|f| f.2).sum::<f64>());
    for (od, arcs, _) in paths {
        cols.add(p, net, master, (od, arcs))?;
    }
    if trace {
        eprintln!(
            "flow start: {n} paths of the groups' maximum flows place {placed:.0} t/day, {} capacity rows full, {:.2} s",
            rows.len(),
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The master's first columns: per pair, its cheapest paths around the
/// capacities its own demand would fill, then (by default) the greedy
/// routing's. Returns what is known before any master solve: the best
/// lower bound, the best plan's objective (the greedy routing's, else
/// every pair unserved: an upper bound on the optimum) and the prices of
/// the maximum flow's cut (`cut_bound.rs`).
fn first_columns(
    (p, net, config): (&Problem, &Network, &PathsConfig),
    pricing: &mut Pricing,
    cols: &mut Columns,
    master: &mut dyn Master,
    (stop, trace): (&StopRule, bool),
) -> Result<(f64, f64, Vec<f64>)> {
    let (n_od, (_, upper)) = (p.ods.len(), master_rows(p));
    // The first columns: per pair, its cheapest paths around the
    // capacities its own demand would fill (prices 0, every path enters).
    pricing.set_prices(p, net, None);
    let none = vec![0.0; p.rows.len()];
    let sigma = vec![p.penalty; n_od];
    let load = vec![0.0; cols.active.len()];
    let own = vec![HashMap::new(); n_od];
    let fit = (load.as_slice(), own.as_slice(), upper.as_slice());
    let first = price_round(
        p,
        net,
        &*pricing,
        (&none, &sigma),
        fit,
        config.paths_per_pair,
    );
    // The Lagrangian bound at prices 0: every pair at its cheapest path
    // ignoring capacities (or the penalty). Where the master's duals
    // overprice many rows (100 groups), it beat their bounds for dozens
    // of rounds.
    let uncapacitated = first.reach;
    // At least as good: the same with the tonnes served capped by maximum
    // flows (`cut_bound.rs`), which counts the demand that cannot move.
    let (cut, cut_prices) = super::cut_bound::cut_bound(p, net, &first.cheapest)?;
    if trace {
        eprintln!("bounds: prices 0 {uncapacitated:.6e}, maximum flows {cut:.6e}");
    }
    for path in first.paths {
        cols.add(p, net, master, path)?;
    }
    if config.flow_start {
        flow_start((p, net, stop.deadline), cols, master, trace)?;
    }
    let mut plan: f64 = p.ods.iter().map(|o| o.demand * p.penalty).sum();
    if config.greedy_start {
        let greedy = greedy_start(
            (p, net, &*pricing, config.greedy_paths_per_pair),
            cols,
            master,
            trace,
        )?;
        plan = plan.min(greedy);
    }
    Ok((uncapacitated.max(cut), plan, cut_prices))
}

/// The bound's ascent (`lagrangian.rs`) with its own copy of the
/// pricing state, so that it can run beside the master's solve.
type Ascending = (Ascent, Pricing);

/// Solves the master; with an ascent, runs `steps` of it on another
/// thread meanwhile (towards `target`, an upper bound on the optimum).
/// The steps are fixed, not "while the master runs", so that the bounds
/// and where a `--gap` stops do not depend on the machine. The seconds
/// the ascent took are added to `seconds`.
fn solve_beside(
    (p, net): (&Problem, &Network),
    master: &mut (dyn Master + '_),
    ascent: Option<&mut Ascending>,
    (target, steps, seconds): (f64, usize, &mut f64),
) -> Result<LpSolution> {
    let Some((a, pr)) = ascent else {
        return master.solve();
    };
    std::thread::scope(|sc| {
        let h = sc.spawn(|| {
            let t = Instant::now();
            a.ascend(p, net, pr, target, steps);
            t.elapsed().as_secs_f64()
        });
        let s = master.solve();
        *seconds += h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        s
    })
}

/// The master's first columns, one per pair: its demand left unserved at
/// the penalty, so every master is feasible; the pairs' rows are active.
fn unserved_columns(p: &Problem, master: &mut dyn Master) -> Result<Columns> {
    let n_od = p.ods.len();
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
    Ok(cols)
}

/// The ascent from prices 0, on its own copy of the pricing state.
fn start_ascent(p: &Problem, net: &Network, pricing: &Pricing) -> Ascending {
    let mut pr = pricing.clone();
    let zero = vec![0.0; p.rows.len()];
    let at_zero = evaluate(p, net, &mut pr, &zero);
    (Ascent::new(zero, at_zero), pr)
}

fn trace_ascent(a: &Ascent, seconds: f64, total: f64) {
    eprintln!(
        "bound ascent beside the solve: {:.6e} after {} steps ({seconds:.2} s; {total:.2} s in all)",
        a.best, a.steps
    );
}

/// Per commodity and arc, the t/day of the master's path columns (their
/// values after the pairs' unserved columns in `x`), and each pair's
/// unserved t/day.
fn flows_of(p: &Problem, cols: &Columns, x: &[f64]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let n_od = p.ods.len();
    let mut flow = vec![vec![0.0; p.lowered.n_arcs()]; p.commodities.len()];
    for (c, &f) in cols.paths.iter().zip(&x[n_od..]) {
        let k = p.groups[p.ods[c.od as usize].group].commodity;
        for a in &c.arcs {
            flow[k][a.index()] += f.max(0.0);
        }
    }
    let unserved = (p.ods.iter().zip(x))
        .map(|(o, &u)| u.clamp(0.0, o.demand))
        .collect();
    (flow, unserved)
}

/// One line of `--trace` per master solve: its objective and the bound,
/// the master's size (columns, rows), the rows it violates, and its
/// simplex iterations and seconds.
fn trace_round(
    round: usize,
    (objective, bound): (f64, f64),
    (columns, rows): (usize, usize),
    violated: usize,
    (iterations, seconds): (u64, f64),
    clock: &Clock,
) {
    eprintln!(
        "round {round}: objective {objective:.6e}, bound {bound:.6e}, {columns} columns, {rows} rows, {violated} violated, {iterations} iterations in {seconds:.3} s; master {:.2} s, pricing {:.2} s",
        clock.master, clock.pricing
    );
}

/// Hands the points where pricing solved the Lagrangian subproblem to
/// the smoothing's center and to the ascent (which goes on from any that
/// beat it); returns the best of their bounds.
fn take_points(
    points: Vec<Evaluated>,
    smooth: &mut Smoothing,
    mut ascent: Option<&mut Ascending>,
) -> f64 {
    let mut best = f64::NEG_INFINITY;
    for e in points {
        best = best.max(e.value);
        smooth.offer(&e.y, e.value);
        if let Some((a, _)) = ascent.as_deref_mut() {
            a.offer(&e.y, (e.value, e.load));
        }
    }
    best
}

/// The arc-path LP of `p` solved by column generation on `master` (made
/// with [`master_rows`] and no columns) with the knobs of `config`, until
/// the optimum or what `stop` allows. `trace` writes one line per master
/// solve to stderr (size, simplex iterations, objective and bound).
pub fn column_generation(
    p: &Problem,
    net: &Network,
    master: &mut dyn Master,
    (config, stop, trace): (&PathsConfig, &StopRule, bool),
) -> Result<PathSolution> {
    let n_od = p.ods.len();
    let (_, upper) = master_rows(p);
    let mut cols = unserved_columns(p, master)?;
    let mut pricing = Pricing::new(p, net);
    let (first_bound, plan, cut_prices) = first_columns(
        (p, net, config),
        &mut pricing,
        &mut cols,
        master,
        (stop, trace),
    )?;
    let mut rounds = 0;
    let mut clock = Clock::default();
    // The bound's ascent, from prices 0, and the best plan known for its
    // target: the greedy routing's (or every pair unserved) until a
    // master is feasible.
    let mut ascent = (config.bound_steps > 0).then(|| start_ascent(p, net, &pricing));
    let mut target = plan;
    let mut smooth = Smoothing::new(config.smoothing);
    // The prices of the maximum flow's cut: L there is about P × the
    // demand the flow cannot move. Only a bound: as the ascent's start or
    // the smoothing's center it did worse than prices 0 (docs/optimise.md).
    let (at_cut, _) = evaluate(p, net, &mut pricing, &cut_prices);
    if trace {
        eprintln!("bound at the cut's prices: {at_cut:.6e}");
    }
    // The best Lagrangian bound so far.
    let mut bound = first_bound.max(at_cut);
    let (s, price, stopped) = loop {
        rounds += 1;
        if rounds > MAX_ROUNDS {
            return Err(Error::InvalidRequest(format!(
                "column generation did not settle in {MAX_ROUNDS} rounds"
            )));
        }
        let t = Instant::now();
        let before = master.iterations();
        let ascent_s = clock.bound;
        let work = (target, config.bound_steps, &mut clock.bound);
        let s = solve_beside((p, net), master, ascent.as_mut(), work)?;
        let solve_s = t.elapsed().as_secs_f64();
        clock.master += solve_s;
        if let Some((a, _)) = &ascent {
            bound = bound.max(a.best);
            smooth.offer(&a.y, a.best);
            if trace {
                trace_ascent(a, clock.bound - ascent_s, clock.bound);
            }
        }
        let over = violated(&cols, &upper, &cols.loads(&s.x[n_od..]));
        if trace {
            let size = (
                n_od + cols.paths.len(),
                cols.active.iter().filter(|&&u| u).count(),
            );
            let work = (master.iterations() - before, solve_s);
            trace_round(rounds, (s.objective, bound), size, over.len(), work, &clock);
        }
        if !over.is_empty() {
            clock.row_rounds += 1;
            cols.activate(master, &over)?;
            continue;
        }
        let t = Instant::now();
        let sigma = &s.row_dual[..n_od];
        let price: Vec<f64> = s.row_dual[n_od..].iter().map(|d| (-d).max(0.0)).collect();
        let x = (&s.x[n_od..], &upper[..]);
        let work = (&mut pricing, &mut cols, &mut *master);
        let duals = (sigma, price.as_slice(), &mut smooth);
        let (added, points) = price_and_add((p, net, config), work, duals, x)?;
        clock.pricing += t.elapsed().as_secs_f64();
        target = target.min(s.objective);
        bound = bound.max(take_points(points, &mut smooth, ascent.as_mut()));
        if added == 0 {
            break (s, price, Stopped::Optimal);
        }
        if let Some(why) = stop.check(s.objective, bound) {
            break (s, price, why);
        }
    };
    let (flow, unserved) = flows_of(p, &cols, &s.x);
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
            row_rounds: clock.row_rounds,
            iterations: master.iterations(),
            seconds_master: clock.master,
            seconds_pricing: clock.pricing,
            bound_steps: ascent.as_ref().map_or(0, |a| a.0.steps),
            seconds_bound: clock.bound,
            smoothed_rounds: smooth.smoothed,
            mispriced_rounds: smooth.mispriced,
        },
        stopped,
        objective: s.objective,
        bound,
        sigma: s.row_dual[..n_od].to_vec(),
        capacity_in_master: cols.active[n_od..].to_vec(),
    })
}
