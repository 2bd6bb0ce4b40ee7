//! Tests of the system optimum: the LP solvers on a tiny LP, the
//! formulations against each other, and column generation's duals checked
//! as an optimal dual of the full LP (dual objective, dual feasibility by
//! an independent shortest-path search, and as a subgradient of the
//! optimum's cost in each binding capacity).

use super::lp::Lp;
use super::{ArcNode, MicrolpMaster, Problem, build, column_generation, master_rows, microlp};
use corridor_fixtures::{GenerateConfig, multimodal};
use corridor_model::demand::DemandRow;
use corridor_model::{Network, NodeId};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[test]
fn tiny_lp_and_its_dual() {
    // min x0 + 2 x1 s.t. x0 + x1 = 1, x0 <= 0.5
    let lp = Lp {
        cost: vec![1.0, 2.0],
        col_upper: vec![f64::INFINITY, 5.0],
        row_lower: vec![1.0, f64::NEG_INFINITY],
        row_upper: vec![1.0, 0.5],
        col_start: vec![0, 2, 3],
        row_index: vec![0, 1, 0],
        value: vec![1.0, 1.0, 1.0],
    };
    let s = super::microlp::solve(&lp).unwrap();
    assert!((s.objective - 1.5).abs() < 1e-9, "{s:?}");
    assert!((s.row_dual[0] - 2.0).abs() < 1e-9, "{s:?}");
    assert!((s.row_dual[1] + 1.0).abs() < 1e-9, "{s:?}");
}

/// Objective of a solution from its flows (what each formulation agrees on).
fn objective(p: &super::Problem, f: &super::Flows) -> f64 {
    let moved: f64 = (f.flow.iter().enumerate())
        .flat_map(|(k, fl)| {
            fl.iter()
                .zip(&p.weight[k])
                .filter(|(x, _)| **x > 0.0)
                .map(|(x, w)| x * w)
        })
        .sum();
    moved + p.penalty * f.unserved.iter().sum::<f64>()
}

/// The arc-node LP by microlp, by HiGHS (dual simplex, and interior point
/// without crossover), and the arc-path LP by column generation reach one
/// optimum on random networks; the flows of each respect every capacity.
#[cfg(feature = "highs")]
#[test]
fn microlp_highs_and_column_generation_agree() {
    use super::highs;
    for seed in 0..24u64 {
        let mut net = multimodal(&GenerateConfig::small(seed));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for l in &mut net.links {
            l.capacity_t_per_day = Some(rng.random_range(10.0..1000.0));
        }
        for n in &mut net.nodes {
            if rng.random_bool(0.15) {
                n.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
            }
        }
        let n = net.nodes.len();
        let demand: Vec<DemandRow> = (0..rng.random_range(1..6))
            .map(|_| DemandRow {
                origin: NodeId::from_index(rng.random_range(0..n)),
                destination: NodeId::from_index(rng.random_range(0..n)),
                commodity: net.commodities[rng.random_range(0..net.commodities.len())]
                    .source_id
                    .clone(),
                amount: rng.random_range(50.0..2000.0),
                source: None,
            })
            .collect();
        let p = build(&net, &demand, crate::Objective::Generalised, None).unwrap();
        let an = ArcNode::build(&p, &net);
        let by_microlp = an.solved(&p, &microlp::solve(&an.lp).unwrap());
        let by_highs = an.solved(&p, &highs::solve_by(&an.lp, false, false).unwrap());
        let by_ipm = an.solved(&p, &highs::solve_by(&an.lp, true, false).unwrap());
        let (lo, hi) = super::master_rows(&p);
        let mut master = highs::HighsMaster::new(&lo, &hi, &Default::default()).unwrap();
        let by_paths = super::column_generation(
            &p,
            &net,
            &mut master,
            (&Default::default(), &Default::default(), false),
        )
        .unwrap()
        .flows;
        let z = objective(&p, &by_microlp);
        let solved = [
            ("highs", &by_highs),
            ("highs ipm", &by_ipm),
            ("column generation", &by_paths),
        ];
        for (what, f) in solved {
            let other = objective(&p, f);
            assert!(
                (z - other).abs() <= 1e-6 * (1.0 + z.abs()),
                "seed {seed}: microlp {z} vs {what} {other}"
            );
            let served: f64 = p
                .ods
                .iter()
                .zip(&f.unserved)
                .map(|(o, u)| o.demand - u)
                .sum();
            let served_m: f64 = p
                .ods
                .iter()
                .zip(&by_microlp.unserved)
                .map(|(o, u)| o.demand - u)
                .sum();
            assert!(
                (served - served_m).abs() <= 1e-6 * (1.0 + served),
                "seed {seed}: served {served} vs {served_m}"
            );
        }
    }
}

/// A small network with link, node, terminal and border capacities and a
/// random demand that often does not fit.
fn random_case(seed: u64) -> (Network, Vec<DemandRow>) {
    let mut net = multimodal(&GenerateConfig::small(seed));
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xD0A1);
    for l in &mut net.links {
        l.capacity_t_per_day = Some(rng.random_range(10.0..1000.0));
    }
    for t in &mut net.terminals {
        if rng.random_bool(0.5) {
            t.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
        }
    }
    for b in &mut net.borders {
        if rng.random_bool(0.5) {
            b.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
        }
    }
    for n in &mut net.nodes {
        if rng.random_bool(0.2) {
            n.capacity_t_per_day = Some(rng.random_range(5.0..800.0));
        }
    }
    let n = net.nodes.len();
    let demand = (0..rng.random_range(2..7))
        .map(|_| DemandRow {
            origin: NodeId::from_index(rng.random_range(0..n)),
            destination: NodeId::from_index(rng.random_range(0..n)),
            commodity: net.commodities[rng.random_range(0..net.commodities.len())]
                .source_id
                .clone(),
            amount: rng.random_range(50.0..3000.0),
            source: None,
        })
        .collect();
    (net, demand)
}

/// Each capacity row's load from flows per commodity and arc, and the
/// served starts charged to a node.
fn loads(p: &Problem, net: &Network, f: &super::Flows) -> Vec<f64> {
    let mut load = vec![0.0; p.rows.len()];
    for (k, flow) in f.flow.iter().enumerate() {
        for a in p.lowered.csr.arcs() {
            for u in p.uses(a) {
                load[u.row as usize] += flow[a.index()] * p.factor(net, k, *u);
            }
        }
    }
    for (od, u) in p.ods.iter().zip(&f.unserved) {
        let g = &p.groups[od.group];
        if let Some(r) = g.origin_row {
            load[r.row as usize] += (od.demand - u) * p.factor(net, g.commodity, r);
        }
    }
    load
}

/// Per vertex, the cheapest distance from `from` under `w` by
/// Bellman–Ford over the arc list (independent of the Dijkstra pricing).
fn bellman_ford(p: &Problem, w: &[f64], from: corridor_graph::VertexIdx) -> Vec<f64> {
    let csr = &p.lowered.csr;
    let tails = csr.tails();
    let mut d = vec![f64::INFINITY; csr.n_vertices()];
    d[from.index()] = 0.0;
    loop {
        let mut changed = false;
        for a in csr.arcs() {
            let t = d[tails[a.index()].index()] + w[a.index()];
            let h = csr.head(a).index();
            if t < d[h] - 1e-12 * (1.0 + t.abs()) {
                d[h] = t;
                changed = true;
            }
        }
        if !changed {
            return d;
        }
    }
}

/// The arc-node LP's optimum with microlp (the reference).
fn arc_node_objective(p: &Problem, net: &Network) -> f64 {
    let an = ArcNode::build(p, net);
    microlp::solve(&an.lp).unwrap().objective
}

/// Column generation (microlp's master) on random networks: its flows
/// respect every capacity, its objective is the arc-node LP's, and its
/// duals (σ per pair, y per capacity) are an optimal dual of the full LP —
/// feasible (no path of any pair is cheaper than σ under the prices, found
/// by Bellman–Ford), with the dual objective equal to the primal, and each
/// binding capacity's price a subgradient of the optimum's cost in that
/// capacity (checked by solving again with it moved both ways).
/// Dual feasibility of column generation's final duals on the full LP:
/// every path of pair j costs at least σ_j under the capacity prices (by
/// Bellman–Ford, independent of the pricing's searches).
fn assert_dual_feasible(p: &Problem, net: &Network, s: &super::PathSolution, seed: u64) {
    let y = &s.flows.price;
    for (gi, g) in p.groups.iter().enumerate() {
        let k = g.commodity;
        let w: Vec<f64> = (p.lowered.csr.arcs())
            .map(|a| {
                p.weight[k][a.index()]
                    + (p.uses(a).iter())
                        .map(|u| p.factor(net, k, *u) * y[u.row as usize])
                        .sum::<f64>()
            })
            .collect();
        let d = bellman_ford(p, &w, g.source);
        let start = g
            .origin_row
            .map_or(0.0, |u| p.factor(net, k, u) * y[u.row as usize]);
        for j in g.ods.clone() {
            let len = d[p.ods[j].sink.index()] + start;
            assert!(
                len >= s.sigma[j] - 1e-6 * (1.0 + s.sigma[j].abs()),
                "seed {seed} group {gi} pair {j}: a path of {len} under σ {}",
                s.sigma[j]
            );
        }
    }
}

#[test]
fn paths_flows_and_duals_are_optimal_for_the_full_lp() {
    let mut binding_checked = 0;
    // Capacity rows the masters took on, and rows some flow crosses that
    // they never needed.
    let (mut lazy_rows, mut left_out) = (0, 0);
    for seed in 0..16u64 {
        let (net, demand) = random_case(seed);
        let penalty = (seed % 2 == 0).then_some(300.0);
        let p = build(&net, &demand, crate::Objective::Cost, penalty).unwrap();
        let (lo, hi) = master_rows(&p);
        let s = column_generation(
            &p,
            &net,
            &mut MicrolpMaster::new(&lo, &hi),
            (&Default::default(), &Default::default(), false),
        )
        .unwrap();
        let f = &s.flows;
        let z = objective(&p, f);
        let tol = 1e-6 * (1.0 + z.abs());
        let reference = arc_node_objective(&p, &net);
        assert!(
            (z - reference).abs() <= tol,
            "seed {seed}: paths {z} vs arc-node {reference}"
        );
        for (r, (load, row)) in loads(&p, &net, f).iter().zip(&p.rows).enumerate() {
            assert!(
                *load <= row.capacity * (1.0 + 1e-6) + 1e-6,
                "seed {seed}: row {r} carries {load} over {}",
                row.capacity
            );
        }
        // Rows are added lazily: one the master lacks prices nothing; the
        // loads above show it is not exceeded either.
        for (r, &in_master) in s.capacity_in_master.iter().enumerate() {
            assert!(
                in_master || f.price[r] == 0.0,
                "seed {seed}: row {r} not in the master has price {}",
                f.price[r]
            );
        }
        let crossed = (s.flows.flow.iter().enumerate())
            .flat_map(|(k, fl)| fl.iter().enumerate().map(move |(a, x)| (k, a, *x)))
            .filter(|t| t.2 > 0.0)
            .flat_map(|(_, a, _)| p.uses(corridor_graph::ArcIdx::from_index(a)).to_vec())
            .map(|u| u.row as usize)
            .collect::<std::collections::HashSet<_>>();
        lazy_rows += s.stats.capacity_rows;
        left_out += crossed
            .iter()
            .filter(|&&r| !s.capacity_in_master[r])
            .count();
        // Dual objective: Σ D σ − Σ cap y + Σ D min(0, P − σ) (the bound u ≤ D).
        let y = &f.price;
        let dual: f64 = (p.ods.iter().zip(&s.sigma))
            .map(|(o, &sg)| o.demand * sg + o.demand * (p.penalty - sg).min(0.0))
            .sum::<f64>()
            - p.rows
                .iter()
                .zip(y)
                .map(|(r, y)| r.capacity * y)
                .sum::<f64>();
        assert!(
            (dual - z).abs() <= tol,
            "seed {seed}: dual {dual} vs primal {z}"
        );
        assert_dual_feasible(&p, &net, &s, seed);
        // Subgradient: z(cap + δ) ≥ z − y δ and z(cap − δ) ≥ z + y δ.
        let binding = (0..p.rows.len()).filter(|&r| y[r] > 1e-6).take(3);
        for r in binding.collect::<Vec<_>>() {
            let delta = (0.01 * p.rows[r].capacity).max(1e-3);
            for sign in [1.0, -1.0] {
                let mut q = p.clone();
                q.rows[r].capacity += sign * delta;
                let moved = arc_node_objective(&q, &net);
                assert!(
                    moved >= z - sign * y[r] * delta - 1e-5 * (1.0 + z.abs()),
                    "seed {seed} row {r}: price {} but moving the capacity by {} gives {moved} from {z}",
                    y[r],
                    sign * delta
                );
            }
            binding_checked += 1;
        }
    }
    assert!(
        binding_checked >= 5,
        "only {binding_checked} binding capacities checked"
    );
    assert!(
        lazy_rows >= 5 && left_out >= 5,
        "rows added {lazy_rows}, crossed but left out {left_out}"
    );
}

/// [`random_case`] built minimising cost, with a penalty of 300 on every
/// `every`-th seed (a real trade of service against cost) and the default
/// elsewhere, and its arc-node optimum.
fn case_and_optimum(seed: u64, every: u64) -> (Network, Problem, f64) {
    let (net, demand) = random_case(seed);
    let penalty = seed.is_multiple_of(every).then_some(300.0);
    let p = build(&net, &demand, crate::Objective::Cost, penalty).unwrap();
    let optimum = arc_node_objective(&p, &net);
    (net, p, optimum)
}

/// Column generation with microlp's master under `config` and `stop`.
fn run_paths(
    p: &Problem,
    net: &Network,
    config: &super::PathsConfig,
    stop: &super::StopRule,
) -> super::PathSolution {
    let (lo, hi) = master_rows(p);
    let mut m = MicrolpMaster::new(&lo, &hi);
    column_generation(p, net, &mut m, (config, stop, false)).unwrap()
}

/// A stopped or finished run brackets the optimum: bound ≤ optimum ≤
/// objective (within `tol`).
fn assert_brackets(s: &super::PathSolution, optimum: f64, tol: f64, seed: u64) {
    assert!(
        s.bound <= optimum + tol && optimum <= s.objective + tol,
        "seed {seed}: bound {} optimum {optimum} objective {}",
        s.bound,
        s.objective
    );
}

/// Column generation stopped at a gap: it stops earlier than the exact
/// run on some cases, and every stopped answer brackets the arc-node LP's
/// optimum (bound ≤ optimum ≤ objective) with its objective within the
/// gap it reports, which is within the gap asked. One column a pair a
/// round (`max_new_columns` 1) and no greedy first columns, so the runs
/// are long enough to stop.
#[test]
fn a_gap_stops_early_and_brackets_the_optimum() {
    use super::{PathsConfig, StopRule, Stopped, relative_gap};
    let slow = PathsConfig {
        max_new_columns: 1,
        greedy_start: false,
        flow_start: false,
        ..PathsConfig::default()
    };
    let (mut earlier, mut stopped) = (0, 0);
    for seed in 0..16u64 {
        let (net, p, optimum) = case_and_optimum(seed, 2);
        let run = |stop: &StopRule| run_paths(&p, &net, &slow, stop);
        let exact = run(&StopRule::default());
        assert_eq!(exact.stopped, Stopped::Optimal);
        let tol = 1e-6 * (1.0 + optimum.abs());
        assert!((exact.objective - optimum).abs() <= tol, "seed {seed}");
        let rule = StopRule {
            gap: Some(0.5),
            deadline: None,
        };
        let s = run(&rule);
        let z = objective(&p, &s.flows);
        assert!((z - s.objective).abs() <= tol, "seed {seed}: flows {z}");
        if s.stopped == Stopped::Optimal {
            assert!((s.objective - optimum).abs() <= tol, "seed {seed}");
            continue;
        }
        stopped += 1;
        assert_eq!(s.stopped, Stopped::GapReached);
        let gap = relative_gap(s.objective, s.bound);
        assert!(gap <= 0.5, "seed {seed}: stopped at gap {gap}");
        assert_brackets(&s, optimum, tol, seed);
        assert!(
            relative_gap(s.objective, optimum) <= gap + 1e-9,
            "seed {seed}: objective {} is further than {gap} from {optimum}",
            s.objective
        );
        for (load, row) in loads(&p, &net, &s.flows).iter().zip(&p.rows) {
            assert!(*load <= row.capacity * (1.0 + 1e-6) + 1e-6, "seed {seed}");
        }
        if s.stats.rounds < exact.stats.rounds {
            earlier += 1;
        }
    }
    assert!(
        stopped >= 3 && earlier >= 3,
        "stopped at the gap {stopped}, earlier than exact {earlier}"
    );
}

/// A deadline already passed stops at the first master that exceeds no
/// capacity row: a feasible plan with a bound below the optimum.
#[test]
fn a_time_limit_stops_at_the_first_feasible_master() {
    use super::{StopRule, Stopped};
    let (mut limited, mut seen) = (0, 0);
    for seed in 0..8u64 {
        let (net, demand) = random_case(seed);
        let p = build(&net, &demand, crate::Objective::Cost, None).unwrap();
        let optimum = arc_node_objective(&p, &net);
        let (lo, hi) = master_rows(&p);
        let rule = StopRule {
            gap: None,
            deadline: Some(std::time::Instant::now()),
        };
        let mut m = MicrolpMaster::new(&lo, &hi);
        let s = column_generation(&p, &net, &mut m, (&Default::default(), &rule, false)).unwrap();
        let tol = 1e-6 * (1.0 + optimum.abs());
        seen += 1;
        if s.stopped == Stopped::TimeLimit {
            limited += 1;
            assert_eq!(s.stats.rounds, s.stats.row_rounds + 1, "seed {seed}");
        }
        assert_brackets(&s, optimum, tol, seed);
        for (load, row) in loads(&p, &net, &s.flows).iter().zip(&p.rows) {
            assert!(*load <= row.capacity * (1.0 + 1e-6) + 1e-6, "seed {seed}");
        }
    }
    assert!(limited >= 3, "{limited} of {seen} stopped by the limit");
}

/// Per pair, min(P, its cheapest path ignoring capacities) by
/// Bellman–Ford (independent of the pricing's Dijkstra).
fn cheapest_by_bellman_ford(p: &Problem) -> Vec<f64> {
    (p.ods.iter())
        .map(|od| {
            let g = &p.groups[od.group];
            let d = bellman_ford(p, &p.weight[g.commodity], g.source);
            d[od.sink.index()].min(p.penalty)
        })
        .collect()
}

/// The maximum-flow bound never exceeds the arc-node LP's optimum, and
/// on the default penalty (where capacities leave demand unserved) it
/// beats the bound of prices 0 in some cases; so does L at the prices of
/// its minimum cut (by Bellman–Ford), which is a Lagrangian bound.
#[test]
fn the_maximum_flow_bound_is_below_the_optimum() {
    let (mut better, mut cut_better) = (0, 0);
    for seed in 0..24u64 {
        let (net, demand) = random_case(seed);
        let penalty = (seed % 3 == 0).then_some(300.0);
        let p = build(&net, &demand, crate::Objective::Cost, penalty).unwrap();
        let cheapest = cheapest_by_bellman_ford(&p);
        let (bound, y) = super::cut_bound::cut_bound(&p, &net, &cheapest).unwrap();
        let optimum = arc_node_objective(&p, &net);
        let tol = 1e-6 * (1.0 + optimum.abs());
        assert!(
            bound <= optimum + tol,
            "seed {seed}: bound {bound} > optimum {optimum}"
        );
        let prices_0: f64 = (p.ods.iter().zip(&cheapest))
            .map(|(o, c)| o.demand * c)
            .sum();
        assert!(bound >= prices_0 - tol, "seed {seed}: {bound} < {prices_0}");
        if bound > prices_0 + tol {
            better += 1;
        }
        assert!(y.iter().all(|&y| y >= 0.0), "seed {seed}");
        let at_cut = lagrangian_by_bellman_ford(&p, &net, &y);
        assert!(at_cut <= optimum + tol, "seed {seed}: {at_cut} > {optimum}");
        if at_cut > prices_0 + tol {
            cut_better += 1;
        }
    }
    assert!(
        better >= 4 && cut_better >= 4,
        "the flows raised the bound in only {better} cases, their cut's prices in {cut_better}"
    );
}

/// [`random_case`] with only link capacities (no row shared by arcs of
/// different links) and every demand row from the first row's origin in
/// its commodity: one group.
fn one_group_links_only(seed: u64) -> (Network, Vec<DemandRow>) {
    let (mut net, mut demand) = random_case(seed);
    net.terminals
        .iter_mut()
        .for_each(|t| t.capacity_t_per_day = None);
    net.borders
        .iter_mut()
        .for_each(|b| b.capacity_t_per_day = None);
    net.nodes
        .iter_mut()
        .for_each(|n| n.capacity_t_per_day = None);
    let first = demand[0].clone();
    for d in &mut demand {
        d.origin = first.origin;
        d.commodity = first.commodity.clone();
    }
    (net, demand)
}

/// One origin and commodity, no costs and only link capacities (no row
/// shared by arcs of different links): the bound is the optimum, P × the
/// demand the maximum flow leaves, and so is L at its minimum cut's prices.
#[test]
fn the_maximum_flow_bound_is_the_optimum_for_one_group_without_costs() {
    let mut cut = 0;
    for seed in 0..24u64 {
        let (net, demand) = one_group_links_only(seed);
        let Ok(mut p) = build(&net, &demand, crate::Objective::Cost, None) else {
            continue;
        };
        for w in &mut p.weight {
            w.iter_mut()
                .filter(|x| x.is_finite())
                .for_each(|x| *x = 0.0);
        }
        let cheapest = cheapest_by_bellman_ford(&p);
        let (bound, y) = super::cut_bound::cut_bound(&p, &net, &cheapest).unwrap();
        let optimum = arc_node_objective(&p, &net);
        let tol = 1e-6 * (1.0 + optimum.abs());
        assert!(
            (bound - optimum).abs() <= tol,
            "seed {seed}: bound {bound} vs optimum {optimum}"
        );
        // Prices P on the minimum cut's rows: L there is P × (D − F) too.
        let at_cut = lagrangian_by_bellman_ford(&p, &net, &y);
        assert!(
            (at_cut - optimum).abs() <= tol,
            "seed {seed}: L at the cut's prices {at_cut} vs optimum {optimum}"
        );
        if optimum > tol {
            cut += 1;
        }
    }
    assert!(cut >= 4, "demand went unserved in only {cut} cases");
}

/// The maximum-flow first columns (`flow_start.rs`) for one origin and
/// commodity with only link capacities: every path runs from the origin
/// to its pair's destination along joined arcs, the paths' t/day respect
/// every capacity and no pair's demand, and their cost plus the penalty
/// on what they leave is the arc-node LP's optimum (with the default
/// penalty one group's optimum is its cheapest maximum flow).
#[test]
fn the_flow_start_is_the_optimum_for_one_group() {
    let mut unserved = 0;
    for seed in 0..24u64 {
        let (net, demand) = one_group_links_only(seed);
        let Ok(p) = build(&net, &demand, crate::Objective::Cost, None) else {
            continue;
        };
        let paths = super::flow_start::flow_paths(&p, &net, None).unwrap();
        let csr = &p.lowered.csr;
        let tails = csr.tails();
        let mut load = vec![0.0; p.rows.len()];
        let mut served = vec![0.0; p.ods.len()];
        let mut cost = 0.0;
        for (od, arcs, x) in &paths {
            let g = &p.groups[p.ods[*od].group];
            let mut at = g.source;
            for a in arcs {
                assert_eq!(tails[a.index()], at, "seed {seed}: path not joined");
                at = csr.head(*a);
                for u in p.uses(*a) {
                    load[u.row as usize] += x * p.factor(&net, g.commodity, *u);
                }
                cost += x * p.weight[g.commodity][a.index()];
            }
            assert_eq!(at, p.ods[*od].sink, "seed {seed}: path ends elsewhere");
            served[*od] += x;
        }
        for (r, l) in load.iter().enumerate() {
            let c = p.rows[r].capacity;
            assert!(*l <= c + 1e-6 * (1.0 + c), "seed {seed}: row {r} {l} > {c}");
        }
        let mut left = 0.0;
        for (o, s) in p.ods.iter().zip(&served) {
            assert!(
                *s <= o.demand * (1.0 + 1e-9),
                "seed {seed}: {s} > {}",
                o.demand
            );
            left += o.demand - s;
        }
        let optimum = arc_node_objective(&p, &net);
        let z = cost + p.penalty * left;
        assert!(
            (z - optimum).abs() <= 1e-6 * (1.0 + optimum.abs()),
            "seed {seed}: flow start {z} vs optimum {optimum}"
        );
        if left > 1e-6 {
            unserved += 1;
        }
    }
    assert!(unserved >= 4, "capacities bound in only {unserved} cases");
}

/// L(y) by Bellman–Ford (independent of the pricing's A\*): per pair
/// D_j min(P, cheapest path under cost + Aᵀy, start row included) less
/// Σ y_r capacity_r.
fn lagrangian_by_bellman_ford(p: &Problem, net: &Network, y: &[f64]) -> f64 {
    let mut value = 0.0;
    for od in &p.ods {
        let g = &p.groups[od.group];
        let w: Vec<f64> = (p.lowered.csr.arcs())
            .map(|a| {
                let base = p.weight[g.commodity][a.index()];
                base + (p.uses(a).iter())
                    .map(|u| p.factor(net, g.commodity, *u) * y[u.row as usize])
                    .sum::<f64>()
            })
            .collect();
        let start = g
            .origin_row
            .map_or(0.0, |u| p.factor(net, g.commodity, u) * y[u.row as usize]);
        let d = bellman_ford(p, &w, g.source)[od.sink.index()] + start;
        value += od.demand * d.min(p.penalty);
    }
    let held: f64 = (p.rows.iter().zip(y)).map(|(r, y)| y * r.capacity).sum();
    value - held
}

/// The Lagrangian function (`lagrangian.rs`) is what Bellman–Ford gives
/// at random prices; its ascent's bound stays below the arc-node LP's
/// optimum on every random network, is its own L at the prices it
/// reports, and in some cases rises above both the bound of prices 0 and
/// the maximum-flow bound.
#[test]
fn the_lagrangian_ascent_is_a_bound_above_the_maximum_flow_bound() {
    use super::lagrangian::{Ascent, evaluate};
    use super::pricing::Pricing;
    let (mut above_cut, mut cases) = (0, 0);
    for seed in 0..24u64 {
        let (net, p, optimum) = case_and_optimum(seed, 3);
        let tol = 1e-6 * (1.0 + optimum.abs());
        let mut pricing = Pricing::new(&p, &net);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let y: Vec<f64> = (p.rows.iter())
            .map(|_| {
                if rng.random_bool(0.3) {
                    rng.random_range(0.0..p.penalty)
                } else {
                    0.0
                }
            })
            .collect();
        let (value, _) = evaluate(&p, &net, &mut pricing, &y);
        let reference = lagrangian_by_bellman_ford(&p, &net, &y);
        assert!(
            (value - reference).abs() <= 1e-6 * (1.0 + reference.abs()),
            "seed {seed}: L(y) {value} against {reference} by Bellman–Ford"
        );
        assert!(value <= optimum + tol, "seed {seed}: {value} > {optimum}");
        let zero = vec![0.0; p.rows.len()];
        let at_zero = evaluate(&p, &net, &mut pricing, &zero);
        let mut ascent = Ascent::new(zero, at_zero);
        // The target: an upper bound on the optimum (a plan leaving all
        // demand unserved), as column generation's master objective is.
        let all_unserved: f64 = p.ods.iter().map(|o| o.demand * p.penalty).sum();
        let best = ascent.ascend(&p, &net, &mut pricing, all_unserved, 300);
        assert!(
            best <= optimum + tol,
            "seed {seed}: bound {best} > optimum {optimum}"
        );
        let again = lagrangian_by_bellman_ford(&p, &net, &ascent.y);
        assert!(
            (best - again).abs() <= 1e-6 * (1.0 + again.abs()),
            "seed {seed}: reported {best}, L at its prices {again}"
        );
        let cheapest = cheapest_by_bellman_ford(&p);
        let cut = super::cut_bound::cut_bound(&p, &net, &cheapest).unwrap().0;
        cases += 1;
        if best > cut + tol {
            above_cut += 1;
        }
    }
    assert!(
        above_cut >= 4,
        "the ascent beat the maximum-flow bound in {above_cut} of {cases} cases"
    );
}

/// Column generation with the bound's ascent beside each master solve
/// (`PathsConfig::bound_steps`) reaches the same optimum, every bound it
/// reports on the way stays below it, and a gap stops it with the
/// optimum bracketed.
#[test]
fn column_generation_with_the_ascent_brackets_the_optimum() {
    use super::{PathsConfig, StopRule, Stopped, relative_gap};
    let config = PathsConfig {
        bound_steps: 40,
        max_new_columns: 1,
        greedy_start: false,
        flow_start: false,
        ..PathsConfig::default()
    };
    let mut stopped = 0;
    for seed in 0..12u64 {
        let (net, p, optimum) = case_and_optimum(seed, 2);
        let tol = 1e-6 * (1.0 + optimum.abs());
        let run = |stop: &StopRule| run_paths(&p, &net, &config, stop);
        let exact = run(&StopRule::default());
        assert_eq!(exact.stopped, Stopped::Optimal);
        assert!((exact.objective - optimum).abs() <= tol, "seed {seed}");
        assert!(exact.bound <= optimum + tol, "seed {seed}: {}", exact.bound);
        assert!(exact.stats.bound_steps > 0, "seed {seed}: no ascent");
        let rule = StopRule {
            gap: Some(0.05),
            deadline: None,
        };
        let s = run(&rule);
        assert!(s.bound <= optimum + tol, "seed {seed}: bound {}", s.bound);
        if s.stopped == Stopped::GapReached {
            stopped += 1;
            assert!(relative_gap(s.objective, s.bound) <= 0.05, "seed {seed}");
            assert!(optimum <= s.objective + tol, "seed {seed}");
        }
    }
    assert!(stopped >= 1, "the gap stopped no run");
}

/// Column generation with Wentges smoothing (`PathsConfig::smoothing`),
/// with the bound's ascent feeding its center and without, reaches the
/// arc-node LP's optimum on random networks: flows within every capacity
/// whose objective is the master's, final duals feasible for the full LP
/// (the last round is priced at the master's duals), and every bound on
/// the way below the optimum, also when a gap stops it. Over the seeds it
/// both adds columns from smoothed prices and mis-prices (no path found
/// there enters at the master's duals) — the branch that keeps it exact.
#[test]
fn smoothed_column_generation_reaches_the_arc_node_optimum() {
    use super::{PathsConfig, StopRule, Stopped};
    let slow = PathsConfig {
        max_new_columns: 1,
        greedy_start: false,
        flow_start: false,
        ..PathsConfig::default()
    };
    let configs = [
        PathsConfig {
            smoothing: 0.5,
            ..slow
        },
        PathsConfig {
            smoothing: 0.8,
            bound_steps: 20,
            ..slow
        },
    ];
    let (mut smoothed, mut mispriced) = (0, 0);
    for seed in 0..12u64 {
        let (net, p, optimum) = case_and_optimum(seed, 2);
        let tol = 1e-6 * (1.0 + optimum.abs());
        for config in &configs {
            let s = run_paths(&p, &net, config, &StopRule::default());
            assert_eq!(s.stopped, Stopped::Optimal, "seed {seed}");
            assert!(
                (s.objective - optimum).abs() <= tol,
                "seed {seed}: smoothed {} vs arc-node {optimum}",
                s.objective
            );
            let z = objective(&p, &s.flows);
            assert!((z - s.objective).abs() <= tol, "seed {seed}: flows {z}");
            for (load, row) in loads(&p, &net, &s.flows).iter().zip(&p.rows) {
                assert!(*load <= row.capacity * (1.0 + 1e-6) + 1e-6, "seed {seed}");
            }
            assert_dual_feasible(&p, &net, &s, seed);
            assert!(s.bound <= optimum + tol, "seed {seed}: bound {}", s.bound);
            smoothed += s.stats.smoothed_rounds;
            mispriced += s.stats.mispriced_rounds;
            let rule = StopRule {
                gap: Some(0.05),
                deadline: None,
            };
            let g = run_paths(&p, &net, config, &rule);
            assert_brackets(&g, optimum, tol, seed);
        }
    }
    assert!(
        smoothed >= 10 && mispriced >= 3,
        "{smoothed} smoothed rounds, {mispriced} mis-priced"
    );
}
