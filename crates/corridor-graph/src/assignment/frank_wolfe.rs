//! The Frank–Wolfe family, written once for every form of the problem:
//! plain Frank–Wolfe, conjugate and bi-conjugate Frank–Wolfe (Mitradjieva &
//! Lindberg 2013) with one exact line search per iteration, and
//! all-or-nothing as its first iteration. What differs between one class
//! on per-arc costs and several classes sharing elements (costs at given
//! flows, the objective, its Hessian, the line search, diagonalisation when
//! there is no objective) is behind [`CostModel`]; this file chooses
//! directions, weighs conjugate points and measures gaps.
//!
//! Flows of all classes are one vector, class after class, so combining
//! search points is the same loop whatever the number of classes.
//!
//! References: M. Frank and P. Wolfe, "An algorithm for quadratic
//! programming", Naval Res. Logistics Quarterly 3 (1956); M. Mitradjieva
//! and P. O. Lindberg, "The stiff is moving — conjugate direction
//! Frank–Wolfe methods with applications to traffic assignment",
//! Transportation Science 47(2) (2013).
//!
//! Complexity: one iteration is one all-or-nothing load per class (a
//! Dijkstra per origin, spread over the rayon pool) plus `O(K m)` work for
//! the direction and ~64 passes of line search over the arcs or elements
//! whose cost moves.

use super::aon::{all_or_nothing, relative_gap, shortest_path_total, total_cost};
use super::problem::{Demand, Method, SolverConfig};
use super::solution::{IterationStat, Run};
use crate::csr::{Csr, VertexIdx};
use std::borrow::Cow;
use std::time::Instant;

/// What the Frank–Wolfe family needs to know of a problem's costs. Flow
/// vectors hold every class, class after class (`x[k * m + a]`).
pub(super) trait CostModel {
    /// What a search direction needs for its slope and its line search,
    /// computed once per direction.
    type Along;
    fn n_classes(&self) -> usize;
    fn demand(&self, class: usize) -> &Demand;
    /// Whether class `class`'s costs depend on flow; one whose costs do not
    /// keeps its first all-or-nothing load, which is its equilibrium.
    fn active(&self, class: usize) -> bool;
    /// False when the costs have no objective: each iteration is then a
    /// [`CostModel::diagonalise`] step.
    fn symmetric(&self) -> bool;
    /// Moves to flows `x` and writes every class's arc costs there into
    /// `cost`.
    fn set_flows(&mut self, x: &[f64], cost: &mut [f64]);
    /// The objective at `x`, the flows of the last [`CostModel::set_flows`].
    fn objective(&self, x: &[f64]) -> f64;
    /// Flows in the variables in which the objective's Hessian is diagonal
    /// (the arc flows themselves, or element loads).
    fn project<'a>(&self, x: &'a [f64]) -> Cow<'a, [f64]>;
    /// Entry `i` of that diagonal at projected flows `v`.
    fn curvature(&self, v: &[f64], i: usize) -> f64;
    fn along(&self, dir: &[f64]) -> Self::Along;
    /// The objective's derivative along `dir` at the current flows, whose
    /// costs are `cost` (negative: `dir` descends).
    fn slope(&self, along: &Self::Along, dir: &[f64], cost: &[f64]) -> f64;
    /// The exact line search: the step in `[0, 1]` along `dir` from `x`.
    fn step(&self, along: &Self::Along, x: &[f64], dir: &[f64]) -> f64;
    /// One diagonalisation step from `x` towards the all-or-nothing flows
    /// `y` in iteration `k`, for asymmetric problems.
    fn diagonalise(&self, x: &mut [f64], y: &[f64], k: usize);
}

/// Every class's all-or-nothing load at `cost`, one vector for all.
struct Loads {
    flow: Vec<f64>,
    sptt: Vec<f64>,
    unreachable_demand: Vec<f64>,
}

/// Without `load`, only the shortest-path totals: `flow` is empty.
fn load_all<M: CostModel>(
    g: &Csr,
    tails: &[VertexIdx],
    model: &M,
    cost: &[f64],
    load: bool,
) -> Loads {
    let m = g.n_arcs();
    let mut per_class = Vec::with_capacity(model.n_classes());
    let (mut sptt, mut unreachable_demand) = (Vec::new(), Vec::new());
    for k in 0..model.n_classes() {
        let (class_cost, class_demand) = (&cost[k * m..(k + 1) * m], model.demand(k));
        let aon = if load {
            all_or_nothing(g, tails, class_cost, class_demand)
        } else {
            shortest_path_total(g, tails, class_cost, class_demand)
        };
        sptt.push(aon.sptt);
        unreachable_demand.push(aon.unreachable_demand);
        per_class.push(aon.flow);
    }
    let flow = if per_class.len() == 1 {
        per_class.pop().unwrap_or_default()
    } else {
        per_class.concat()
    };
    Loads {
        flow,
        sptt,
        unreachable_demand,
    }
}

/// Measures flows `x` at the end of iteration `k`: sets `cost` to the costs
/// at `x`, loads every class all-or-nothing at those costs (the next search
/// target) and returns that load with the gaps (summed, and per class) and
/// the objective. `last`: no iteration follows, so nothing will move
/// towards the load and only its shortest-path totals are computed (the
/// load's `flow` is empty).
#[allow(clippy::too_many_arguments)]
fn measure<M: CostModel>(
    g: &Csr,
    tails: &[VertexIdx],
    model: &mut M,
    x: &[f64],
    cost: &mut [f64],
    k: usize,
    last: bool,
    start: Instant,
) -> (Loads, Vec<f64>, IterationStat) {
    let m = g.n_arcs();
    model.set_flows(x, cost);
    let aon = load_all(g, tails, model, cost, !last);
    let (mut tc_all, mut sp_all) = (0.0, 0.0);
    let mut class_gap = Vec::with_capacity(model.n_classes());
    for (c, &sp) in aon.sptt.iter().enumerate() {
        let tc = total_cost(&x[c * m..(c + 1) * m], &cost[c * m..(c + 1) * m]);
        class_gap.push(relative_gap(tc, sp));
        tc_all += tc;
        sp_all += sp;
    }
    let stat = IterationStat {
        iteration: k,
        relative_gap: relative_gap(tc_all, sp_all),
        objective: model.objective(x),
        seconds: start.elapsed().as_secs_f64(),
    };
    (aon, class_gap, stat)
}

/// Runs `cfg.method` (not Algorithm B) from the all-or-nothing load at
/// zero flow; `on_iteration` sees every measured iteration.
pub(super) fn frank_wolfe<M: CostModel>(
    g: &Csr,
    tails: &[VertexIdx],
    model: &mut M,
    cfg: &SolverConfig,
    start: Instant,
    on_iteration: &mut dyn FnMut(&IterationStat),
) -> Run {
    let m = g.n_arcs();
    let n = m * model.n_classes();
    let mut cost = vec![0.0; n];
    model.set_flows(&vec![0.0; n], &mut cost);
    let first = load_all(g, tails, model, &cost, true);
    let unreachable_demand = first.unreachable_demand;
    let mut x = first.flow;
    let max_iter = match cfg.method {
        Method::AllOrNothing => 1,
        _ => cfg.max_iter.max(1),
    };
    let conjugate = matches!(
        cfg.method,
        Method::ConjugateFrankWolfe | Method::BiconjugateFrankWolfe
    );
    let mut history = Vec::new();
    // Previous two search targets for the conjugate methods, and the step
    // size of the last iteration (the bi-conjugate weights need it).
    let mut s1: Option<Vec<f64>> = None;
    let mut s2: Option<Vec<f64>> = None;
    let mut last_lambda = 0.0;
    let mut dir = vec![0.0; n];
    let mut converged = false;
    let mut k = 0;
    let (gap, objective, class_gap) = loop {
        k += 1;
        let last = k >= max_iter;
        let (aon, class_gap, stat) = measure(g, tails, model, &x, &mut cost, k, last, start);
        on_iteration(&stat);
        history.push(stat);
        if stat.relative_gap <= cfg.gap {
            converged = true;
        }
        if converged || k >= max_iter {
            break (stat.relative_gap, stat.objective, class_gap);
        }
        let mut y = aon.flow;
        // Passive classes stay on their (flow-independent) shortest paths.
        for c in (0..model.n_classes()).filter(|&c| !model.active(c)) {
            y[c * m..(c + 1) * m].copy_from_slice(&x[c * m..(c + 1) * m]);
        }
        if !model.symmetric() {
            model.diagonalise(&mut x, &y, k);
            continue;
        }
        let (target, restart) = if conjugate {
            match conjugate_target(
                model,
                cfg.method,
                &x,
                &y,
                s1.as_deref(),
                s2.as_deref(),
                last_lambda,
            ) {
                Target::Conjugate(t) => (Some(t), false),
                Target::AllOrNothing => (None, false),
                Target::Restart => (None, true),
            }
        } else {
            (None, false)
        };
        let (target, lambda) = descend(model, &mut x, y, target, &cost, &mut dir);
        last_lambda = lambda;
        if lambda >= 1.0 || restart {
            // A full step lands on the target: old directions carry no
            // information any more (the paper restarts here). So does a
            // target whose old points took all the weight they may (see
            // `Target::Restart`).
            s1 = None;
            s2 = None;
        } else if conjugate {
            s2 = s1.take();
            s1 = Some(target);
        }
    };
    model.set_flows(&x, &mut cost);
    Run {
        flow: x,
        cost,
        history,
        relative_gap: gap,
        class_gap,
        objective,
        converged,
        unreachable_demand,
    }
}

/// Moves `x` towards `target` (`None`: the all-or-nothing flows `y`) by the
/// exact line search; returns the target actually used and the step.
/// A conjugate direction need not descend far from the optimum: plain
/// Frank–Wolfe's direction is taken then.
fn descend<M: CostModel>(
    model: &M,
    x: &mut [f64],
    y: Vec<f64>,
    target: Option<Vec<f64>>,
    cost: &[f64],
    dir: &mut [f64],
) -> (Vec<f64>, f64) {
    let t = target.as_deref().unwrap_or(&y);
    for a in 0..x.len() {
        dir[a] = t[a] - x[a];
    }
    let mut along = model.along(dir);
    let target = if model.slope(&along, dir, cost) < 0.0 {
        target
    } else {
        if target.is_some() {
            for a in 0..x.len() {
                dir[a] = y[a] - x[a];
            }
            along = model.along(dir);
        }
        None
    };
    let lambda = model.step(&along, x, dir);
    for a in 0..x.len() {
        x[a] += lambda * dir[a];
    }
    (target.unwrap_or(y), lambda)
}

/// What the conjugate methods search towards this iteration.
enum Target {
    /// A conjugate combination of `y` and the previous targets.
    Conjugate(Vec<f64>),
    /// The all-or-nothing flows `y` (no usable previous target).
    AllOrNothing,
    /// `y`, and the previous targets are dropped: the old points took the
    /// largest weight they may ([`MAX_CONJUGATE_WEIGHT`]). After an exact
    /// line search the gradient is orthogonal to the last direction, so a
    /// target with weight `w` on old points descends only `1 − w` times
    /// as steeply as Frank–Wolfe; at the cap that is 1e-5, and a case that
    /// keeps hitting it crawls (a random freight case sat at a gap of 0.09
    /// for 3,000 iterations of bi-conjugate FW, where plain FW reached
    /// 2e-4). Restarting from the Frank–Wolfe direction is the remedy.
    Restart,
}

/// The conjugate or bi-conjugate search target from the all-or-nothing
/// flows `y` and the previous targets.
fn conjugate_target<M: CostModel>(
    model: &M,
    method: Method,
    x: &[f64],
    y: &[f64],
    s1: Option<&[f64]>,
    s2: Option<&[f64]>,
    tau: f64,
) -> Target {
    let Some(p1) = s1 else {
        return Target::AllOrNothing;
    };
    let (vx, vy, v1) = (model.project(x), model.project(y), model.project(p1));
    if let (Method::BiconjugateFrankWolfe, Some(p2)) = (method, s2) {
        let v2 = model.project(p2);
        if let Some((nu, mu)) = biconjugate_weights(model, &vx, &vy, &v1, &v2, tau) {
            if nu + mu >= MAX_CONJUGATE_WEIGHT / (1.0 - MAX_CONJUGATE_WEIGHT) {
                return Target::Restart;
            }
            let b0 = 1.0 / (1.0 + nu + mu);
            return Target::Conjugate(
                (0..y.len())
                    .map(|a| b0 * (y[a] + nu * p1[a] + mu * p2[a]))
                    .collect(),
            );
        }
    }
    match conjugate_alpha(model, &vx, &vy, &v1) {
        None => Target::AllOrNothing,
        Some(alpha) if alpha >= MAX_CONJUGATE_WEIGHT => Target::Restart,
        Some(alpha) => Target::Conjugate(
            (0..y.len())
                .map(|a| alpha * p1[a] + (1.0 - alpha) * y[a])
                .collect(),
        ),
    }
}

/// Largest weight conjugate directions may put on old search points; keeps
/// the new AON solution in play (AequilibraE and the paper use 1 − 1e-5).
const MAX_CONJUGATE_WEIGHT: f64 = 0.99999;

/// Weight `alpha` of the conjugate target `alpha · s1 + (1 − alpha) · y`,
/// making `s − x` conjugate to `s1 − x` under the Hessian; all arguments
/// projected ([`CostModel::project`]). `None` when there is no usable
/// previous point.
fn conjugate_alpha<M: CostModel>(model: &M, x: &[f64], y: &[f64], s1: &[f64]) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..x.len() {
        let h = model.curvature(x, i);
        if h == 0.0 {
            continue;
        }
        let p = s1[i] - x[i];
        num += p * h * (y[i] - x[i]);
        den += p * h * (y[i] - s1[i]);
    }
    if den == 0.0 || !den.is_finite() || !num.is_finite() {
        return None;
    }
    Some((num / den).clamp(0.0, MAX_CONJUGATE_WEIGHT))
}

/// Weights `(nu, mu)` of the previous two search points in the bi-conjugate
/// target `(y + nu s1 + mu s2) / (1 + nu + mu)`, as Mitradjieva & Lindberg
/// (2013) and AequilibraE compute them: `mu` first, making the direction
/// conjugate (under the Hessian) to the direction before last, which at `x`
/// is `tau s1 + (1 − tau) s2 − x` (`tau` the last step size); a negative
/// `mu` is set to 0; then `nu` makes it conjugate to the last direction
/// `s1 − x` given `mu`, and a negative `nu` is set to 0 too. All arguments
/// projected ([`CostModel::project`]).
///
/// Solving both conditions jointly and clipping each weight afterwards, as
/// this function once did, is not the same: when both come out negative
/// the target falls back to the bare all-or-nothing flows and the method
/// degenerates into plain Frank–Wolfe for good (the committed proptest
/// regression, seed 398700, stalled at a gap of 1.6e-5 after 4000
/// iterations that way, step for step the same as FW). `None` when the
/// last direction has no curvature.
fn biconjugate_weights<M: CostModel>(
    model: &M,
    x: &[f64],
    y: &[f64],
    s1: &[f64],
    s2: &[f64],
    tau: f64,
) -> Option<(f64, f64)> {
    let (mut mu_num, mut mu_den, mut nu_num, mut nu_den) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..x.len() {
        let h = model.curvature(x, i);
        if h == 0.0 {
            continue;
        }
        let fw = y[i] - x[i];
        let last = s1[i] - x[i];
        let before = tau * s1[i] + (1.0 - tau) * s2[i] - x[i];
        mu_num += before * h * fw;
        mu_den += before * h * (s2[i] - s1[i]);
        nu_num += last * h * fw;
        nu_den += last * h * last;
    }
    if nu_den == 0.0 || !nu_den.is_finite() || !nu_num.is_finite() || tau >= 1.0 {
        return None;
    }
    let mu = if mu_den == 0.0 || !mu_den.is_finite() || !mu_num.is_finite() {
        0.0
    } else {
        (-mu_num / mu_den).max(0.0)
    };
    let nu = (-nu_num / nu_den + mu * tau / (1.0 - tau)).max(0.0);
    if !(nu + mu).is_finite() {
        return None;
    }
    // Cap the old points' total weight as for the conjugate method.
    let total = nu + mu;
    let cap = MAX_CONJUGATE_WEIGHT / (1.0 - MAX_CONJUGATE_WEIGHT);
    if total > cap {
        Some((nu * cap / total, mu * cap / total))
    } else {
        Some((nu, mu))
    }
}
