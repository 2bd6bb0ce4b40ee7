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
    let com = &net.commodities[commodity];
    let mut lp = NetworkLp::new(net);
    lp.add_links(net, com);
    lp.add_terminals(net, com);
    lp.add_crossings(net, com);
    let total_supply = lp.add_ends(from, to);
    let balance = lp.balance_rows(net);
    let mut model = lp.vars.maximise(total_supply.clone()).using(microlp);
    for row in lp.rows.into_iter().chain(balance) {
        model = model.with(row);
    }
    let sol = model.solve().expect("a bounded flow LP always solves");
    sol.eval(&total_supply)
}

/// One sum of flow variables per (node, layer) at that node.
type PerLayer = Vec<Vec<Expression>>;

/// The model-level LP as it is built: variables, capacity rows, and what
/// enters and leaves every (node, layer).
struct NetworkLp {
    vars: good_lp::ProblemVariables,
    rows: Vec<good_lp::Constraint>,
    /// Layers present at each node, sorted (a node's layer index is its
    /// position here).
    layers: Vec<Vec<corridor_model::Layer>>,
    is_border: Vec<bool>,
    arrive: PerLayer,
    depart: PerLayer,
    t_in: PerLayer,
    t_out: PerLayer,
    supply: PerLayer,
    absorb: PerLayer,
    cross: PerLayer,
}

impl NetworkLp {
    fn new(net: &corridor_model::Network) -> Self {
        let layers: Vec<Vec<corridor_model::Layer>> = net
            .layers_at_nodes()
            .iter()
            .map(|s| s.iter().copied().collect())
            .collect();
        let is_border = (0..net.nodes.len())
            .map(|n| net.borders.iter().any(|b| b.node.index() == n))
            .collect();
        let zeros: PerLayer = layers
            .iter()
            .map(|v| v.iter().map(|_| Expression::from(0.0)).collect())
            .collect();
        Self {
            vars: variables!(),
            rows: Vec::new(),
            layers,
            is_border,
            arrive: zeros.clone(),
            depart: zeros.clone(),
            t_in: zeros.clone(),
            t_out: zeros.clone(),
            supply: zeros.clone(),
            absorb: zeros.clone(),
            cross: zeros,
        }
    }

    fn layer_index(&self, n: usize, l: &corridor_model::Layer) -> usize {
        self.layers[n]
            .iter()
            .position(|x| x == l)
            .expect("layer at node")
    }

    /// A flow variable bounded by `cap` (none: unbounded above).
    fn flow(&mut self, cap: Option<f64>) -> Variable {
        match cap {
            Some(c) => self.vars.add(variable().min(0.0).max(c)),
            None => self.vars.add(variable().min(0.0)),
        }
    }

    /// One variable per link direction, bounded by the link's capacity.
    fn add_links(&mut self, net: &corridor_model::Network, com: &corridor_model::Commodity) {
        for l in &net.links {
            let open = l.open
                && l.commodities.permits(com)
                && net.node(l.from).open
                && net.node(l.to).open;
            let dirs: &[(corridor_model::NodeId, corridor_model::NodeId)] = if l.oneway {
                &[(l.from, l.to)]
            } else {
                &[(l.from, l.to), (l.to, l.from)]
            };
            for &(a, b) in dirs {
                let x = self.flow(if open {
                    l.capacity_t_per_day
                } else {
                    Some(0.0)
                });
                let (a, b) = (a.index(), b.index());
                let (la, lb) = (
                    self.layer_index(a, &l.layer()),
                    self.layer_index(b, &l.layer()),
                );
                self.depart[a][la] += x;
                self.arrive[b][lb] += x;
            }
        }
    }

    /// One variable per ordered pair of distinct layers a terminal offers,
    /// and a row for the terminal's capacity over all of them.
    fn add_terminals(&mut self, net: &corridor_model::Network, com: &corridor_model::Commodity) {
        for t in &net.terminals {
            let n = t.node.index();
            let open = t.open && t.commodities.permits(com) && net.node(t.node).open;
            let here = &self.layers[n];
            let mut pairs = Vec::new();
            for (a, b) in &t.transfers {
                for (ia, la) in here.iter().enumerate().filter(|(_, h)| a.matches(h)) {
                    for (ib, lb) in here.iter().enumerate().filter(|(_, h)| b.matches(h)) {
                        if la != lb {
                            pairs.push((ia, ib));
                            pairs.push((ib, ia));
                        }
                    }
                }
            }
            pairs.sort_unstable();
            pairs.dedup();
            let mut total = Expression::from(0.0);
            for (ia, ib) in pairs {
                let y = self.flow(if open { None } else { Some(0.0) });
                self.t_out[n][ia] += y;
                self.t_in[n][ib] += y;
                total += y;
            }
            if let Some(c) = t.capacity_t_per_day {
                self.rows.push(total.leq(c));
            }
        }
    }

    /// At a border node, one crossing variable per layer; the borders
    /// there and the node's own capacity limit their sum.
    fn add_crossings(&mut self, net: &corridor_model::Network, com: &corridor_model::Commodity) {
        for n in 0..net.nodes.len() {
            if !self.is_border[n] {
                continue;
            }
            let mut total = Expression::from(0.0);
            for i in 0..self.cross[n].len() {
                let z = self.vars.add(variable().min(0.0));
                self.cross[n][i] += z;
                total += z;
            }
            for b in net.borders.iter().filter(|b| b.node.index() == n) {
                let open = b.open && b.commodities.permits(com) && net.node(b.node).open;
                match (open, b.capacity_t_per_day) {
                    (false, _) => self.rows.push(total.clone().eq(0.0)),
                    (true, Some(c)) => self.rows.push(total.clone().leq(c)),
                    (true, None) => {}
                }
            }
            if let Some(c) = net.nodes[n].capacity_t_per_day {
                let c = if net.nodes[n].open { c } else { 0.0 };
                self.rows.push(total.clone().leq(c));
            }
        }
    }

    /// Supply at every layer of the origins and absorption at every layer
    /// of the destinations; returns the total supply (the objective).
    fn add_ends(
        &mut self,
        from: &[corridor_model::NodeId],
        to: &[corridor_model::NodeId],
    ) -> Expression {
        let mut objective = Expression::from(0.0);
        for &o in from {
            let n = o.index();
            for i in 0..self.supply[n].len() {
                let s = self.vars.add(variable().min(0.0));
                self.supply[n][i] += s;
                objective += s;
            }
        }
        for &d in to {
            let n = d.index();
            for i in 0..self.absorb[n].len() {
                let s = self.vars.add(variable().min(0.0));
                self.absorb[n][i] += s;
            }
        }
        objective
    }

    /// Conservation at every (node, layer) — split into an in- and an
    /// out-side at border nodes — and the capacity of a node that is not
    /// a border over what arrives by link plus what starts there.
    fn balance_rows(&self, net: &corridor_model::Network) -> Vec<good_lp::Constraint> {
        let mut rows = Vec::new();
        for n in 0..net.nodes.len() {
            let mut through = Expression::from(0.0);
            for i in 0..self.layers[n].len() {
                let (arrive, depart) = (&self.arrive[n][i], &self.depart[n][i]);
                let (t_in, t_out) = (&self.t_in[n][i], &self.t_out[n][i]);
                let (supply, absorb) = (&self.supply[n][i], &self.absorb[n][i]);
                if self.is_border[n] {
                    let cross = &self.cross[n][i];
                    // In-vertex: arrivals cross or are absorbed.
                    rows.push((arrive.clone() - cross.clone() - absorb.clone()).eq(0.0));
                    // Out-vertex.
                    rows.push(
                        (cross.clone() + t_in.clone() + supply.clone()
                            - depart.clone()
                            - t_out.clone())
                        .eq(0.0),
                    );
                } else {
                    rows.push(
                        (arrive.clone() + t_in.clone() + supply.clone()
                            - depart.clone()
                            - t_out.clone()
                            - absorb.clone())
                        .eq(0.0),
                    );
                    through += arrive.clone() + supply.clone();
                }
            }
            if !self.is_border[n]
                && let Some(c) = net.nodes[n].capacity_t_per_day
            {
                rows.push(through.leq(if net.nodes[n].open { c } else { 0.0 }));
            }
        }
        rows
    }
}
