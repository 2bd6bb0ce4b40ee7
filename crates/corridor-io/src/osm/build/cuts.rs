//! Phase B, and the record the next phases add to: the way nodes where the
//! parts must be cut into pieces, and which of those must stay vertices.
//!
//! Junctions cut by themselves: the ends of every part and every node used
//! twice (by two parts, or twice by one). Stations, checkpoints, attachment
//! points and changes of country are added by `attach.rs` and `borders.rs`
//! as *kept* nodes: cut there and never contracted away, even between two
//! pieces of one way. The cutting itself is `split.rs`.

use super::ways::Ways;
use std::collections::{HashMap, HashSet};

pub(super) struct Cuts {
    /// How many times each part node is used, over all parts.
    uses: HashMap<i64, u32>,
    split: HashSet<i64>,
    kept: HashSet<i64>,
}

impl Cuts {
    /// The cuts at part ends and shared nodes.
    pub(super) fn at_junctions(ways: &Ways) -> Cuts {
        let mut uses: HashMap<i64, u32> = HashMap::new();
        for part in &ways.parts {
            for &n in &part.nodes {
                *uses.entry(n).or_default() += 1;
            }
        }
        let mut split: HashSet<i64> = HashSet::new();
        for part in &ways.parts {
            split.insert(part.nodes[0]);
            split.insert(*part.nodes.last().expect("parts have two nodes"));
        }
        split.extend(uses.iter().filter(|(_, c)| **c >= 2).map(|(n, _)| *n));
        Cuts {
            uses,
            split,
            kept: HashSet::new(),
        }
    }

    /// Whether node `n` lies on an imported way.
    pub(super) fn on_way(&self, n: i64) -> bool {
        self.uses.contains_key(&n)
    }

    /// Makes `n` a vertex that contraction leaves alone.
    pub(super) fn keep(&mut self, n: i64) {
        self.split.insert(n);
        self.kept.insert(n);
    }

    /// The nodes to cut at and the kept ones, once nothing more is added.
    pub(super) fn into_sets(self) -> (HashSet<i64>, HashSet<i64>) {
        (self.split, self.kept)
    }
}

#[cfg(test)]
mod tests {
    use super::super::log::Log;
    use super::super::ways::tests::{ROAD, raw};
    use super::*;
    use crate::osm::OsmConfig;

    #[test]
    fn parts_are_cut_at_their_ends_and_where_they_meet() {
        //            5
        //            │ way 11
        //   1 ── 2 ── 3 ── 4      way 10
        //        └── 6 ──┘        way 12: 2 6 3 and back into 2: it uses 2 twice
        let raw = raw(
            6,
            &[
                (10, &[1, 2, 3, 4], ROAD),
                (11, &[5, 3], ROAD),
                (12, &[2, 6, 3, 2], ROAD),
            ],
        );
        let ways = Ways::collect(
            &raw,
            &OsmConfig::default(),
            &mut Log::new(Default::default()),
        );
        let mut cuts = Cuts::at_junctions(&ways);
        assert!(cuts.on_way(6) && !cuts.on_way(7));
        cuts.keep(6);
        let (split, kept) = cuts.into_sets();
        let mut split: Vec<i64> = split.into_iter().collect();
        split.sort();
        // 1, 4, 5 end a way; 2 and 3 are shared; 6 was kept.
        assert_eq!(split, [1, 2, 3, 4, 5, 6]);
        assert_eq!(kept, HashSet::from([6]));
    }
}
