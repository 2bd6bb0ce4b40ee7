//! A nested-dissection order as bytes, for a compiled network file to keep
//! beside its topology (section `CCHO`), and its refusal when it does not
//! fit the graph it is read back for.
//!
//! Layout (little-endian): the layout version (u32), the number of
//! vertices (u32) and of arcs (u32) of the graph it was computed on, a
//! 64-bit FNV-1a fingerprint of that graph's topology (every vertex's
//! out-degree and arc heads, in CSR order), then `order[r]` (u32) for
//! every rank `r`. An order read back must match all four and be a
//! permutation; the fingerprint catches a file whose sections were mixed
//! or a topology changed under an order of the same size.

use crate::csr::{Csr, VertexIdx};

/// The layout version of [`order_to_bytes`]; another is refused.
pub const ORDER_LAYOUT_VERSION: u32 = 1;
/// Bytes before the order itself.
const HEAD: usize = 20;

/// A fingerprint of `g`'s topology (not its weights): FNV-1a over the
/// vertex count, each vertex's out-degree and its arcs' heads.
pub fn topology_fingerprint(g: &Csr) -> u64 {
    const PRIME: u64 = 0x100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: u32| {
        for b in x.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    };
    eat(g.n_vertices() as u32);
    let heads = g.heads();
    for v in g.vertices() {
        let arcs = g.out_arcs(v).positions();
        eat(arcs.len() as u32);
        for a in arcs {
            eat(heads[a].0);
        }
    }
    h
}

/// The bytes of `order` (a nested-dissection order of `g`).
///
/// # Example
/// ```
/// use corridor_graph::{Csr, VertexIdx as V};
/// use corridor_graph::cch::{nested_dissection_order, order_from_bytes, order_to_bytes};
/// let (g, _) = Csr::from_arcs(3, &[(V(0), V(1)), (V(1), V(2))]);
/// let order = nested_dissection_order(&g, None);
/// assert_eq!(order_from_bytes(&g, &order_to_bytes(&g, &order)), Ok(order));
/// let (other, _) = Csr::from_arcs(3, &[(V(0), V(2)), (V(1), V(2))]);
/// assert!(order_from_bytes(&other, &order_to_bytes(&g, &[V(0), V(1), V(2)])).is_err());
/// ```
pub fn order_to_bytes(g: &Csr, order: &[VertexIdx]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEAD + 4 * order.len());
    out.extend_from_slice(&ORDER_LAYOUT_VERSION.to_le_bytes());
    out.extend_from_slice(&(g.n_vertices() as u32).to_le_bytes());
    out.extend_from_slice(&(g.n_arcs() as u32).to_le_bytes());
    out.extend_from_slice(&topology_fingerprint(g).to_le_bytes());
    for v in order {
        out.extend_from_slice(&v.0.to_le_bytes());
    }
    out
}

/// The order stored by [`order_to_bytes`] if it was computed for `g`'s
/// topology; otherwise what does not fit, in words for a user.
pub fn order_from_bytes(g: &Csr, bytes: &[u8]) -> Result<Vec<VertexIdx>, String> {
    if bytes.len() < HEAD {
        return Err(format!("truncated ({} bytes)", bytes.len()));
    }
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
    let version = u32_at(0);
    if version != ORDER_LAYOUT_VERSION {
        return Err(format!(
            "layout version {version}, this Corridor reads version {ORDER_LAYOUT_VERSION}"
        ));
    }
    let (n, m) = (u32_at(4) as usize, u32_at(8) as usize);
    if (n, m) != (g.n_vertices(), g.n_arcs()) {
        return Err(format!(
            "computed for {n} vertices and {m} arcs, the routing graph has {} and {}",
            g.n_vertices(),
            g.n_arcs()
        ));
    }
    let stored = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    if stored != topology_fingerprint(g) {
        return Err("computed for another topology (fingerprints differ)".into());
    }
    if bytes.len() != HEAD + 4 * n {
        return Err(format!(
            "{} bytes, {} expected for {n} vertices",
            bytes.len(),
            HEAD + 4 * n
        ));
    }
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for (r, chunk) in bytes[HEAD..].chunks_exact(4).enumerate() {
        let v = u32::from_le_bytes(chunk.try_into().expect("4 bytes")) as usize;
        if v >= n || seen[v] {
            return Err(format!(
                "not a permutation (rank {r} names vertex {v} again or out of range)"
            ));
        }
        seen[v] = true;
        order.push(VertexIdx(v as u32));
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_that_do_not_fit_are_refused_in_words() {
        let arcs = [(VertexIdx(0), VertexIdx(1)), (VertexIdx(1), VertexIdx(2))];
        let (g, _) = Csr::from_arcs(3, &arcs);
        let order = [VertexIdx(2), VertexIdx(0), VertexIdx(1)];
        let good = order_to_bytes(&g, &order);
        assert_eq!(order_from_bytes(&g, &good), Ok(order.to_vec()));
        let refused = |bytes: &[u8]| order_from_bytes(&g, bytes).unwrap_err();
        assert!(refused(&good[..7]).starts_with("truncated"));
        assert!(refused(&good[..good.len() - 4]).contains("32 expected"));
        let mut stale = good.clone();
        stale[0] = 9;
        assert!(refused(&stale).contains("layout version 9"));
        let mut repeated = good.clone();
        repeated[HEAD..HEAD + 4].copy_from_slice(&0u32.to_le_bytes());
        assert!(refused(&repeated).contains("not a permutation"));
        let mut out_of_range = good.clone();
        out_of_range[HEAD..HEAD + 4].copy_from_slice(&7u32.to_le_bytes());
        assert!(refused(&out_of_range).contains("not a permutation"));
        let (bigger, _) = Csr::from_arcs(4, &arcs);
        assert!(
            order_from_bytes(&bigger, &good)
                .unwrap_err()
                .contains("4 and 2")
        );
    }
}
