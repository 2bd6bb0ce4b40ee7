//! Phase F: cutting every part at the cut nodes into pieces, each a future
//! link from one vertex to another, numbered per way (`w<way>-<piece>`).
//!
//! It consumes the parts, so their node lists are freed as pieces are made.
//! A piece that comes back to where it started (a closed way with no
//! junction on it) is dropped and counted. Where to cut is decided before
//! (`cuts.rs`, `attach.rs`, `borders.rs`); joining pieces again is
//! `contract.rs`.

use super::log::Log;
use super::ways::Part;
use std::collections::HashSet;

/// A stretch of one part between two cut nodes.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Piece {
    pub(super) way: i64,
    /// Its number within the way, counted over all of the way's parts.
    pub(super) piece: u32,
    /// At least two, the ends distinct. Empty once merged into another
    /// piece by contraction.
    pub(super) nodes: Vec<i64>,
    /// Index into the attributes of [`super::ways::Ways`].
    pub(super) attrs: usize,
    /// Other ways whose pieces contraction merged into this one.
    pub(super) absorbed: Vec<i64>,
}

/// Every piece, in way and piece order.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Pieces(pub(super) Vec<Piece>);

/// Cuts `parts` (in way-id order) at the nodes of `cuts`. Every part's ends
/// must be among them.
pub(super) fn split(parts: Vec<Part>, cuts: &HashSet<i64>, log: &mut Log) -> Pieces {
    let mut pieces = Vec::new();
    let mut self_loops = 0;
    // Parts of one way are next to each other; the numbering runs on
    // across them.
    let mut way = None;
    let mut next = 0u32;
    let mut at: Vec<usize> = Vec::new();
    for part in parts {
        if way != Some(part.way) {
            way = Some(part.way);
            next = 0;
        }
        at.clear();
        at.extend((1..part.nodes.len()).filter(|&i| cuts.contains(&part.nodes[i])));
        let last = part.nodes.len() - 1;
        let whole = at == [last] && part.nodes[0] != part.nodes[last];
        if whole {
            // Only cut at its end: the part is the piece, no copy.
            pieces.push(Piece {
                way: part.way,
                piece: next,
                nodes: part.nodes,
                attrs: part.attrs,
                absorbed: Vec::new(),
            });
            next += 1;
            continue;
        }
        let mut start = 0;
        for &i in &at {
            if part.nodes[start] == part.nodes[i] {
                self_loops += 1;
            } else {
                pieces.push(Piece {
                    way: part.way,
                    piece: next,
                    nodes: part.nodes[start..=i].to_vec(),
                    attrs: part.attrs,
                    absorbed: Vec::new(),
                });
                next += 1;
            }
            start = i;
        }
    }
    log.skip(
        "closed loops with no junction on them (a way returning to its start)",
        self_loops,
    );
    Pieces(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(way: i64, nodes: &[i64]) -> Part {
        Part {
            way,
            nodes: nodes.to_vec(),
            attrs: 0,
        }
    }

    #[test]
    fn parts_are_cut_at_cut_nodes_and_numbered_per_way() {
        //   1 ── 2 ── 3 ── 4    way 10, cut at 3
        //   6 ── 7              way 10 again, beyond the extract's edge
        //   5 ── 6 ── 5         way 11, a loop with no junction but its start
        let cuts = HashSet::from([1, 3, 4, 6, 7, 5]);
        let mut log = Log::new(Default::default());
        let Pieces(got) = split(
            vec![
                part(10, &[1, 2, 3, 4]),
                part(10, &[6, 7]),
                part(11, &[5, 6, 5]),
            ],
            &cuts,
            &mut log,
        );
        let got: Vec<(i64, u32, &[i64])> =
            got.iter().map(|p| (p.way, p.piece, &p.nodes[..])).collect();
        assert_eq!(
            got,
            [
                (10, 0, &[1, 2, 3][..]),
                (10, 1, &[3, 4][..]),
                (10, 2, &[6, 7][..]),
                (11, 0, &[5, 6][..]),
                (11, 1, &[6, 5][..]),
            ]
        );
        assert!(log.skipped.is_empty());
        // Without a cut at 6 the loop is dropped.
        let cuts = HashSet::from([5]);
        let Pieces(got) = split(vec![part(11, &[5, 6, 5])], &cuts, &mut log);
        assert!(got.is_empty());
        assert_eq!(
            log.skipped["closed loops with no junction on them (a way returning to its start)"],
            1
        );
    }
}
