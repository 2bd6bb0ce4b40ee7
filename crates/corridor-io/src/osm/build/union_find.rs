//! A disjoint-set forest over dense `u32` indices, union by size with path
//! halving: the connected pieces of each network, so a port is joined to
//! the main line rather than to a stub left by skipped sidings.
//!
//! It knows indices only; `node_index.rs` maps way nodes to them. Written
//! here rather than taken from petgraph, whose `UnionFind` would pull a
//! whole graph library into the I/O crate for forty lines.

/// Sets of indices `0..len`, each created alone by [`UnionFind::add`].
#[derive(Debug, Default)]
pub(super) struct UnionFind {
    parent: Vec<u32>,
    /// Set size, valid at roots.
    size: Vec<u32>,
}

impl UnionFind {
    /// A new index in a set of its own.
    pub(super) fn add(&mut self) -> u32 {
        let i = u32::try_from(self.parent.len()).expect("fewer than 2^32 way nodes");
        self.parent.push(i);
        self.size.push(1);
        i
    }

    /// The root of `x`'s set; halves the path on the way.
    pub(super) fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Joins the sets of `a` and `b`.
    pub(super) fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }

    /// How many indices share `x`'s set.
    pub(super) fn size(&mut self, x: u32) -> u32 {
        let r = self.find(x);
        self.size[r as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sets_grow_by_union_and_report_their_size() {
        let mut uf = UnionFind::default();
        let [a, b, c, d] = [uf.add(), uf.add(), uf.add(), uf.add()];
        uf.union(a, b);
        uf.union(c, b);
        uf.union(a, c); // already together
        assert_eq!(uf.find(a), uf.find(c));
        assert_ne!(uf.find(a), uf.find(d));
        assert_eq!(
            [uf.size(a), uf.size(b), uf.size(c), uf.size(d)],
            [3, 3, 3, 1]
        );
    }

    proptest! {
        /// Set sizes match a slow relabelling after any unions.
        #[test]
        fn sizes_match_a_naive_labelling(
            n in 1usize..40,
            pairs in proptest::collection::vec((0usize..40, 0usize..40), 0..60),
        ) {
            let mut uf = UnionFind::default();
            let mut label: Vec<usize> = (0..n).collect();
            for _ in 0..n {
                uf.add();
            }
            for (a, b) in pairs.into_iter().filter(|&(a, b)| a < n && b < n) {
                uf.union(a as u32, b as u32);
                let (from, to) = (label[a], label[b]);
                for l in &mut label {
                    if *l == from {
                        *l = to;
                    }
                }
            }
            for i in 0..n {
                let want = label.iter().filter(|&&l| l == label[i]).count();
                prop_assert_eq!(uf.size(i as u32) as usize, want);
            }
        }
    }
}
