//! CCH against Dijkstra: distances on random graphs with every awkward
//! kind of arc, unpacked paths that are real and add up, and a grid with
//! 10,000 pairs.

use super::*;
use crate::csr::{ArcIdx, Csr, VertexIdx};
use crate::shortest_path::{INFINITY, ShortestPath};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Checks that `path` runs from one of `sources` to `t` and weighs `dist`.
fn check_path(
    g: &Csr,
    tails: &[VertexIdx],
    w: &[f64],
    s: VertexIdx,
    t: VertexIdx,
    path: &[ArcIdx],
    dist: f64,
) {
    let mut at = s;
    let mut sum = 0.0;
    for &a in path {
        assert_eq!(tails[a.index()], at, "path breaks at arc {a}");
        at = g.head(a);
        sum += w[a.index()];
    }
    assert_eq!(at, t, "path ends elsewhere");
    assert!(
        (sum - dist).abs() <= 1e-9 * dist.max(1.0),
        "path weighs {sum}, query said {dist}"
    );
}

/// Every pair of a graph: CCH distance equals Dijkstra's, and paths check.
fn all_pairs_agree(g: &Csr, w: &[f64], coords: Option<&[(f64, f64)]>) {
    let n = g.n_vertices();
    let order = nested_dissection_order(g, coords);
    let mut seen = vec![false; n];
    for v in &order {
        assert!(!seen[v.index()], "order repeats {v}");
        seen[v.index()] = true;
    }
    let cch = Cch::new(g, &order);
    let metric = cch.customize(w);
    let tails = g.tails();
    let mut sp = ShortestPath::new(n);
    let mut q = CchQuery::new(n);
    let all: Vec<Vec<(VertexIdx, f64)>> = g.vertices().map(|v| vec![(v, 0.0)]).collect();
    let matrix = many_to_many(&metric, &all, &all, &arc_counts(g));
    for s in g.vertices() {
        sp.run(g, w, &[(s, 0.0)], None);
        for t in g.vertices() {
            let got = q.run(&metric, &[(s, 0.0)], &[(t, 0.0)]);
            let sums = path_sums(&q.path_arcs(&metric));
            let want = got.map(|d| (d, sums));
            assert_eq!(matrix[s.index() * n + t.index()], want, "{s} -> {t}");
        }
        for t in g.vertices() {
            let got = q.run(&metric, &[(s, 0.0)], &[(t, 0.0)]);
            let want = sp.reached(t).then(|| sp.dist(t));
            match (got, want) {
                (Some(a), Some(b)) => {
                    assert!(
                        (a - b).abs() <= 1e-9 * b.max(1.0),
                        "{s} -> {t}: cch {a}, dijkstra {b}"
                    );
                    check_path(g, &tails, w, s, t, &q.path_arcs(&metric), a);
                }
                (None, None) => assert!(q.path_arcs(&metric).is_empty()),
                _ => panic!("{s} -> {t}: cch {got:?}, dijkstra {want:?}"),
            }
        }
    }
}

/// Extra per-arc quantities whose path sums are exact: one per arc and
/// the arc's index.
fn arc_counts(g: &Csr) -> Vec<[f64; 2]> {
    (0..g.n_arcs()).map(|a| [1.0, a as f64]).collect()
}

fn path_sums(path: &[ArcIdx]) -> [f64; 2] {
    [
        path.len() as f64,
        path.iter().map(|a| a.index() as f64).sum(),
    ]
}

/// Arc weights: zero, small integers, or closed (infinite or NaN).
fn weight_strategy() -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(0.0),
        6 => (1u32..20).prop_map(f64::from),
        1 => Just(INFINITY),
        1 => Just(f64::NAN),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn distances_and_paths_match_dijkstra(
        n in 1usize..30,
        raw in prop::collection::vec((0u32..30, 0u32..30, weight_strategy()), 0..90),
        use_coords in any::<bool>(),
        coord_seed in any::<u64>(),
    ) {
        // Arcs may repeat (parallel), loop, or run one way only.
        let arcs: Vec<(VertexIdx, VertexIdx)> = raw
            .iter()
            .map(|&(t, h, _)| (VertexIdx(t % n as u32), VertexIdx(h % n as u32)))
            .collect();
        let (g, order) = Csr::from_arcs(n, &arcs);
        let w: Vec<f64> = order.iter().map(|&i| raw[i as usize].2).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(coord_seed);
        let coords: Vec<(f64, f64)> =
            (0..n).map(|_| (rng.random_range(0.0..10.0), rng.random_range(0.0..10.0))).collect();
        all_pairs_agree(&g, &w, use_coords.then_some(&coords[..]));
    }
}

/// A `w × h` grid, arcs both ways with some one-way and closed, weights in
/// `1..100`, plus coordinates.
fn grid(w: u32, h: u32, seed: u64) -> (Csr, Vec<f64>, Vec<(f64, f64)>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let id = |x: u32, y: u32| VertexIdx(y * w + x);
    let mut arcs = Vec::new();
    let mut weights = Vec::new();
    for y in 0..h {
        for x in 0..w {
            for (nx, ny) in [(x + 1, y), (x, y + 1)] {
                if nx >= w || ny >= h {
                    continue;
                }
                let c = rng.random_range(1.0..100.0f64).round();
                let mut both = [true, true];
                if rng.random_bool(0.05) {
                    both[rng.random_range(0..2)] = false;
                }
                if both[0] {
                    arcs.push((id(x, y), id(nx, ny)));
                    weights.push(if rng.random_bool(0.01) { INFINITY } else { c });
                }
                if both[1] {
                    arcs.push((id(nx, ny), id(x, y)));
                    weights.push(c);
                }
            }
        }
    }
    let (g, order) = Csr::from_arcs((w * h) as usize, &arcs);
    let weight = order.iter().map(|&i| weights[i as usize]).collect();
    let coords = (0..w * h)
        .map(|v| ((v % w) as f64, (v / w) as f64))
        .collect();
    (g, weight, coords)
}

#[test]
fn small_grids_agree_on_every_pair() {
    for seed in 0..3 {
        let (g, w, coords) = grid(9, 7, seed);
        all_pairs_agree(&g, &w, Some(&coords));
        all_pairs_agree(&g, &w, None);
    }
}

#[test]
fn ten_thousand_pairs_on_a_grid_agree_with_dijkstra() {
    let (g, w, coords) = grid(120, 100, 7);
    let n = g.n_vertices();
    let cch = Cch::new(&g, &nested_dissection_order(&g, Some(&coords)));
    let metric = cch.customize(&w);
    let tails = g.tails();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut sp = ShortestPath::new(n);
    let mut q = CchQuery::new(n);
    let mut checked = 0;
    // The same pairs as one 100 × 100 matrix.
    let pick = |rng: &mut ChaCha8Rng| VertexIdx(rng.random_range(0..n as u32));
    let sources: Vec<VertexIdx> = (0..100).map(|_| pick(&mut rng)).collect();
    let targets: Vec<VertexIdx> = (0..100).map(|_| pick(&mut rng)).collect();
    let one = |v: &VertexIdx| vec![(*v, 0.0)];
    let matrix = many_to_many(
        &metric,
        &sources.iter().map(one).collect::<Vec<_>>(),
        &targets.iter().map(one).collect::<Vec<_>>(),
        &arc_counts(&g),
    );
    for (i, &s) in sources.iter().enumerate() {
        sp.run(&g, &w, &[(s, 0.0)], None);
        for (j, &t) in targets.iter().enumerate() {
            let got = q.run(&metric, &[(s, 0.0)], &[(t, 0.0)]);
            let want = sp.reached(t).then(|| sp.dist(t));
            assert_eq!(got, want, "{s} -> {t}");
            let sums = path_sums(&q.path_arcs(&metric));
            assert_eq!(matrix[i * 100 + j], got.map(|d| (d, sums)), "{s} -> {t}");
            if let Some(d) = got {
                check_path(&g, &tails, &w, s, t, &q.path_arcs(&metric), d);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 10_000);
}

#[test]
fn several_sources_and_targets_with_offsets() {
    let (g, w, coords) = grid(15, 12, 3);
    let n = g.n_vertices();
    let cch = Cch::new(&g, &nested_dissection_order(&g, Some(&coords)));
    let metric = cch.customize(&w);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut sp = ShortestPath::new(n);
    let mut q = CchQuery::new(n);
    for _ in 0..200 {
        let pick = |rng: &mut ChaCha8Rng| -> Vec<(VertexIdx, f64)> {
            (0..rng.random_range(1..4))
                .map(|_| {
                    (
                        VertexIdx(rng.random_range(0..n as u32)),
                        rng.random_range(0..30) as f64,
                    )
                })
                .collect()
        };
        let (sources, targets) = (pick(&mut rng), pick(&mut rng));
        sp.run(&g, &w, &sources, None);
        let want = targets
            .iter()
            .map(|&(t, d)| sp.dist(t) + d)
            .fold(INFINITY, f64::min);
        let got = q.run(&metric, &sources, &targets).unwrap_or(INFINITY);
        assert_eq!(got, want, "{sources:?} -> {targets:?}");
        let sums = path_sums(&q.path_arcs(&metric));
        let m = many_to_many(
            &metric,
            std::slice::from_ref(&sources),
            std::slice::from_ref(&targets),
            &arc_counts(&g),
        );
        assert_eq!(m[0].map(|x| x.0).unwrap_or(INFINITY), want);
        if let Some((_, got_sums)) = m[0] {
            assert_eq!(got_sums, sums, "{sources:?} -> {targets:?}");
        }
        // One forward search, several targets in turn.
        q.start(&metric, &sources);
        for t in (0..n as u32).step_by(17) {
            let got = q.to(&metric, &[(VertexIdx(t), 0.0)]);
            assert_eq!(got, sp.reached(VertexIdx(t)).then(|| sp.dist(VertexIdx(t))));
        }
    }
}

#[test]
fn a_new_metric_reuses_the_topology() {
    let (g, w, coords) = grid(10, 10, 9);
    let order = nested_dissection_order(&g, Some(&coords));
    let cch = Cch::new(&g, &order);
    assert_eq!(cch.order(), order);
    assert!(cch.n_edges() >= g.n_arcs() / 2);
    assert!(cch.elimination_tree_height() <= g.n_vertices());
    let closed: Vec<f64> = w
        .iter()
        .enumerate()
        .map(|(a, &x)| if a % 7 == 0 { INFINITY } else { x * 2.0 })
        .collect();
    let (m1, m2) = (cch.customize(&w), cch.customize(&closed));
    let mut q = CchQuery::new(g.n_vertices());
    let mut sp = ShortestPath::new(g.n_vertices());
    for (metric, weight) in [(&m1, &w), (&m2, &closed)] {
        let s = VertexIdx(0);
        sp.run(&g, weight, &[(s, 0.0)], None);
        for t in g.vertices() {
            let got = q.run(metric, &[(s, 0.0)], &[(t, 0.0)]);
            assert_eq!(got, sp.reached(t).then(|| sp.dist(t)));
        }
    }
}

#[test]
fn customization_does_not_depend_on_the_threads() {
    let (g, w, coords) = grid(40, 30, 13);
    let cch = Cch::new(&g, &nested_dissection_order(&g, Some(&coords)));
    let parallel = cch.customize(&w);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let sequential = one.install(|| cch.customize(&w));
    assert_eq!(parallel.fwd, sequential.fwd);
    assert_eq!(parallel.bwd, sequential.bwd);
    assert_eq!(parallel.fwd_via, sequential.fwd_via);
    assert_eq!(parallel.bwd_via, sequential.bwd_via);
}

/// The customization of `cch` on one thread and on a pool of three.
fn customize_one_and_three(cch: &Cch, w: &[f64]) -> [CchMetric<'static>; 2] {
    let cch = std::sync::Arc::new(cch.clone());
    [1, 3].map(|threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| Cch::customize_shared(&cch, w))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// One thread (one scratch map, no lock) and three (levels, heavy
    /// vertices split; small thresholds in tests) give the same weights
    /// and the same choices among ties, on both orders.
    #[test]
    fn customization_with_ties_does_not_depend_on_the_threads(
        (n, arcs) in crate::test_support::tie_heavy_graph(1),
        level_sets in any::<bool>(),
    ) {
        let ends: Vec<_> = arcs.iter().map(|&(t, h, _)| (VertexIdx(t), VertexIdx(h))).collect();
        let (g, order) = Csr::from_arcs(n, &ends);
        let w: Vec<f64> = order.iter().map(|&i| arcs[i as usize].2).collect();
        let rank = if level_sets { level_set_order(&g) } else { nested_dissection_order(&g, None) };
        let [one, three] = customize_one_and_three(&Cch::new(&g, &rank), &w);
        prop_assert_eq!(&one.fwd_via, &three.fwd_via);
        prop_assert_eq!(&one.bwd_via, &three.bwd_via);
        // Bitwise, so that NaN-free infinities and zeros compare exactly.
        let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(&one.fwd), bits(&three.fwd));
        prop_assert_eq!(bits(&one.bwd), bits(&three.bwd));
    }
}

/// The quick order (level sets and flow cuts, which tests run on cells of
/// 16 vertices and more) on a grid big enough for several levels of
/// dissection: a permutation (`Cch::new` checks), distances Dijkstra's.
#[test]
fn the_level_set_order_gives_exact_distances_on_a_grid() {
    let (g, w, _) = grid(60, 50, 21);
    let n = g.n_vertices();
    let cch = Cch::new(&g, &level_set_order(&g));
    let [metric, three] = customize_one_and_three(&cch, &w);
    assert_eq!(metric.fwd_via, three.fwd_via);
    assert_eq!(metric.bwd_via, three.bwd_via);
    let mut rng = ChaCha8Rng::seed_from_u64(23);
    let mut sp = ShortestPath::new(n);
    let mut q = CchQuery::new(n);
    for _ in 0..40 {
        let s = VertexIdx(rng.random_range(0..n as u32));
        sp.run(&g, &w, &[(s, 0.0)], None);
        for _ in 0..50 {
            let t = VertexIdx(rng.random_range(0..n as u32));
            let got = q.run(&metric, &[(s, 0.0)], &[(t, 0.0)]);
            assert_eq!(got, sp.reached(t).then(|| sp.dist(t)), "{s} -> {t}");
        }
    }
}

#[test]
fn compensated_sums_do_not_depend_on_the_order() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut differ_plain = 0;
    for _ in 0..200 {
        let xs: Vec<f64> = (0..rng.random_range(2..300))
            .map(|_| rng.random_range(0.0..100.0f64) / 3.0)
            .collect();
        let fold = |it: &mut dyn Iterator<Item = &f64>| {
            it.fold(CompensatedSum::default(), |s, &x| s.plus(x))
                .value()
        };
        let forward = fold(&mut xs.iter());
        assert_eq!(forward, fold(&mut xs.iter().rev()));
        // In two halves merged, as the bucket matrix adds tree paths.
        let (a, b) = xs.split_at(xs.len() / 2);
        let halves = a
            .iter()
            .fold(CompensatedSum::default(), |s, &x| s.plus(x))
            .merge(
                b.iter()
                    .rev()
                    .fold(CompensatedSum::default(), |s, &x| s.plus(x)),
            );
        assert_eq!(forward, halves.value());
        let plain = |it: &mut dyn Iterator<Item = &f64>| it.fold(0.0, |s, &x| s + x);
        differ_plain += usize::from(plain(&mut xs.iter()) != plain(&mut xs.iter().rev()));
    }
    assert!(differ_plain > 10, "the test needs sums whose order matters");
}
