//! Criterion benches of the shortest-path algorithms on a seeded 400 × 400
//! grid (160,000 vertices, 638,400 arcs) with random weights and 1% closed
//! arcs: one-to-all Dijkstra, and one-to-one Dijkstra, bidirectional
//! Dijkstra and A* on fixed random pairs. The peer comparison on a lowered
//! multimodal network lives in `corridor-engine/benches` and `bench/`.
//!
//! `cargo bench -p corridor-graph --bench shortest_path`

use corridor_graph::{AStar, BidirectionalDijkstra, Csr, ReverseGraph, ShortestPath, VertexIdx};
use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Duration;

const W: u32 = 400;
/// Least weight of an open arc, so `MIN_W` × Manhattan distance is an
/// admissible A* potential.
const MIN_W: f64 = 1.0;

fn grid() -> (Csr, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let mut arcs = Vec::new();
    let mut w_in = Vec::new();
    for y in 0..W {
        for x in 0..W {
            let v = y * W + x;
            for (ok, u) in [(x + 1 < W, v + 1), (y + 1 < W, v + W)] {
                if ok {
                    for (a, b) in [(v, u), (u, v)] {
                        arcs.push((VertexIdx(a), VertexIdx(b)));
                        w_in.push(if rng.random_bool(0.01) {
                            f64::INFINITY
                        } else {
                            rng.random_range(MIN_W..10.0)
                        });
                    }
                }
            }
        }
    }
    let (g, order) = Csr::from_arcs((W * W) as usize, &arcs);
    let w = order.iter().map(|&i| w_in[i as usize]).collect();
    (g, w)
}

fn benches(c: &mut Criterion) {
    let (g, w) = grid();
    let n = g.n_vertices();
    let rev = ReverseGraph::new(&g);
    let rw = rev.weights(&w);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let pairs: Vec<(VertexIdx, VertexIdx)> = (0..16)
        .map(|_| {
            let s = rng.random_range(0..n as u32);
            (VertexIdx(s), VertexIdx(rng.random_range(0..n as u32)))
        })
        .collect();
    let mut group = c.benchmark_group("grid400");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));

    let mut sp = ShortestPath::new(n);
    group.bench_function("one_to_all_dijkstra", |b| {
        b.iter(|| sp.run(&g, &w, &[(black_box(pairs[0].0), 0.0)], None))
    });
    group.bench_function("one_to_one_dijkstra_x16", |b| {
        b.iter(|| {
            for &(s, t) in &pairs {
                black_box(sp.run(&g, &w, &[(s, 0.0)], Some(t)));
            }
        })
    });
    let mut bd = BidirectionalDijkstra::new(n);
    group.bench_function("one_to_one_bidirectional_x16", |b| {
        b.iter(|| {
            for &(s, t) in &pairs {
                black_box(bd.run(&g, &w, &rev, &rw, &[(s, 0.0)], &[(t, 0.0)]));
            }
        })
    });
    let mut astar = AStar::new(n);
    group.bench_function("one_to_one_astar_x16", |b| {
        b.iter(|| {
            for &(s, t) in &pairs {
                let (tx, ty) = ((t.0 % W) as i64, (t.0 / W) as i64);
                let pot = |v: VertexIdx| {
                    let (x, y) = ((v.0 % W) as i64, (v.0 / W) as i64);
                    MIN_W * ((x - tx).abs() + (y - ty).abs()) as f64
                };
                black_box(astar.run(&g, &w, &[(s, 0.0)], t, pot));
            }
        })
    });
    group.finish();
}

criterion_group!(shortest_path, benches);
criterion_main!(shortest_path);
