//! The gap pass by RPHAST against the Dijkstra pass: random graphs whose
//! zones may not be passed through, lowered as callers lower them, with
//! every awkward kind of cost and demand.

use super::aon::{AON_BLOCKS, AonLoad, shortest_path_total_dijkstra};
use super::problem::Demand;
use super::rphast_gap::shortest_path_total_rphast;
use crate::csr::{Csr, VertexIdx};
use crate::shortest_path::INFINITY;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random core of `core` vertices (a ring plus `extra` random arcs)
/// and `zones` zones lowered as a caller lowers zones that may not be
/// passed through: an origin vertex with out-arcs only and an arrival
/// vertex with in-arcs only, each joined to one to three core
/// vertices. Costs have ties, zeros, wide magnitudes and closed arcs
/// (infinite and NaN); demand has zero, negative and NaN entries and
/// pairs that no path joins.
fn non_through_zones(
    seed: u64,
    core: usize,
    extra: usize,
    zones: usize,
) -> (Csr, Vec<f64>, Demand) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = core + 2 * zones;
    let mut arcs: Vec<(VertexIdx, VertexIdx)> = Vec::new();
    for v in 0..core as u32 {
        arcs.push((VertexIdx(v), VertexIdx((v + 1) % core as u32)));
    }
    for _ in 0..extra {
        let (t, h) = (
            rng.random_range(0..core as u32),
            rng.random_range(0..core as u32),
        );
        arcs.push((VertexIdx(t), VertexIdx(h)));
    }
    for z in 0..zones as u32 {
        let (out, arrival) = (core as u32 + 2 * z, core as u32 + 2 * z + 1);
        for _ in 0..rng.random_range(1..=3) {
            arcs.push((VertexIdx(out), VertexIdx(rng.random_range(0..core as u32))));
            arcs.push((
                VertexIdx(rng.random_range(0..core as u32)),
                VertexIdx(arrival),
            ));
        }
    }
    let (g, order) = Csr::from_arcs(n, &arcs);
    let cost = order
        .iter()
        .map(|_| match rng.random_range(0..10) {
            0..=3 => f64::from(rng.random_range(0u8..4)),
            4..=7 => rng.random_range(-20.0f64..20.0).exp2(),
            8 => INFINITY,
            _ => f64::NAN,
        })
        .collect();
    let mut origins = Vec::new();
    for z in 0..zones as u32 {
        let mut dests = Vec::new();
        for d in 0..zones as u32 {
            let flow = match rng.random_range(0..12) {
                0 => 0.0,
                1 => -1.0,
                2 => f64::NAN,
                _ => rng.random_range(0.0..20.0),
            };
            // Its own arrival vertex too: a zone's internal trips.
            dests.push((VertexIdx(core as u32 + 2 * d + 1), flow));
        }
        origins.push((VertexIdx(core as u32 + 2 * z), dests));
    }
    (g, cost, Demand { origins })
}

/// The RPHAST pass as `aon.rs` runs it.
fn rphast(g: &Csr, cost: &[f64], demand: &Demand) -> AonLoad {
    let (sptt, unreachable_demand) = shortest_path_total_rphast(g, cost, demand, AON_BLOCKS);
    AonLoad {
        flow: Vec::new(),
        sptt,
        unreachable_demand,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// RPHAST's shortest-path total is the Dijkstra pass's within
    /// rounding, and its unreachable demand is the same to the bit.
    #[test]
    fn rphast_total_equals_dijkstra(
        seed in 0u64..1_000_000,
        core in 2usize..40,
        extra in 0usize..80,
        zones in 1usize..20,
    ) {
        let (g, cost, demand) = non_through_zones(seed, core, extra, zones);
        let dijkstra = shortest_path_total_dijkstra(&g, &g.tails(), &cost, &demand);
        let rphast = rphast(&g, &cost, &demand);
        prop_assert!(
            (rphast.sptt - dijkstra.sptt).abs() <= 1e-12 * dijkstra.sptt.abs(),
            "rphast {} dijkstra {}", rphast.sptt, dijkstra.sptt
        );
        prop_assert_eq!(rphast.unreachable_demand.to_bits(), dijkstra.unreachable_demand.to_bits());
        prop_assert!(rphast.flow.is_empty());
    }
}

/// Results do not depend on the thread count (blocks are fixed).
#[test]
fn rphast_total_does_not_depend_on_threads() {
    let (g, cost, demand) = non_through_zones(7, 60, 120, 40);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| rphast(&g, &cost, &demand))
    };
    let one = run(1);
    assert!(one.sptt > 0.0);
    assert_eq!(one, run(2));
}
