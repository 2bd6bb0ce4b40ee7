//! Property tests of `optimise` on random multimodal networks with random
//! capacities: with one commodity, no costs and demand above the maximum
//! flow it serves exactly `capacity`'s maximum flow (push–relabel on the
//! split lowering: an independent algorithm and lowering); with several
//! commodities and origins its flows conserve tonnes per commodity, stay
//! within every capacity and add up to what it reports, in both
//! formulations, and the two (arc-node LP and column generation over
//! paths) reach the same optimum.

use corridor_engine::optimise::{Formulation, OptimiseConfig, PathsConfig, optimise};
use corridor_engine::{CapacityQuery, Objective, capacity_query};
use corridor_model::demand::DemandRow;
use corridor_model::{Endpoint, Network, NodeId};
use proptest::prelude::*;

fn with_capacities(seed: u64) -> Network {
    corridor_fixtures::with_capacities(seed, 0x0971)
}

/// Every cost per tonne 0 under `cost`.
fn free(mut net: Network) -> Network {
    for l in &mut net.links {
        l.cost_per_tkm = Some(0.0);
        l.toll = 0.0;
    }
    for t in &mut net.terminals {
        t.handling_cost_per_t = 0.0;
    }
    for b in &mut net.borders {
        b.fee_per_t = 0.0;
    }
    net
}

fn row(net: &Network, o: usize, d: usize, c: usize, amount: f64) -> DemandRow {
    DemandRow {
        origin: NodeId::from_index(o),
        destination: NodeId::from_index(d),
        commodity: net.commodities[c].source_id.clone(),
        amount,
        source: None,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-5 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// One commodity, no costs, demand above the maximum flow: what is
    /// served is `capacity`'s maximum flow.
    #[test]
    fn served_equals_the_maximum_flow(seed in 0u64..10_000, pick in any::<(u16, u16, u16, u8)>()) {
        let net = free(with_capacities(seed));
        let n = net.nodes.len();
        let (o, d1, d2) = (pick.0 as usize % n, pick.1 as usize % n, pick.2 as usize % n);
        prop_assume!(o != d1 && o != d2);
        prop_assume!(net.nodes[o].open && net.nodes[d1].open && net.nodes[d2].open);
        let c = pick.3 as usize % net.commodities.len();
        let mut to = vec![d1];
        if d2 != d1 {
            to.push(d2);
        }
        let q = CapacityQuery {
            from: vec![Endpoint::new(net.nodes[o].source_id.clone())],
            to: to.iter().map(|&d| Endpoint::new(net.nodes[d].source_id.clone())).collect(),
            commodity: Some(net.commodities[c].source_id.clone()),
            minimize: Objective::Cost,
            scenarios: Vec::new(),
        };
        let cap = capacity_query(&net, &q).unwrap();
        prop_assume!(cap.exact);
        let demand: Vec<DemandRow> = to.iter().map(|&d| row(&net, o, d, c, 10.0 * cap.max_flow + 100.0)).collect();
        let config = OptimiseConfig { minimize: Objective::Cost, ..OptimiseConfig::default() };
        let r = optimise(&net, &demand, &config).unwrap().to_result(&net);
        prop_assert!(close(r.served_t_per_day, cap.max_flow), "served {} vs max flow {}", r.served_t_per_day, cap.max_flow);
        prop_assert_eq!(r.total_cost, 0.0);
        prop_assert_eq!(r.unserved_penalty, 1.0);
    }

    /// Several commodities and origins: flows conserve each commodity's
    /// tonnes, respect every capacity and add up to the report.
    #[test]
    fn flows_are_feasible_and_add_up(seed in 0u64..10_000, rows in proptest::collection::vec(any::<(u16, u16, u8, u16)>(), 1..6), paths in any::<bool>()) {
        let net = with_capacities(seed);
        let n = net.nodes.len();
        let demand: Vec<DemandRow> = rows.iter()
            .map(|&(o, d, c, t)| row(&net, o as usize % n, d as usize % n, c as usize % net.commodities.len(), 50.0 + f64::from(t % 2000)))
            .collect();
        let formulation = if paths { Formulation::Paths } else { Formulation::ArcNode };
        let config = OptimiseConfig { minimize: Objective::Generalised, formulation, ..OptimiseConfig::default() };
        let report = optimise(&net, &demand, &config).unwrap();
        let r = report.to_result(&net);
        for e in &r.elements {
            if let Some(u) = e.utilisation {
                prop_assert!(u <= 1.0 + 1e-6, "{} {} over capacity: {u}", e.kind, e.id);
            }
        }
        for s in &r.shadow_prices {
            prop_assert!(s.shadow_price >= 0.0 && s.load_t_per_day <= s.capacity_t_per_day * (1.0 + 1e-6) + 1e-6);
        }
        let total: f64 = r.by_commodity.iter().map(|c| c.total_cost).sum();
        prop_assert!(close(total, r.total_cost));
        prop_assert!(close(r.served_t_per_day + r.unserved_t_per_day, r.demand_t_per_day));
        prop_assert!(close(r.objective, r.total_cost + r.unserved_penalty * r.unserved_t_per_day));
        // Conservation: per commodity, net outflow is the served demand at
        // origins, minus it at destinations, 0 elsewhere.
        let p = &report.problem;
        let csr = &p.lowered.csr;
        let tails = csr.tails();
        for (k, flow) in report.flows.flow.iter().enumerate() {
            let mut net_out = vec![0.0; csr.n_vertices()];
            for a in csr.arcs() {
                net_out[tails[a.index()].index()] += flow[a.index()];
                net_out[csr.head(a).index()] -= flow[a.index()];
            }
            for (j, od) in p.ods.iter().enumerate() {
                let g = &p.groups[od.group];
                if g.commodity == k {
                    let served = od.demand - report.flows.unserved[j];
                    net_out[g.source.index()] -= served;
                    net_out[od.sink.index()] += served;
                }
            }
            let scale = 1.0 + r.demand_t_per_day;
            for (v, x) in net_out.iter().enumerate() {
                prop_assert!(x.abs() <= 1e-6 * scale, "commodity {k} vertex {v}: {x}");
            }
        }
    }

    /// Column generation over paths reaches the arc-node LP's optimum:
    /// the same objective and the same served tonnes per pair's total, on
    /// networks with shared node, terminal and border capacities and
    /// demand that does not always fit (a tighter penalty makes leaving
    /// demand unserved a real trade).
    #[test]
    fn paths_reach_the_arc_node_optimum(seed in 0u64..10_000, rows in proptest::collection::vec(any::<(u16, u16, u8, u16)>(), 1..7), tight in any::<bool>(), knobs in 0u8..3) {
        let net = with_capacities(seed);
        let n = net.nodes.len();
        let demand: Vec<DemandRow> = rows.iter()
            .map(|&(o, d, c, t)| row(&net, o as usize % n, d as usize % n, c as usize % net.commodities.len(), 50.0 + f64::from(t % 3000)))
            .collect();
        let solve = |formulation| {
            let config = OptimiseConfig {
                minimize: Objective::Cost,
                formulation,
                unserved_penalty: tight.then_some(400.0),
                trace: false,
                // The knobs at their floor (one new column a pair a round,
                // HiGHS's IPM after every new column, no greedy or flow
                // first columns), and with paths of group flows proposed
                // every round, reach the same optimum.
                paths: match knobs {
                    0 => PathsConfig::default(),
                    1 => PathsConfig {
                        max_new_columns: 1,
                        ipm_min_columns: 1,
                        greedy_start: false,
                        flow_start: false,
                        ..PathsConfig::default()
                    },
                    _ => PathsConfig { flow_start: false, ..PathsConfig::default() },
                },
                ..OptimiseConfig::default()
            };
            optimise(&net, &demand, &config).unwrap().to_result(&net)
        };
        let (a, p) = (solve(Formulation::ArcNode), solve(Formulation::Paths));
        prop_assert_eq!(&a.lp.formulation, "arc-node");
        prop_assert_eq!(&p.lp.formulation, "paths");
        prop_assert!(close(a.objective, p.objective), "arc-node {} vs paths {}", a.objective, p.objective);
        if !tight {
            // With the default penalty serving always wins: the served total is the maximum.
            prop_assert!(close(a.served_t_per_day, p.served_t_per_day), "served {} vs {}", a.served_t_per_day, p.served_t_per_day);
        }
        for e in &p.elements {
            if let Some(u) = e.utilisation {
                prop_assert!(u <= 1.0 + 1e-6, "{} {} over capacity: {u}", e.kind, e.id);
            }
        }
    }
}
