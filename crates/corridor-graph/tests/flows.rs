//! Property tests of max flow, min cut and min-cost max-flow against
//! independent oracles: an LP (good_lp + microlp, in `corridor-fixtures`)
//! and a brute-force enumeration of cuts on tiny graphs.

use corridor_fixtures::lp;
use corridor_graph::max_flow::{MaxFlow, max_flow};
use corridor_graph::min_cost_flow::{
    min_cost_flow, min_cost_max_flow, min_cost_max_flow_exact, min_cost_max_flow_ssp,
};
use corridor_graph::{Csr, VertexIdx as V};
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
    let pairs: Vec<(V, V)> = arcs.iter().map(|a| (V(a.0), V(a.1))).collect();
    let (g, order) = Csr::from_arcs(n, &pairs);
    let cap = order.iter().map(|&i| arcs[i as usize].2).collect();
    let cost = order.iter().map(|&i| arcs[i as usize].3).collect();
    let tails = g.tails();
    let csr_arcs = g
        .arcs()
        .map(|a| (tails[a.index()].0, g.head(a).0))
        .collect();
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
    let cut: f64 = mf.cut_arcs.iter().map(|&a| cap[a.index()]).sum();
    prop_assert!(close(cut, mf.value), "cut {cut} vs value {}", mf.value);
    for &a in &mf.cut_arcs {
        prop_assert!(
            close(mf.flow[a.index()], cap[a.index()]),
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
        let mf = max_flow(&g, &cap, V(s), V(t)).unwrap();
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
        let r = min_cost_max_flow(&g, &cap, &cost, V(s), V(t)).unwrap();
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
        let mf = max_flow(&g, &cap, V(s as u32), V(t as u32)).unwrap();
        let sent = b.min(mf.value);
        prop_assert!(close(r.unmet, b - sent), "unmet {} expected {}", r.unmet, b - sent);
        if close(sent, mf.value) {
            let full = min_cost_max_flow(&g, &cap, &cost, V(s as u32), V(t as u32)).unwrap();
            prop_assert!((r.cost - full.cost).abs() <= 1e-6 * (1.0 + full.cost));
        }
    }
}

#[test]
fn the_cheapest_of_two_parallel_ways_fills_first() {
    // 0 -> 1 -> 3 cheap, capacity 4; 0 -> 2 -> 3 dear, capacity 10; sink
    // absorbs 6: the cheap way is full, the dear way carries 2.
    let (g, order) = Csr::from_arcs(
        5,
        &[
            (V(0), V(1)),
            (V(1), V(3)),
            (V(0), V(2)),
            (V(2), V(3)),
            (V(3), V(4)),
        ],
    );
    let cap_in = [4.0, 4.0, 10.0, 10.0, 6.0];
    let cost_in = [1.0, 1.0, 5.0, 5.0, 0.0];
    let cap: Vec<f64> = order.iter().map(|&i| cap_in[i as usize]).collect();
    let cost: Vec<f64> = order.iter().map(|&i| cost_in[i as usize]).collect();
    let r = min_cost_max_flow(&g, &cap, &cost, V(0), V(4)).unwrap();
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
        match max_flow(&g, &cap, V(s), V(t)) {
            Err(corridor_graph::Error::Unbounded) => prop_assert!(lp_value >= big * 0.999),
            Err(e) => prop_assert!(false, "{e}"),
            Ok(mf) => {
                check_flow(n, &csr_arcs, &cap, &mf, s, t)?;
                prop_assert!(close(mf.value, lp_value), "dinic {} lp {lp_value}", mf.value);
                let r = min_cost_max_flow(&g, &cap, &cost, V(s), V(t)).unwrap();
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
        let mf = max_flow(&g, &cap, V(s), V(t)).unwrap();
        check_flow(n, &csr_arcs, &cap, &mf, s, t)?;
        let lp = lp::max_flow_value(n, &csr_arcs, &cap, s, t);
        prop_assert!(close(mf.value, lp), "push-relabel {} lp {lp}", mf.value);
    }
}

/// A random integer graph for the exact solver: parallel arcs, self-loops
/// and zero-capacity arcs occur; costs come from a small set with zero
/// twice, so zero-cost cycles and ties between paths are common; the last
/// vertex (the sink) is sometimes unreachable because no arc enters it.
fn int_graph(
    max_n: usize,
    max_m: usize,
) -> impl Strategy<Value = (usize, Vec<(u32, u32, i64, i64)>)> {
    (2usize..max_n).prop_flat_map(move |n| {
        let arc = (
            0..n as u32,
            0..n as u32,
            prop_oneof![Just(0i64), 1i64..10, 1i64..1000],
            prop_oneof![Just(0i64), Just(0i64), 1i64..5, 1i64..100],
        );
        (Just(n), proptest::collection::vec(arc, 0..max_m))
    })
}

type BuiltInt = (Csr, Vec<i64>, Vec<i64>, Vec<(u32, u32)>);

fn build_int(n: usize, arcs: &[(u32, u32, i64, i64)]) -> BuiltInt {
    let pairs: Vec<(V, V)> = arcs.iter().map(|a| (V(a.0), V(a.1))).collect();
    let (g, order) = Csr::from_arcs(n, &pairs);
    let cap = order.iter().map(|&i| arcs[i as usize].2).collect();
    let cost = order.iter().map(|&i| arcs[i as usize].3).collect();
    let tails = g.tails();
    let csr_arcs = g
        .arcs()
        .map(|a| (tails[a.index()].0, g.head(a).0))
        .collect();
    (g, cap, cost, csr_arcs)
}

/// Feasibility and the optimality certificate of an integer s–t flow,
/// checked from scratch: bounds, conservation, value, and no negative
/// cycle in the residual graph (Bellman–Ford from a virtual root at
/// distance 0 to every vertex: a relaxation still possible after n rounds
/// means a negative cycle, i.e. a cheaper flow of the same value).
/// `(s, t)` are the terminals; `solution` is the flow per arc and its value.
fn check_exact(
    n: usize,
    arcs: &[(u32, u32)],
    cap: &[i64],
    cost: &[i64],
    solution: (&[i64], i64),
    (s, t): (u32, u32),
) -> Result<(), TestCaseError> {
    let (flow, value) = solution;
    let mut net = vec![0i64; n];
    for (a, &(u, v)) in arcs.iter().enumerate() {
        prop_assert!(
            flow[a] >= 0 && flow[a] <= cap[a],
            "arc {a}: flow {} cap {}",
            flow[a],
            cap[a]
        );
        net[u as usize] += flow[a];
        net[v as usize] -= flow[a];
    }
    for (v, &x) in net.iter().enumerate() {
        let want = if v == s as usize {
            value
        } else if v == t as usize {
            -value
        } else {
            0
        };
        prop_assert_eq!(x, want, "vertex {} imbalance", v);
    }
    let mut residual = Vec::new();
    for (a, &(u, v)) in arcs.iter().enumerate() {
        if flow[a] < cap[a] {
            residual.push((u as usize, v as usize, cost[a]));
        }
        if flow[a] > 0 {
            residual.push((v as usize, u as usize, -cost[a]));
        }
    }
    let mut d = vec![0i64; n];
    for round in 0..=n {
        let mut changed = false;
        for &(u, v, c) in &residual {
            if d[u] + c < d[v] {
                d[v] = d[u] + c;
                changed = true;
            }
        }
        if !changed {
            return Ok(());
        }
        prop_assert!(
            round < n,
            "negative cycle in the residual graph: not a cheapest flow"
        );
    }
    Ok(())
}

/// The exact solver's integer cost against the LP oracle's floating-point
/// optimum. The pure-Rust simplex stops within its own feasibility
/// tolerance (seen: 55.99994 for an exact 56, a relative 1e-6), so the
/// comparison allows 1e-4; exactness itself is checked by the SSP oracle and
/// the negative-cycle certificate.
fn lp_agrees(exact: f64, lp: f64) -> bool {
    (exact - lp).abs() <= 1e-4 * (1.0 + lp.abs())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The exact (integer) cost-scaling solver against the LP, the old
    /// successive-shortest-paths solver and a negative-cycle certificate.
    #[test]
    fn exact_min_cost_max_flow_matches_lp_and_ssp((n, arcs) in int_graph(10, 30)) {
        let (g, cap, cost, csr_arcs) = build_int(n, &arcs);
        let (s, t) = (0, n as u32 - 1);
        let r = min_cost_max_flow_exact(&g, &cap, &cost, V(s), V(t)).unwrap();
        check_exact(n, &csr_arcs, &cap, &cost, (&r.flow, r.value), (s, t))?;
        let capf: Vec<f64> = cap.iter().map(|&c| c as f64).collect();
        let costf: Vec<f64> = cost.iter().map(|&c| c as f64).collect();
        let (lp_value, lp_cost) = lp::min_cost_max_flow(n, &csr_arcs, &capf, &costf, s, t);
        prop_assert!(close(r.value as f64, lp_value), "value {} lp {lp_value}", r.value);
        prop_assert!(lp_agrees(r.cost as f64, lp_cost), "cost {} lp {lp_cost}", r.cost);
        let ssp = min_cost_max_flow_ssp(&g, &capf, &costf, V(s), V(t)).unwrap();
        prop_assert_eq!(ssp.max_flow.value, r.value as f64);
        prop_assert_eq!(ssp.cost, r.cost as f64);
        // The f64 entry point gives the same answer on whole numbers.
        let f = min_cost_max_flow(&g, &capf, &costf, V(s), V(t)).unwrap();
        prop_assert_eq!(f.max_flow.value, r.value as f64);
        prop_assert_eq!(f.cost, r.cost as f64);
    }

    /// Capacities beyond `i32` take the solver's 24-byte arc path; scaling
    /// every capacity by 2^33 must scale value and cost by exactly 2^33.
    #[test]
    fn wide_capacities_scale_exactly((n, arcs) in int_graph(10, 30)) {
        let (g, cap, cost, csr_arcs) = build_int(n, &arcs);
        let (s, t) = (0, n as u32 - 1);
        let k = 1i64 << 33;
        let wide: Vec<i64> = cap.iter().map(|&c| c * k).collect();
        let r = min_cost_max_flow_exact(&g, &cap, &cost, V(s), V(t)).unwrap();
        let w = min_cost_max_flow_exact(&g, &wide, &cost, V(s), V(t)).unwrap();
        check_exact(n, &csr_arcs, &wide, &cost, (&w.flow, w.value), (s, t))?;
        prop_assert_eq!(w.value, r.value * k);
        prop_assert_eq!(w.cost, r.cost * i128::from(k));
    }

    /// Negative costs (allowed by the exact solver): negative cycles are
    /// used to their capacity; the LP and the certificate agree.
    #[test]
    fn exact_solver_with_negative_costs((n, arcs) in int_graph(9, 25), shift in 0i64..60) {
        let arcs: Vec<_> = arcs.iter().map(|&(u, v, c, k)| (u, v, c, k - shift)).collect();
        let (g, cap, cost, csr_arcs) = build_int(n, &arcs);
        let (s, t) = (0, n as u32 - 1);
        let r = min_cost_max_flow_exact(&g, &cap, &cost, V(s), V(t)).unwrap();
        check_exact(n, &csr_arcs, &cap, &cost, (&r.flow, r.value), (s, t))?;
        let capf: Vec<f64> = cap.iter().map(|&c| c as f64).collect();
        let costf: Vec<f64> = cost.iter().map(|&c| c as f64).collect();
        let (_, lp_cost) = lp::min_cost_max_flow(n, &csr_arcs, &capf, &costf, s, t);
        prop_assert!(lp_agrees(r.cost as f64, lp_cost), "cost {} lp {lp_cost}", r.cost);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(80))]

    /// Larger graphs, where the cost-scaling refine runs several phases and
    /// many price updates: agreement with successive shortest paths and the
    /// certificate (the LP is too slow at this size).
    #[test]
    fn cost_scaling_on_larger_graphs_matches_ssp(
        n in 10usize..80,
        raw in proptest::collection::vec((any::<u32>(), any::<u32>(), 0i64..60, 0i64..1000), 20..500),
    ) {
        let arcs: Vec<(u32, u32, i64, i64)> = raw
            .iter()
            .map(|&(u, v, c, k)| (u % n as u32, v % n as u32, c, k))
            .collect();
        let (g, cap, cost, csr_arcs) = build_int(n, &arcs);
        let (s, t) = (0, n as u32 - 1);
        let r = min_cost_max_flow_exact(&g, &cap, &cost, V(s), V(t)).unwrap();
        check_exact(n, &csr_arcs, &cap, &cost, (&r.flow, r.value), (s, t))?;
        let capf: Vec<f64> = cap.iter().map(|&c| c as f64).collect();
        let costf: Vec<f64> = cost.iter().map(|&c| c as f64).collect();
        let ssp = min_cost_max_flow_ssp(&g, &capf, &costf, V(s), V(t)).unwrap();
        prop_assert_eq!(ssp.max_flow.value, r.value as f64);
        prop_assert_eq!(ssp.cost, r.cost as f64);
    }

    /// Fractional capacities and costs (t/day and money): the f64 entry
    /// point, which scales them to integers, against SSP on the same data.
    #[test]
    fn fractional_data_matches_ssp((n, arcs) in graph()) {
        let (g, cap, cost, csr_arcs) = build(n, &arcs);
        let (s, t) = (0, n as u32 - 1);
        let r = min_cost_max_flow(&g, &cap, &cost, V(s), V(t)).unwrap();
        check_flow(n, &csr_arcs, &cap, &r.max_flow, s, t)?;
        let ssp = min_cost_max_flow_ssp(&g, &cap, &cost, V(s), V(t)).unwrap();
        prop_assert!(close(r.max_flow.value, ssp.max_flow.value));
        prop_assert!((r.cost - ssp.cost).abs() <= 1e-6 * (1.0 + ssp.cost.abs()), "cost {} ssp {}", r.cost, ssp.cost);
    }
}

#[test]
fn exact_solver_rejects_numbers_it_cannot_hold() {
    let (g, _) = Csr::from_arcs(2, &[(V(0), V(1))]);
    assert!(min_cost_max_flow_exact(&g, &[-1], &[1], V(0), V(1)).is_err());
    assert!(min_cost_max_flow_exact(&g, &[1 << 51], &[1], V(0), V(1)).is_err());
    assert!(min_cost_max_flow_exact(&g, &[1], &[i64::MAX / 2], V(0), V(1)).is_err());
    assert!(min_cost_max_flow_exact(&g, &[1], &[1], V(0), V(0)).is_err());
    assert!(min_cost_max_flow_exact(&g, &[1, 2], &[1], V(0), V(1)).is_err());
}

#[test]
fn extreme_magnitudes_are_scaled_not_rejected() {
    // Capacities and costs far below and far above 1: the f64 entry point
    // scales them by powers of two into the integer solver's range.
    let (g, _) = Csr::from_arcs(2, &[(V(0), V(1)), (V(0), V(1))]);
    for (cap, cost) in [
        ([3e-200, 2e-200], [5.0, 1.0]),
        ([3.0, 2.0], [5e-200, 1e-200]),
        ([3e300, 2e300], [5e-3, 1e-3]),
        ([3.0, 2.0], [5e250, 1e250]),
    ] {
        let r = min_cost_max_flow(&g, &cap, &cost, V(0), V(1)).unwrap();
        let total = cap[0] + cap[1];
        assert!((r.max_flow.value - total).abs() <= 1e-9 * total, "{cap:?}");
        let want = cap[0] * cost[0] + cap[1] * cost[1];
        assert!(
            (r.cost - want).abs() <= 1e-9 * want,
            "{cap:?} {cost:?}: {}",
            r.cost
        );
    }
}

/// A vast capacity beside ordinary ones used to round them to zero (issue
/// 11: a link of 1e20 t/day made the corridor's maximum 0, 1e16 made it
/// 24,096 instead of 24,110). Relaxing it must give the exact answer.
#[test]
fn vast_capacities_do_not_round_ordinary_ones_away() {
    // 0 -> 1 -> 2 -> 3, plus 0 -> 2 directly; the vast arc is 1 -> 2.
    let (g, order) = Csr::from_arcs(4, &[(V(0), V(1)), (V(1), V(2)), (V(2), V(3)), (V(0), V(2))]);
    let input_caps = [24_110.5, 0.0, 30_000.25, 7.125];
    for vast in [1e16, 1e20, 1e300, f64::MAX] {
        let mut input = input_caps;
        input[1] = vast;
        let caps: Vec<f64> = order.iter().map(|&i| input[i as usize]).collect();
        let cost: Vec<f64> = order
            .iter()
            .map(|&i| [1.0, 2.0, 3.0, 10.0][i as usize])
            .collect();
        let m = corridor_graph::max_flow::max_flow(&g, &caps, V(0), V(3)).unwrap();
        assert_eq!(m.value, 24_110.5 + 7.125, "max_flow with {vast}");
        let c =
            corridor_graph::min_cost_flow::min_cost_max_flow(&g, &caps, &cost, V(0), V(3)).unwrap();
        assert_eq!(
            c.max_flow.value,
            24_110.5 + 7.125,
            "min_cost_max_flow with {vast}"
        );
        assert_eq!(c.cost, 24_110.5 * 6.0 + 7.125 * 13.0);
    }
    // Two equal vast capacities (a link's two directions) are one group.
    let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(0)), (V(1), V(2))]);
    let input = [1e20, 1e20, 24_110.0];
    let caps: Vec<f64> = order.iter().map(|&i| input[i as usize]).collect();
    assert_eq!(
        corridor_graph::max_flow::max_flow(&g, &caps, V(0), V(2))
            .unwrap()
            .value,
        24_110.0
    );
    // Where the vast capacity itself binds, the value is that capacity.
    let (g, order) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2)), (V(0), V(2))]);
    let input = [1e20, f64::INFINITY, 5.0];
    let caps: Vec<f64> = order.iter().map(|&i| input[i as usize]).collect();
    let m = corridor_graph::max_flow::max_flow(&g, &caps, V(0), V(2)).unwrap();
    assert_eq!(m.value, 1e20 + 5.0);
}
