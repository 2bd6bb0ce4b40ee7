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

/// Maximum flow of `commodity` from the `from` nodes to the `to` nodes of
/// a network, written as an LP straight from the model (no lowering), with
/// every shared capacity as one row: a terminal's capacity over all its
/// transfers, a border's and a node's over all layers.
///
/// Semantics (the same as `corridor-engine`'s flow lowering, written
/// independently): cargo moves per (node, layer); links carry it per
/// direction; terminals move it between the layer pairs they offer; at a
/// border node every unit arriving by a link crosses the border before it
/// transfers, leaves or is absorbed, unless it is absorbed on arrival, and
/// supply starts after the crossing; a capacitated node counts what arrives
/// by link plus what starts there. Closed elements and commodity bans carry
/// nothing; a closed node closes everything at it.
pub fn network_max_flow(
    net: &corridor_model::Network,
    from: &[corridor_model::NodeId],
    to: &[corridor_model::NodeId],
    commodity: usize,
) -> f64 {
    use corridor_model::Layer;
    let com = &net.commodities[commodity];
    let layers_at = net.layers_at_nodes();
    let layers: Vec<Vec<Layer>> = layers_at
        .iter()
        .map(|s| s.iter().copied().collect())
        .collect();
    let li = |n: usize, l: &Layer| {
        layers[n]
            .iter()
            .position(|x| x == l)
            .expect("layer at node")
    };
    let is_border: Vec<bool> = (0..net.nodes.len())
        .map(|n| net.borders.iter().any(|b| b.node.index() == n))
        .collect();
    let mut vars = variables!();
    // Per (node, layer): arrivals by link, departures by link, transfers in
    // and out, supply, absorption, crossing.
    let zero = || Expression::from(0.0);
    let mut arrive: Vec<Vec<Expression>> = layers
        .iter()
        .map(|v| v.iter().map(|_| zero()).collect())
        .collect();
    let mut depart = arrive.clone();
    let mut t_in = arrive.clone();
    let mut t_out = arrive.clone();
    let mut supply = arrive.clone();
    let mut absorb = arrive.clone();
    let mut cross = arrive.clone();
    let mut rows: Vec<good_lp::Constraint> = Vec::new();
    let cap_var = |vars: &mut good_lp::ProblemVariables, c: Option<f64>| match c {
        Some(c) => vars.add(variable().min(0.0).max(c)),
        None => vars.add(variable().min(0.0)),
    };
    for l in &net.links {
        let open =
            l.open && l.commodities.permits(com) && net.node(l.from).open && net.node(l.to).open;
        let dirs: &[(corridor_model::NodeId, corridor_model::NodeId)] = if l.oneway {
            &[(l.from, l.to)]
        } else {
            &[(l.from, l.to), (l.to, l.from)]
        };
        for &(a, b) in dirs {
            let x = cap_var(
                &mut vars,
                if open {
                    l.capacity_t_per_day
                } else {
                    Some(0.0)
                },
            );
            let (a, b) = (a.index(), b.index());
            depart[a][li(a, &l.layer())] += x;
            arrive[b][li(b, &l.layer())] += x;
        }
    }
    for t in &net.terminals {
        let n = t.node.index();
        let open = t.open && t.commodities.permits(com) && net.node(t.node).open;
        let mut pairs = Vec::new();
        for (a, b) in &t.transfers {
            for (ia, la) in layers[n].iter().enumerate().filter(|(_, h)| a.matches(h)) {
                for (ib, lb) in layers[n].iter().enumerate().filter(|(_, h)| b.matches(h)) {
                    if la != lb {
                        pairs.push((ia, ib));
                        pairs.push((ib, ia));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut total = zero();
        for (ia, ib) in pairs {
            let y = cap_var(&mut vars, if open { None } else { Some(0.0) });
            t_out[n][ia] += y;
            t_in[n][ib] += y;
            total += y;
        }
        if let Some(c) = t.capacity_t_per_day {
            rows.push(total.leq(c));
        }
    }
    for n in 0..net.nodes.len() {
        if !is_border[n] {
            continue;
        }
        let mut total = zero();
        for (i, c) in cross[n].iter_mut().enumerate() {
            let _ = i;
            let z = vars.add(variable().min(0.0));
            *c += z;
            total += z;
        }
        for b in net.borders.iter().filter(|b| b.node.index() == n) {
            let open = b.open && b.commodities.permits(com) && net.node(b.node).open;
            match (open, b.capacity_t_per_day) {
                (false, _) => rows.push(total.clone().eq(0.0)),
                (true, Some(c)) => rows.push(total.clone().leq(c)),
                (true, None) => {}
            }
        }
        if let Some(c) = net.nodes[n].capacity_t_per_day {
            rows.push(total.clone().leq(if net.nodes[n].open { c } else { 0.0 }));
        }
    }
    let mut objective = zero();
    for &o in from {
        let n = o.index();
        for e in supply[n].iter_mut() {
            let s = vars.add(variable().min(0.0));
            *e += s;
            objective += s;
        }
    }
    for &d in to {
        let n = d.index();
        for e in absorb[n].iter_mut() {
            let s = vars.add(variable().min(0.0));
            *e += s;
        }
    }
    let total_supply = objective.clone();
    let mut model = vars.maximise(objective).using(microlp);
    for row in rows {
        model = model.with(row);
    }
    for n in 0..net.nodes.len() {
        let mut through = zero();
        for i in 0..layers[n].len() {
            if is_border[n] {
                // In-vertex: arrivals cross or are absorbed.
                model = model.with(
                    (arrive[n][i].clone() - cross[n][i].clone() - absorb[n][i].clone()).eq(0.0),
                );
                // Out-vertex.
                model = model.with(
                    (cross[n][i].clone() + t_in[n][i].clone() + supply[n][i].clone()
                        - depart[n][i].clone()
                        - t_out[n][i].clone())
                    .eq(0.0),
                );
            } else {
                model = model.with(
                    (arrive[n][i].clone() + t_in[n][i].clone() + supply[n][i].clone()
                        - depart[n][i].clone()
                        - t_out[n][i].clone()
                        - absorb[n][i].clone())
                    .eq(0.0),
                );
                through += arrive[n][i].clone() + supply[n][i].clone();
            }
        }
        if !is_border[n]
            && let Some(c) = net.nodes[n].capacity_t_per_day
        {
            model = model.with(through.leq(if net.nodes[n].open { c } else { 0.0 }));
        }
    }
    let sol = model.solve().expect("a bounded flow LP always solves");
    sol.eval(&total_supply)
}
