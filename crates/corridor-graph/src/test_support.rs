//! Random networks and demand shared by the unit tests of the assignment
//! modules (test builds only). Each test seeds its own generator and draws
//! from it here, in the order it always did, so a committed proptest
//! regression seed keeps meaning the same case.

use crate::csr::{Csr, VertexIdx};
use crate::shortest_path::INFINITY;
use crate::vdf::Bpr;
use proptest::prelude::*;
use rand::Rng;

/// A ring over `n` vertices (so most pairs connect) plus up to `extra`
/// random arcs (self-loops dropped), drawn from `rng`. Returns the graph
/// and, per CSR arc, its index in the generated list.
pub(crate) fn ring_with_chords(rng: &mut impl Rng, n: usize, extra: usize) -> (Csr, Vec<u32>) {
    let mut arcs = Vec::new();
    for v in 0..n as u32 {
        arcs.push((VertexIdx(v), VertexIdx((v + 1) % n as u32)));
    }
    for _ in 0..extra {
        let t = rng.random_range(0..n as u32);
        let h = rng.random_range(0..n as u32);
        if t != h {
            arcs.push((VertexIdx(t), VertexIdx(h)));
        }
    }
    Csr::from_arcs(n, &arcs)
}

/// Random demand over `n` vertices: each vertex is an origin with
/// probability `p_origin`, sending to each vertex with probability
/// `p_dest` an amount uniform in `[0, max)` (self-demand included: callers
/// must ignore it, as the assignments do).
pub(crate) fn random_demand(
    rng: &mut impl Rng,
    n: usize,
    p_origin: f64,
    p_dest: f64,
    max: f64,
) -> Vec<(VertexIdx, Vec<(VertexIdx, f64)>)> {
    let mut origins = Vec::new();
    for o in 0..n as u32 {
        if rng.random_bool(p_origin) {
            let mut ds = Vec::new();
            for d in 0..n as u32 {
                if rng.random_bool(p_dest) {
                    ds.push((VertexIdx(d), rng.random_range(0.0..max)));
                }
            }
            origins.push((VertexIdx(o), ds));
        }
    }
    origins
}

/// `count` congestible BPR functions (alpha 0.15, beta 4, free-flow time
/// in `[0.5, 5)`, capacity in `[5, 50)`), drawn in that order.
pub(crate) fn random_bpr(rng: &mut impl Rng, count: usize) -> Bpr {
    let mut bpr = Bpr::default();
    for _ in 0..count {
        bpr.free_flow.push(rng.random_range(0.5..5.0));
        bpr.alpha.push(0.15);
        bpr.beta.push(4.0);
        bpr.capacity.push(rng.random_range(5.0..50.0));
        bpr.fixed.push(0.0);
    }
    bpr
}

/// A random graph of `min_n..40` vertices and up to 160 arcs (tail, head,
/// cost): costs from a small set (many ties, zero-cost arcs), from a wide
/// range of magnitudes (keys differing in their exponents), and a few closed
/// arcs (infinite and NaN). What the distance-only search and RPHAST are
/// checked on against `ShortestPath`.
pub(crate) fn tie_heavy_graph(
    min_n: usize,
) -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>)> {
    (min_n..40).prop_flat_map(|n| {
        let arc = (
            0..n as u32,
            0..n as u32,
            prop_oneof![
                6 => (0u8..4).prop_map(f64::from),
                3 => (-20.0f64..20.0).prop_map(f64::exp2),
                1 => Just(INFINITY),
                1 => Just(f64::NAN),
            ],
        );
        (Just(n), proptest::collection::vec(arc, 0..160))
    })
}
