//! Random graphs shared by the unit tests of the assignment modules (test
//! builds only). Each test seeds its own generator and draws from it here,
//! so a committed proptest regression seed keeps meaning the same case.

use crate::csr::Csr;
use rand::Rng;

/// A ring over `n` vertices (so most pairs connect) plus up to `extra`
/// random arcs (self-loops dropped), drawn from `rng`. Returns the graph
/// and, per CSR arc, its index in the generated list.
pub(crate) fn ring_with_chords(rng: &mut impl Rng, n: usize, extra: usize) -> (Csr, Vec<u32>) {
    let mut arcs = Vec::new();
    for v in 0..n as u32 {
        arcs.push((v, (v + 1) % n as u32));
    }
    for _ in 0..extra {
        let t = rng.random_range(0..n as u32);
        let h = rng.random_range(0..n as u32);
        if t != h {
            arcs.push((t, h));
        }
    }
    Csr::from_arcs(n, &arcs)
}
