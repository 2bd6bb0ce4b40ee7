//! Property tests of `capacity` on random multimodal networks with random
//! capacities on links, terminals, borders and nodes, against an LP written
//! straight from the model (`corridor_fixtures::lp::network_max_flow`, no
//! lowering, shared capacities as single rows).

use corridor_engine::{CapacityQuery, Objective, capacity_query};
use corridor_fixtures::lp::network_max_flow;
use corridor_model::{Endpoint, Network, NodeId};
use proptest::prelude::*;

fn with_capacities(seed: u64) -> Network {
    corridor_fixtures::with_capacities(seed, 0xCAFE)
}

/// Reports round to 6 significant digits.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-5 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn capacity_matches_a_model_lp(seed in 0u64..10_000, pick in any::<(u16, u16, u16, u8)>()) {
        let net = with_capacities(seed);
        let n = net.nodes.len();
        let o1 = pick.0 as usize % n;
        let d1 = pick.1 as usize % n;
        let d2 = pick.2 as usize % n;
        prop_assume!(o1 != d1 && o1 != d2);
        let c = pick.3 as usize % net.commodities.len();
        if !net.nodes[o1].open || !net.nodes[d1].open || !net.nodes[d2].open {
            return Ok(());
        }
        let mut to = vec![d1];
        if d2 != d1 {
            to.push(d2);
        }
        let q = CapacityQuery {
            from: vec![Endpoint::new(net.nodes[o1].source_id.clone())],
            to: to.iter().map(|&d| Endpoint::new(net.nodes[d].source_id.clone())).collect(),
            commodity: Some(net.commodities[c].source_id.clone()),
            minimize: Objective::Cost,
            scenarios: Vec::new(),
        };
        let r = capacity_query(&net, &q).unwrap();
        let to_ids: Vec<NodeId> = to.iter().map(|&d| NodeId::from_index(d)).collect();
        let lp = network_max_flow(&net, &[NodeId::from_index(o1)], &to_ids, c);
        prop_assert!(r.max_flow <= lp * (1.0 + 1e-5) + 1e-6, "feasible: {} vs lp {lp}", r.max_flow);
        if r.exact {
            prop_assert!(close(r.max_flow, lp), "exact: {} vs lp {lp}", r.max_flow);
        } else {
            let ub = r.upper_bound.unwrap();
            prop_assert!(ub >= lp * (1.0 - 1e-5) - 1e-6, "upper bound {ub} vs lp {lp}");
        }
        let cut: f64 = r.bottlenecks.iter().map(|b| b.capacity).sum();
        prop_assert!(close(cut, r.max_flow), "cut {cut} vs flow {}", r.max_flow);
        for e in &r.elements {
            if let Some(u) = e.utilisation {
                prop_assert!(u <= 1.0 + 1e-6, "{} {} over capacity: {u}", e.kind, e.id);
            }
        }
    }
}
