//! Property tests of max flow, min cut and min-cost max-flow against
//! independent oracles: an LP (good_lp + microlp, in `corridor-fixtures`)
//! and a brute-force enumeration of cuts on tiny graphs.

use corridor_fixtures::lp;
use corridor_graph::Csr;
use corridor_graph::max_flow::{MaxFlow, max_flow};
use corridor_graph::min_cost_flow::{min_cost_flow, min_cost_max_flow};
use proptest::prelude::*;

/// A random graph: n vertices, arcs with (tail, head, capacity, cost).
/// Capacities are a mix of whole numbers and fractions (t/day from Mt/year
/// is never whole); some arcs have zero capacity; self-loops and parallel
/// arcs occur.
fn graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64, f64)>)> {
    (2usize..10).prop_flat_map(|n| {
        let arc = (
            0..n as u32,
            0..n as u32,
            prop_oneof![Just(0.0), 1.0f64..50.0, (1u32..30).prop_map(f64::from)],
            0.0f64..20.0,
        );
        (Just(n), proptest::collection::vec(arc, 0..30))
    })
}

/// Builds the CSR and returns capacities and costs in CSR order plus the
/// arcs in CSR order for the oracles.
/// CSR, capacities, costs, arcs as pairs.
type Built = (Csr, Vec<f64>, Vec<f64>, Vec<(u32, u32)>);

fn build(n: usize, arcs: &[(u32, u32, f64, f64)]) -> Built {
    let pairs: Vec<(u32, u32)> = arcs.iter().map(|a| (a.0, a.1)).collect();
    let (g, order) = Csr::from_arcs(n, &pairs);
    let cap = order.iter().map(|&i| arcs[i as usize].2).collect();
    let cost = order.iter().map(|&i| arcs[i as usize].3).collect();
    let tails = g.tails();
    let csr_arcs = (0..g.n_arcs()).map(|a| (tails[a], g.head(a))).collect();
    (g, cap, cost, csr_arcs)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

/// Conservation at every vertex but s and t, bounds on every arc, the
/// value leaving s, and the cut's capacity equal to the value.
fn check_flow(
    n: usize,
    arcs: &[(u32, u32)],
    cap: &[f64],
    mf: &MaxFlow,
    s: u32,
    t: u32,
) -> Result<(), TestCaseError> {
    let mut net = vec![0.0; n];
    for (a, &(u, v)) in arcs.iter().enumerate() {
        let f = mf.flow[a];
        prop_assert!(
            f >= -1e-9 && f <= cap[a] + 1e-9,
            "arc {a}: flow {f} cap {}",
            cap[a]
        );
        net[u as usize] += f;
        net[v as usize] -= f;
    }
    for (v, &x) in net.iter().enumerate() {
        if v != s as usize && v != t as usize {
            prop_assert!(
                x.abs() <= 1e-9 * (1.0 + mf.value),
                "vertex {v} imbalance {x}"
            );
        }
    }
    prop_assert!(close(net[s as usize], mf.value));
    prop_assert!(mf.source_side[s as usize] && !mf.source_side[t as usize]);
    let cut: f64 = mf.cut_arcs.iter().map(|&a| cap[a as usize]).sum();
    prop_assert!(close(cut, mf.value), "cut {cut} vs value {}", mf.value);
    for &a in &mf.cut_arcs {
        prop_assert!(
            close(mf.flow[a as usize], cap[a as usize]),
            "cut arc not saturated"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn max_flow_equals_min_cut_equals_lp((n, arcs) in graph()) {
        let (g, cap, _, csr_arcs) = build(n, &arcs);
        let (s, t) = (0, n as u32 - 1);
        let mf = max_flow(&g, &cap, s, t).unwrap();
        check_flow(n, &csr_arcs, &cap, &mf, s, t)?;
        let lp = lp::max_flow_value(n, &csr_arcs, &cap, s, t);
        prop_assert!(close(mf.value, lp), "dinic {} lp {lp}", mf.value);
        let brute = lp::brute_force_min_cut(n, &csr_arcs, &cap, s, t);
        prop_assert!(close(mf.value, brute), "dinic {} brute {brute}", mf.value);
    }

    #[test]
    fn min_cost_max_flow_matches_lp((n, arcs) in graph()) {
        let (g, cap, cost, csr_arcs) = build(n, &arcs);
        let (s, t) = (0, n as u32 - 1);
        let r = min_cost_max_flow(&g, &cap, &cost, s, t).unwrap();
        check_flow(n, &csr_arcs, &cap, &r.max_flow, s, t)?;
        let direct: f64 = r.max_flow.flow.iter().zip(&cost).map(|(f, c)| f * c).sum();
        prop_assert!(close(direct, r.cost));
        let (value, lp_cost) = lp::min_cost_max_flow(n, &csr_arcs, &cap, &cost, s, t);
        prop_assert!(close(r.max_flow.value, value), "value {} lp {value}", r.max_flow.value);
        prop_assert!(
            (r.cost - lp_cost).abs() <= 1e-5 * (1.0 + lp_cost.abs()),
            "cost {} lp {lp_cost}", r.cost
        );
    }

    #[test]
    fn supplies_version_agrees_with_the_st_version((n, arcs) in graph(), b in 0.0f64..100.0) {
        // Supply b at s and demand b at t: cheapest flow of value min(b, max).
        let (g, cap, cost, _) = build(n, &arcs);
        let (s, t) = (0usize, n - 1);
        let mut supply = vec![0.0; n];
        supply[s] = b;
        supply[t] = -b;
        let r = min_cost_flow(&g, &cap, &cost, &supply).unwrap();
        let mf = max_flow(&g, &cap, s as u32, t as u32).unwrap();
        let sent = b.min(mf.value);
        prop_assert!(close(r.unmet, b - sent), "unmet {} expected {}", r.unmet, b - sent);
        if close(sent, mf.value) {
            let full = min_cost_max_flow(&g, &cap, &cost, s as u32, t as u32).unwrap();
            prop_assert!((r.cost - full.cost).abs() <= 1e-6 * (1.0 + full.cost));
        }
    }
}

#[test]
fn the_cheapest_of_two_parallel_ways_fills_first() {
    // 0 -> 1 -> 3 cheap, capacity 4; 0 -> 2 -> 3 dear, capacity 10; sink
    // absorbs 6: the cheap way is full, the dear way carries 2.
    let (g, order) = Csr::from_arcs(5, &[(0, 1), (1, 3), (0, 2), (2, 3), (3, 4)]);
    let cap_in = [4.0, 4.0, 10.0, 10.0, 6.0];
    let cost_in = [1.0, 1.0, 5.0, 5.0, 0.0];
    let cap: Vec<f64> = order.iter().map(|&i| cap_in[i as usize]).collect();
    let cost: Vec<f64> = order.iter().map(|&i| cost_in[i as usize]).collect();
    let r = min_cost_max_flow(&g, &cap, &cost, 0, 4).unwrap();
    assert_eq!(r.max_flow.value, 6.0);
    assert_eq!(r.cost, 4.0 * 2.0 + 2.0 * 10.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// Links without a capacity lower to infinite arcs. The flow is either
    /// reported unbounded (and an LP with a huge bound on those arcs finds a
    /// value beyond every finite capacity) or equals that LP's value.
    #[test]
    fn unlimited_arcs((n, arcs) in graph(), unlimited in proptest::collection::vec(any::<bool>(), 30)) {
        let arcs: Vec<_> = arcs
            .iter()
            .zip(&unlimited)
            .map(|(&(u, v, c, k), &inf)| (u, v, if inf { f64::INFINITY } else { c }, k))
            .collect();
        let (g, cap, cost, csr_arcs) = build(n, &arcs);
        let finite_sum: f64 = cap.iter().filter(|c| c.is_finite()).sum();
        let big = 10.0 * (finite_sum + 1.0);
        let bounded: Vec<f64> = cap.iter().map(|&c| if c.is_finite() { c } else { big }).collect();
        let (s, t) = (0, n as u32 - 1);
        let lp_value = lp::max_flow_value(n, &csr_arcs, &bounded, s, t);
        match max_flow(&g, &cap, s, t) {
            Err(corridor_graph::Error::Unbounded) => prop_assert!(lp_value >= big * 0.999),
            Err(e) => prop_assert!(false, "{e}"),
            Ok(mf) => {
                check_flow(n, &csr_arcs, &cap, &mf, s, t)?;
                prop_assert!(close(mf.value, lp_value), "dinic {} lp {lp_value}", mf.value);
                let r = min_cost_max_flow(&g, &cap, &cost, s, t).unwrap();
                let (_, lp_cost) = lp::min_cost_max_flow(n, &csr_arcs, &bounded, &cost, s, t);
                prop_assert!((r.cost - lp_cost).abs() <= 1e-5 * (1.0 + lp_cost.abs()), "cost {} lp {lp_cost}", r.cost);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Larger graphs, where push–relabel meets gaps, global relabels and
    /// excess that must be returned to the source in phase two.
    #[test]
    fn push_relabel_on_larger_graphs(
        n in 10usize..60,
        raw in proptest::collection::vec((any::<u32>(), any::<u32>(), 0u32..40), 20..300),
    ) {
        let arcs: Vec<(u32, u32, f64, f64)> = raw
            .iter()
            .map(|&(u, v, c)| (u % n as u32, v % n as u32, f64::from(c), 1.0))
            .collect();
        let (g, cap, _, csr_arcs) = build(n, &arcs);
        let (s, t) = (0, n as u32 - 1);
        let mf = max_flow(&g, &cap, s, t).unwrap();
        check_flow(n, &csr_arcs, &cap, &mf, s, t)?;
        let lp = lp::max_flow_value(n, &csr_arcs, &cap, s, t);
        prop_assert!(close(mf.value, lp), "push-relabel {} lp {lp}", mf.value);
    }
}
