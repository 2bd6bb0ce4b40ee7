//! Tests of the system optimum.

use super::lp::Lp;

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
#[cfg(feature = "highs")]
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

/// The arc-node LP by microlp, by HiGHS, and the arc-path LP by column
/// generation reach one optimum on random networks; the flows of each
/// respect every capacity.
#[cfg(feature = "highs")]
#[test]
fn microlp_highs_and_column_generation_agree() {
    use super::{ArcNode, build, highs, microlp};
    use corridor_fixtures::{GenerateConfig, multimodal};
    use corridor_model::NodeId;
    use corridor_model::demand::DemandRow;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
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
        let by_highs = an.solved(&p, &highs::solve(&an.lp).unwrap());
        let (by_paths, _) = highs::column_generation(&p, &net).unwrap();
        let z = objective(&p, &by_microlp);
        for (what, f) in [("highs", &by_highs), ("column generation", &by_paths)] {
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
