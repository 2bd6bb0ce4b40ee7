//! An indexed 4-ary min-heap with decrease-key, keyed by `f64`, over vertex
//! indices `0..n`. Positions are kept per vertex so a vertex is in the heap
//! at most once; that keeps the heap small on road-like graphs where a lazy
//! binary heap would hold many stale entries.
//!
//! Keys and vertices are kept in two parallel vectors rather than one of
//! `(f64, u32)` pairs (16 bytes with padding): the four children whose keys
//! `sift_down` compares then lie in 32 contiguous bytes, half a cache line,
//! and the vertex of a child is read only when it moves. Comparisons are
//! the same as with pairs, so the pop order, ties included, is unchanged.

pub(crate) const NOT_IN_HEAP: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub struct IndexedHeap {
    /// Keys, heap-ordered; `verts[i]` is the vertex of `keys[i]`.
    keys: Vec<f64>,
    verts: Vec<u32>,
    /// Position of each vertex in `keys` and `verts`, or `NOT_IN_HEAP`.
    pos: Vec<u32>,
}

impl IndexedHeap {
    pub fn new(n: usize) -> Self {
        Self {
            keys: Vec::new(),
            verts: Vec::new(),
            pos: vec![NOT_IN_HEAP; n],
        }
    }
    pub fn clear(&mut self) {
        for &v in &self.verts {
            self.pos[v as usize] = NOT_IN_HEAP;
        }
        self.keys.clear();
        self.verts.clear();
    }
    pub fn contains(&self, v: u32) -> bool {
        self.pos[v as usize] != NOT_IN_HEAP
    }
    /// The smallest key, if any.
    #[inline]
    pub fn peek_key(&self) -> Option<f64> {
        self.keys.first().copied()
    }
    /// Inserts `v`, which the caller knows is not in the heap (Dijkstra
    /// knows it from an infinite tentative distance), saving the position
    /// lookup of [`push_or_decrease`](Self::push_or_decrease).
    #[inline]
    pub fn push(&mut self, v: u32, key: f64) {
        debug_assert!(!self.contains(v));
        push(&mut self.keys, &mut self.verts, &mut self.pos[..], v, key);
    }
    /// Lowers the key of `v`, which the caller knows is in the heap with a
    /// larger key. A `v` no longer in the heap is left out: Dijkstra only
    /// gets here for a settled vertex when given negative weights, and then
    /// it must neither panic nor loop.
    #[inline]
    pub fn decrease(&mut self, v: u32, key: f64) {
        let p = self.pos[v as usize];
        if p == NOT_IN_HEAP {
            return;
        }
        let p = p as usize;
        if key < self.keys[p] {
            sift_up(
                &mut self.keys,
                &mut self.verts,
                &mut self.pos[..],
                p,
                key,
                v,
            );
        }
    }
    /// Inserts `v` with `key`, or lowers its key if `key` is smaller.
    #[inline]
    pub fn push_or_decrease(&mut self, v: u32, key: f64) {
        let p = self.pos[v as usize];
        if p == NOT_IN_HEAP {
            self.push(v, key);
        } else if key < self.keys[p as usize] {
            let p = p as usize;
            sift_up(
                &mut self.keys,
                &mut self.verts,
                &mut self.pos[..],
                p,
                key,
                v,
            );
        }
    }
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, u32)> {
        pop(&mut self.keys, &mut self.verts, &mut self.pos[..])
    }
}

/// Where a heap records each vertex's slot: its own vector
/// ([`IndexedHeap`]), or a field of a search's per-vertex record (the
/// assignment searches keep it beside the distance, one cache line).
pub(crate) trait Slots {
    /// Records that `v` is at slot `i` (or `NOT_IN_HEAP`).
    fn set(&mut self, v: u32, i: u32);
}

impl Slots for [u32] {
    #[inline(always)]
    fn set(&mut self, v: u32, i: u32) {
        self[v as usize] = i;
    }
}

/// Inserts `v`, not in the heap, with `key`.
#[inline(always)]
pub(crate) fn push<S: Slots + ?Sized>(
    keys: &mut Vec<f64>,
    verts: &mut Vec<u32>,
    slots: &mut S,
    v: u32,
    key: f64,
) {
    let i = keys.len();
    keys.push(key);
    verts.push(v);
    sift_up(keys, verts, slots, i, key, v);
}

/// Removes and returns the smallest `(key, vertex)`.
#[inline(always)]
pub(crate) fn pop<S: Slots + ?Sized>(
    keys: &mut Vec<f64>,
    verts: &mut Vec<u32>,
    slots: &mut S,
) -> Option<(f64, u32)> {
    let top = (*keys.first()?, verts[0]);
    let last_key = keys.pop().expect("non-empty");
    let last_vert = verts.pop().expect("non-empty");
    slots.set(top.1, NOT_IN_HEAP);
    if !keys.is_empty() {
        sift_down(keys, verts, slots, last_key, last_vert);
    }
    Some(top)
}

/// Moves `(key, v)` up from slot `i` (whose old content is overwritten).
#[inline(always)]
pub(crate) fn sift_up<S: Slots + ?Sized>(
    keys: &mut [f64],
    verts: &mut [u32],
    slots: &mut S,
    mut i: usize,
    key: f64,
    v: u32,
) {
    while i > 0 {
        let parent = (i - 1) / 4;
        let pk = keys[parent];
        if pk <= key {
            break;
        }
        let pv = verts[parent];
        keys[i] = pk;
        verts[i] = pv;
        slots.set(pv, i as u32);
        i = parent;
    }
    keys[i] = key;
    verts[i] = v;
    slots.set(v, i as u32);
}

/// Moves `(key, v)` down from the root (whose old content is overwritten).
#[inline(always)]
pub(crate) fn sift_down<S: Slots + ?Sized>(
    keys: &mut [f64],
    verts: &mut [u32],
    slots: &mut S,
    key: f64,
    v: u32,
) {
    let n = keys.len();
    let mut i = 0;
    loop {
        let first = 4 * i + 1;
        if first >= n {
            break;
        }
        let (best, best_key) = if first + 4 <= n {
            min_of_four(&keys[first..first + 4], first)
        } else {
            let mut best = first;
            let mut best_key = keys[first];
            for (c, &k) in keys.iter().enumerate().take(n).skip(first + 1) {
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            (best, best_key)
        };
        if best_key >= key {
            break;
        }
        let bv = verts[best];
        keys[i] = best_key;
        verts[i] = bv;
        slots.set(bv, i as u32);
        i = best;
    }
    keys[i] = key;
    verts[i] = v;
    slots.set(v, i as u32);
}

/// The first smallest of four keys (the one a left-to-right scan with `<`
/// keeps, so the heap's order and ties are as with a scan) and its index
/// `base + i`, by selections rather than branches: which child is smallest
/// is data that a branch predictor guesses wrong about half the time.
#[inline(always)]
fn min_of_four(k: &[f64], base: usize) -> (usize, f64) {
    let (k0, k1, k2, k3) = (k[0], k[1], k[2], k[3]);
    let (a, ka) = select(k1 < k0, (1, k1), (0, k0));
    let (b, kb) = select(k3 < k2, (3, k3), (2, k2));
    let (c, kc) = select(kb < ka, (b, kb), (a, ka));
    (base + c, kc)
}

/// `if c { x } else { y }` without a branch (a mask, which compilers turn
/// into conditional moves).
#[inline(always)]
fn select(c: bool, x: (usize, f64), y: (usize, f64)) -> (usize, f64) {
    let mask = (c as u64).wrapping_neg();
    let idx = (x.0 as u64 & mask) | (y.0 as u64 & !mask);
    let key = (x.1.to_bits() & mask) | (y.1.to_bits() & !mask);
    (idx as usize, f64::from_bits(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The selection picks what a left-to-right scan with `<` picks,
        /// ties included (few distinct keys make many ties).
        #[test]
        fn min_of_four_is_the_first_smallest(k in proptest::array::uniform4(0u8..3)) {
            let keys = k.map(f64::from);
            let mut best = 0;
            for c in 1..4 {
                if keys[c] < keys[best] {
                    best = c;
                }
            }
            prop_assert_eq!(min_of_four(&keys, 10), (10 + best, keys[best]));
        }

        #[test]
        fn pops_in_key_order(ops in proptest::collection::vec((0u32..50, 0.0f64..100.0), 1..200)) {
            let mut h = IndexedHeap::new(50);
            let mut best = std::collections::HashMap::new();
            for &(v, k) in &ops {
                h.push_or_decrease(v, k);
                let e = best.entry(v).or_insert(k);
                if k < *e { *e = k; }
            }
            let mut prev = f64::NEG_INFINITY;
            let mut n = 0;
            while let Some((k, v)) = h.pop() {
                prop_assert!(k >= prev);
                prop_assert_eq!(k, best[&v]);
                prev = k;
                n += 1;
            }
            prop_assert_eq!(n, best.len());
        }
    }
}
