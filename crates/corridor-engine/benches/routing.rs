//! End-to-end routing bench: a generated multimodal network of about 1.2
//! million links (`GenerateConfig::million_links`), lowered through the
//! engine for grain minimising hours, then one-to-all Dijkstra and
//! one-to-one Dijkstra / bidirectional Dijkstra / A* with 8 landmarks (ALT)
//! on fixed random vertex pairs. Lowering itself is timed too. Bytes per arc and the peer
//! comparison (scipy, igraph) come from `bench/routing.py`, which runs
//! `examples/routing_bench.rs`.
//!
//! `cargo bench -p corridor-engine --bench routing`

use corridor_engine::route::ArcTable;
use corridor_engine::{Avoid, Objective};
use corridor_engine::{LowerConfig, lower};
use corridor_fixtures::generate::{GenerateConfig, multimodal};
use corridor_graph::astar::Landmarks;
use corridor_graph::{AStar, BidirectionalDijkstra, ReverseGraph, ShortestPath, VertexIdx};
use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Duration;

fn benches(c: &mut Criterion) {
    let net = multimodal(&GenerateConfig::million_links(1));
    let grain = net.commodities[0].clone();
    let mut group = c.benchmark_group("million_links");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("lower", |b| {
        b.iter(|| black_box(lower(&net, &LowerConfig::default())))
    });
    let lowered = lower(&net, &LowerConfig::default());
    let weight = ArcTable::new(&net, &lowered, &grain, &Avoid::default()).weights(
        Objective::Time,
        &net,
        &grain,
    );
    let g = &lowered.csr;
    let n = g.n_vertices();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let pairs: Vec<(VertexIdx, VertexIdx)> = (0..8)
        .map(|_| {
            let s = rng.random_range(0..n as u32);
            (VertexIdx(s), VertexIdx(rng.random_range(0..n as u32)))
        })
        .collect();

    let mut sp = ShortestPath::new(n);
    group.bench_function("one_to_all_dijkstra", |b| {
        b.iter(|| sp.run(g, &weight, &[(black_box(pairs[0].0), 0.0)], None))
    });
    group.bench_function("one_to_one_dijkstra_x8", |b| {
        b.iter(|| {
            for &(s, t) in &pairs {
                black_box(sp.run(g, &weight, &[(s, 0.0)], Some(t)));
            }
        })
    });
    let rev = ReverseGraph::new(g);
    let rw = rev.weights(&weight);
    let mut bd = BidirectionalDijkstra::new(n);
    group.bench_function("one_to_one_bidirectional_x8", |b| {
        b.iter(|| {
            for &(s, t) in &pairs {
                black_box(bd.run(g, &weight, &rev, &rw, &[(s, 0.0)], &[(t, 0.0)]));
            }
        })
    });
    let landmarks = Landmarks::new(g, &weight, &rev, &rw, 8, pairs[0].0);
    let mut astar = AStar::new(n);
    group.bench_function("one_to_one_alt8_x8", |b| {
        b.iter(|| {
            for &(s, t) in &pairs {
                black_box(astar.run(g, &weight, &[(s, 0.0)], t, landmarks.potential(t)));
            }
        })
    });
    group.finish();
}

criterion_group!(routing, benches);
criterion_main!(routing);
