//! Property tests: the fast shortest-path algorithms of `corridor-graph`
//! (Dijkstra, bidirectional Dijkstra, A*) against the slow oracles of
//! `corridor_fixtures::reference`, on seeded random graphs with zero-weight
//! arcs, parallel arcs, loops, unreachable parts and closed arcs (infinite
//! or NaN weight). Integer-valued weights keep sums exact, so distances are
//! compared with `==`; a separate test uses real weights and a tolerance.

use corridor_fixtures::reference::{bellman_ford, brute_force_shortest};
use corridor_graph::astar::Landmarks;
use corridor_graph::{
    AStar, ArcIdx, BidirectionalDijkstra, Csr, ReverseGraph, ShortestPath, VertexIdx,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Graph {
    csr: Csr,
    weight: Vec<f64>,
}

fn weight_strategy() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![
        2 => Just(0.0),
        10 => (1u32..50).prop_map(f64::from),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NAN),
    ]
}

fn graph_strategy(
    max_n: usize,
    w: impl Strategy<Value = f64> + Clone + 'static,
) -> impl Strategy<Value = Graph> {
    (1..max_n).prop_flat_map(move |n| {
        let arc = (0..n as u32, 0..n as u32, w.clone());
        proptest::collection::vec(arc, 0..4 * n).prop_map(move |arcs| {
            let pairs: Vec<(VertexIdx, VertexIdx)> = arcs
                .iter()
                .map(|&(t, h, _)| (VertexIdx(t), VertexIdx(h)))
                .collect();
            let (csr, order) = Csr::from_arcs(n, &pairs);
            let weight = order.iter().map(|&i| arcs[i as usize].2).collect();
            Graph { csr, weight }
        })
    })
}

/// Endpoints given as fractions so they stay valid for any vertex count.
fn endpoints(n: usize, picks: &[(f64, u32)]) -> Vec<(VertexIdx, f64)> {
    picks
        .iter()
        .map(|&(f, c)| {
            let v = ((f * n as f64) as usize).min(n - 1);
            (VertexIdx::from_index(v), f64::from(c))
        })
        .collect()
}

/// Checks that `arcs` is a walk from some source to some target whose cost
/// (source offset + arc weights + target offset) is `dist`.
fn check_path(
    g: &Graph,
    arcs: &[ArcIdx],
    sources: &[(VertexIdx, f64)],
    targets: &[(VertexIdx, f64)],
    dist: f64,
) -> Result<(), TestCaseError> {
    let tails = g.csr.tails();
    let start = arcs.first().map(|&a| tails[a.index()]);
    let end = arcs.last().map(|&a| g.csr.head(a));
    for pair in arcs.windows(2) {
        prop_assert_eq!(g.csr.head(pair[0]), tails[pair[1].index()]);
    }
    let sum: f64 = arcs.iter().map(|&a| g.weight[a.index()]).sum();
    let best = sources
        .iter()
        .filter(|s| start.is_none_or(|v| v == s.0))
        .flat_map(|s| {
            targets
                .iter()
                .filter(move |t| end.map_or(t.0 == s.0, |v| v == t.0))
                .map(move |t| s.1 + sum + t.1)
        })
        .fold(f64::INFINITY, f64::min);
    prop_assert_eq!(best, dist, "path {:?} does not cost {}", arcs, dist);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn dijkstra_equals_bellman_ford(
        g in graph_strategy(30, weight_strategy()),
        picks in proptest::collection::vec((0.0f64..1.0, 0u32..5), 1..4),
        picks2 in proptest::collection::vec((0.0f64..1.0, 0u32..5), 1..4),
    ) {
        let n = g.csr.n_vertices();
        let mut sp = ShortestPath::new(n);
        // Two runs on one state: the second checks the partial reset.
        for p in [&picks, &picks2] {
            let sources = endpoints(n, p);
            let bf = bellman_ford(&g.csr, &g.weight, &sources);
            sp.run(&g.csr, &g.weight, &sources, None);
            prop_assert_eq!(sp.distances(), &bf[..]);
            let tails = g.csr.tails();
            for v in g.csr.vertices() {
                if let Some(arcs) = sp.path_arcs(&tails, v) {
                    check_path(&g, &arcs, &sources, &[(v, 0.0)], bf[v.index()])?;
                }
            }
        }
    }

    #[test]
    fn dijkstra_stopping_at_a_target_gives_its_distance(
        g in graph_strategy(30, weight_strategy()),
        picks in proptest::collection::vec((0.0f64..1.0, 0u32..5), 1..4),
        t in 0.0f64..1.0,
    ) {
        let n = g.csr.n_vertices();
        let sources = endpoints(n, &picks);
        let t = endpoints(n, &[(t, 0)])[0].0;
        let bf = bellman_ford(&g.csr, &g.weight, &sources);
        let mut sp = ShortestPath::new(n);
        let got = sp.run(&g.csr, &g.weight, &sources, Some(t));
        prop_assert_eq!(got, bf[t.index()].is_finite().then_some(bf[t.index()]));
    }

    #[test]
    fn bidirectional_equals_bellman_ford(
        g in graph_strategy(30, weight_strategy()),
        picks in proptest::collection::vec((0.0f64..1.0, 0u32..5), 1..4),
        tpicks in proptest::collection::vec((0.0f64..1.0, 0u32..5), 1..4),
    ) {
        let n = g.csr.n_vertices();
        let (sources, targets) = (endpoints(n, &picks), endpoints(n, &tpicks));
        let bf = bellman_ford(&g.csr, &g.weight, &sources);
        let want = targets.iter().map(|&(t, c)| bf[t.index()] + c).fold(f64::INFINITY, f64::min);
        let rev = ReverseGraph::new(&g.csr);
        let rw = rev.weights(&g.weight);
        let mut bd = BidirectionalDijkstra::new(n);
        let got = bd.run(&g.csr, &g.weight, &rev, &rw, &sources, &targets);
        prop_assert_eq!(got, want.is_finite().then_some(want));
        match bd.path_arcs(&g.csr, &rev) {
            Some(arcs) => check_path(&g, &arcs, &sources, &targets, want)?,
            None => prop_assert!(got.is_none()),
        }
    }

    #[test]
    fn astar_with_an_admissible_potential_equals_bellman_ford(
        g in graph_strategy(30, weight_strategy()),
        picks in proptest::collection::vec((0.0f64..1.0, 0u32..5), 1..4),
        t in 0.0f64..1.0,
        scale in proptest::collection::vec(0.0f64..=1.0, 30),
        consistent in any::<bool>(),
    ) {
        let n = g.csr.n_vertices();
        let sources = endpoints(n, &picks);
        let t = endpoints(n, &[(t, 0)])[0].0;
        let bf = bellman_ford(&g.csr, &g.weight, &sources);
        // Exact distances to t, scaled down: one factor for all vertices
        // is consistent; a factor per vertex is admissible only.
        let rev = ReverseGraph::new(&g.csr);
        let to_t = bellman_ford(&rev.csr, &rev.weights(&g.weight), &[(t, 0.0)]);
        let pot = |v: VertexIdx| {
            let f = if consistent { scale[0] } else { scale[v.index()] };
            if to_t[v.index()].is_finite() { f * to_t[v.index()] } else { f64::INFINITY }
        };
        let mut a = AStar::new(n);
        let got = a.run(&g.csr, &g.weight, &sources, t, pot);
        prop_assert_eq!(got, bf[t.index()].is_finite().then_some(bf[t.index()]));
        if let Some(d) = got {
            let arcs = a.path_arcs(&g.csr.tails(), t).unwrap();
            check_path(&g, &arcs, &sources, &[(t, 0.0)], d)?;
        }
    }

    #[test]
    fn astar_with_landmarks_equals_bellman_ford(
        g in graph_strategy(30, weight_strategy()),
        picks in proptest::collection::vec((0.0f64..1.0, 0u32..5), 1..3),
        t in 0.0f64..1.0,
        start in 0.0f64..1.0,
        k in 0usize..4,
    ) {
        let n = g.csr.n_vertices();
        let sources = endpoints(n, &picks);
        let t = endpoints(n, &[(t, 0)])[0].0;
        let start = endpoints(n, &[(start, 0)])[0].0;
        let bf = bellman_ford(&g.csr, &g.weight, &sources);
        let rev = ReverseGraph::new(&g.csr);
        let rw = rev.weights(&g.weight);
        let lm = Landmarks::new(&g.csr, &g.weight, &rev, &rw, k, start);
        // The potential is a lower bound on the true distance to t.
        let to_t = bellman_ford(&rev.csr, &rw, &[(t, 0.0)]);
        let pot = lm.potential(t);
        for v in g.csr.vertices() {
            prop_assert!(pot(v) <= to_t[v.index()], "pot({}) = {} > {}", v, pot(v), to_t[v.index()]);
        }
        let mut a = AStar::new(n);
        let got = a.run(&g.csr, &g.weight, &sources, t, lm.potential(t));
        prop_assert_eq!(got, bf[t.index()].is_finite().then_some(bf[t.index()]));
    }

    #[test]
    fn dijkstra_equals_brute_force_on_tiny_graphs(
        g in graph_strategy(7, weight_strategy()),
        s in 0.0f64..1.0,
        t in 0.0f64..1.0,
    ) {
        let n = g.csr.n_vertices();
        let (s, t) = (endpoints(n, &[(s, 0)])[0].0, endpoints(n, &[(t, 0)])[0].0);
        let mut sp = ShortestPath::new(n);
        let got = sp.run(&g.csr, &g.weight, &[(s, 0.0)], Some(t));
        prop_assert_eq!(got, brute_force_shortest(&g.csr, &g.weight, s, t));
    }

    #[test]
    fn real_weights_agree_within_rounding(
        g in graph_strategy(40, 0.0f64..10.0),
        picks in proptest::collection::vec((0.0f64..1.0, 0u32..5), 1..3),
        t in 0.0f64..1.0,
    ) {
        let n = g.csr.n_vertices();
        let sources = endpoints(n, &picks);
        let t = endpoints(n, &[(t, 0)])[0].0;
        let bf = bellman_ford(&g.csr, &g.weight, &sources);
        let mut sp = ShortestPath::new(n);
        sp.run(&g.csr, &g.weight, &sources, None);
        for (&a, &b) in sp.distances().iter().zip(&bf) {
            prop_assert!(a == b || (a - b).abs() <= 1e-9 * b.abs().max(1.0), "{} vs {}", a, b);
        }
        let rev = ReverseGraph::new(&g.csr);
        let rw = rev.weights(&g.weight);
        let mut bd = BidirectionalDijkstra::new(n);
        let got = bd.run(&g.csr, &g.weight, &rev, &rw, &sources, &[(t, 0.0)]).unwrap_or(f64::INFINITY);
        let b = bf[t.index()];
        prop_assert!(got == b || (got - b).abs() <= 1e-9 * b.abs().max(1.0), "{} vs {}", got, b);
    }
}
