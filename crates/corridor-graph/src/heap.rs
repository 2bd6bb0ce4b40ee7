//! An indexed 4-ary min-heap with decrease-key, keyed by `f64`, over vertex
//! indices `0..n`. Positions are kept per vertex so a vertex is in the heap
//! at most once; that keeps the heap small on road-like graphs where a lazy
//! binary heap would hold many stale entries.

const NOT_IN_HEAP: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub struct IndexedHeap {
    /// (key, vertex), heap-ordered.
    items: Vec<(f64, u32)>,
    /// Position of each vertex in `items`, or `NOT_IN_HEAP`.
    pos: Vec<u32>,
}

impl IndexedHeap {
    pub fn new(n: usize) -> Self {
        Self {
            items: Vec::new(),
            pos: vec![NOT_IN_HEAP; n],
        }
    }
    pub fn clear(&mut self) {
        for &(_, v) in &self.items {
            self.pos[v as usize] = NOT_IN_HEAP;
        }
        self.items.clear();
    }
    pub fn contains(&self, v: u32) -> bool {
        self.pos[v as usize] != NOT_IN_HEAP
    }
    /// The smallest key, if any.
    #[inline]
    pub fn peek_key(&self) -> Option<f64> {
        self.items.first().map(|x| x.0)
    }
    /// Inserts `v`, which the caller knows is not in the heap (Dijkstra
    /// knows it from an infinite tentative distance), saving the position
    /// lookup of [`push_or_decrease`](Self::push_or_decrease).
    #[inline]
    pub fn push(&mut self, v: u32, key: f64) {
        debug_assert!(!self.contains(v));
        let i = self.items.len();
        self.items.push((key, v));
        self.sift_up(i);
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
        if key < self.items[p].0 {
            self.items[p].0 = key;
            self.sift_up(p);
        }
    }
    /// Inserts `v` with `key`, or lowers its key if `key` is smaller.
    #[inline]
    pub fn push_or_decrease(&mut self, v: u32, key: f64) {
        let p = self.pos[v as usize];
        if p == NOT_IN_HEAP {
            let i = self.items.len();
            self.items.push((key, v));
            self.sift_up(i);
        } else if key < self.items[p as usize].0 {
            self.items[p as usize].0 = key;
            self.sift_up(p as usize);
        }
    }
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, u32)> {
        let top = *self.items.first()?;
        let last = self.items.pop().expect("non-empty");
        self.pos[top.1 as usize] = NOT_IN_HEAP;
        if !self.items.is_empty() {
            self.items[0] = last;
            self.sift_down(0);
        }
        Some(top)
    }

    #[inline]
    fn sift_up(&mut self, mut i: usize) {
        let item = self.items[i];
        while i > 0 {
            let parent = (i - 1) / 4;
            let p = self.items[parent];
            if p.0 <= item.0 {
                break;
            }
            self.items[i] = p;
            self.pos[p.1 as usize] = i as u32;
            i = parent;
        }
        self.items[i] = item;
        self.pos[item.1 as usize] = i as u32;
    }

    #[inline]
    fn sift_down(&mut self, mut i: usize) {
        let item = self.items[i];
        let n = self.items.len();
        loop {
            let first = 4 * i + 1;
            if first >= n {
                break;
            }
            let last = (first + 4).min(n);
            let mut best = first;
            let mut best_key = self.items[first].0;
            for c in first + 1..last {
                let k = self.items[c].0;
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if best_key >= item.0 {
                break;
            }
            self.items[i] = self.items[best];
            self.pos[self.items[i].1 as usize] = i as u32;
            i = best;
        }
        self.items[i] = item;
        self.pos[item.1 as usize] = i as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
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
