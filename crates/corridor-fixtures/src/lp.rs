//! Linear-programming oracles for flow problems, used only by tests: the
//! maximum flow and the cheapest maximum flow of a small graph written as an
//! LP and solved by `good_lp` with the pure-Rust `microlp` solver.
//!
//! These are deliberately independent of `corridor-graph`'s residual graphs
//! and search: arcs are plain `(tail, head)` pairs, one LP variable each,
//! with conservation rows per vertex. Slow (dense simplex) and meant for
//! graphs of tens of arcs. Infinite capacities are not supported here.

use good_lp::{Expression, Solution, SolverModel, Variable, microlp, variable, variables};

/// Flow variables and the net outflow of every vertex.
fn flow_vars(
    n: usize,
    arcs: &[(u32, u32)],
    cap: &[f64],
) -> (good_lp::ProblemVariables, Vec<Variable>, Vec<Expression>) {
    let mut vars = variables!();
    let x: Vec<Variable> = cap
        .iter()
        .map(|&c| vars.add(variable().min(0.0).max(c)))
        .collect();
    let mut net = vec![Expression::from(0.0); n];
    for (a, &(t, h)) in arcs.iter().enumerate() {
        net[t as usize] += x[a];
        net[h as usize] -= x[a];
    }
    (vars, x, net)
}

/// Maximum `s`–`t` flow value by LP.
pub fn max_flow_value(n: usize, arcs: &[(u32, u32)], cap: &[f64], s: u32, t: u32) -> f64 {
    let (vars, _x, net) = flow_vars(n, arcs, cap);
    let mut model = vars.maximise(net[s as usize].clone()).using(microlp);
    for (v, e) in net.iter().enumerate() {
        if v != s as usize && v != t as usize {
            model = model.with(e.clone().eq(0.0));
        }
    }
    let sol = model.solve().expect("a bounded max-flow LP always solves");
    sol.eval(&net[s as usize])
}

/// `(value, cost)` of a cheapest maximum `s`–`t` flow, by two LPs: the
/// maximum value, then the least cost with at least that value (less a
/// relative 1e-9 so rounding cannot make the second LP infeasible).
pub fn min_cost_max_flow(
    n: usize,
    arcs: &[(u32, u32)],
    cap: &[f64],
    cost: &[f64],
    s: u32,
    t: u32,
) -> (f64, f64) {
    let value = max_flow_value(n, arcs, cap, s, t);
    let (vars, x, net) = flow_vars(n, arcs, cap);
    let total: Expression = x.iter().zip(cost).map(|(&v, &c)| c * v).sum();
    let mut model = vars.minimise(total.clone()).using(microlp);
    for (v, e) in net.iter().enumerate() {
        if v != s as usize && v != t as usize {
            model = model.with(e.clone().eq(0.0));
        }
    }
    model = model.with(net[s as usize].clone().geq(value - 1e-9 * (1.0 + value)));
    let sol = model.solve().expect("the max value is feasible");
    (value, sol.eval(&total))
}

/// Every `s`–`t` cut of a tiny graph (all vertex subsets containing `s` and
/// not `t`) and the least capacity among them: brute force, `n ≤ 16`.
pub fn brute_force_min_cut(n: usize, arcs: &[(u32, u32)], cap: &[f64], s: u32, t: u32) -> f64 {
    assert!(n <= 16, "brute force is for tiny graphs");
    let mut best = f64::INFINITY;
    for mask in 0u32..(1 << n) {
        if mask & (1 << s) == 0 || mask & (1 << t) != 0 {
            continue;
        }
        let c: f64 = arcs
            .iter()
            .zip(cap)
            .filter(|((a, b), _)| mask & (1 << a) != 0 && mask & (1 << b) == 0)
            .map(|(_, &c)| c)
            .sum();
        best = best.min(c);
    }
    best
}
