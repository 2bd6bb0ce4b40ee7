//! Phase G: joining pieces again where nothing happens between them: at a
//! node that is the end of exactly two pieces with the same attributes and
//! was not kept (station, border, attachment point), the two become one
//! whose geometry keeps every node. A oneway chain is joined only head to
//! tail, and nothing is joined into a loop.
//!
//! Nodes are visited in id order and the surviving piece is the earlier
//! one, so the result is the same on every run. Pieces are joined in place:
//! the later piece's nodes move into the earlier one.

use super::split::{Piece, Pieces};
use crate::osm::tags::Attrs;
use std::collections::{HashMap, HashSet};

/// The pieces that become links, in way and piece order.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Contracted(pub(super) Vec<Piece>);

/// The pieces ending at one node: how many, and the first two.
#[derive(Clone, Copy, Debug, Default)]
struct Ends {
    count: u32,
    first: [u32; 2],
}

impl Ends {
    fn push(&mut self, piece: u32) {
        if let Some(slot) = self.first.get_mut(self.count as usize) {
            *slot = piece;
        }
        self.count += 1;
    }

    /// Piece `from` now lives on as `to`. Only nodes with two ends are ever
    /// read, so the first two are all that need it.
    fn replace(&mut self, from: u32, to: u32) {
        for p in &mut self.first {
            if *p == from {
                *p = to;
            }
        }
    }
}

pub(super) fn contract(pieces: Pieces, attrs: &[Attrs], kept: &HashSet<i64>) -> Contracted {
    let Pieces(mut pieces) = pieces;
    let mut ends: HashMap<i64, Ends> = HashMap::new();
    for (i, p) in pieces.iter().enumerate() {
        let i = u32::try_from(i).expect("fewer than 2^32 pieces");
        ends.entry(p.nodes[0]).or_default().push(i);
        ends.entry(*p.nodes.last().expect("two nodes"))
            .or_default()
            .push(i);
    }
    let mut candidates: Vec<i64> = ends
        .iter()
        .filter(|(n, e)| e.count == 2 && !kept.contains(n))
        .map(|(n, _)| *n)
        .collect();
    candidates.sort_unstable();
    for v in candidates {
        let e = ends[&v];
        let [p, q] = e.first;
        if p == q {
            continue;
        }
        let (i, j) = (p.min(q), p.max(q));
        let (a, b) = (&pieces[i as usize], &pieces[j as usize]);
        if a.attrs != b.attrs {
            continue;
        }
        let oneway = attrs[a.attrs].oneway;
        let Some(far) = join(&mut pieces, i as usize, j as usize, v, oneway) else {
            continue;
        };
        ends.get_mut(&far).expect("indexed").replace(j, i);
        ends.remove(&v);
    }
    let mut links: Vec<Piece> = pieces.into_iter().filter(|p| !p.nodes.is_empty()).collect();
    links.sort_by_key(|p| (p.way, p.piece));
    Contracted(links)
}

/// Joins piece `j` into piece `i` at their common end `v`, in `i`'s
/// direction when they run the same way, and returns `j`'s far end. `None`
/// (nothing changed) when the join would make a loop or turn a oneway.
fn join(pieces: &mut [Piece], i: usize, j: usize, v: i64, oneway: bool) -> Option<i64> {
    let end = |p: &Piece| (p.nodes[0], *p.nodes.last().expect("two nodes"));
    let ((a0, a1), (b0, b1)) = (end(&pieces[i]), end(&pieces[j]));
    let far_a = if a1 == v { a0 } else { a1 };
    let far_b = if b1 == v { b0 } else { b1 };
    let head_to_tail = (a1 == v && b0 == v) || (b1 == v && a0 == v);
    if far_a == far_b || (oneway && !head_to_tail) {
        return None;
    }
    let mut b_nodes = std::mem::take(&mut pieces[j].nodes);
    let b_absorbed = std::mem::take(&mut pieces[j].absorbed);
    let b_way = pieces[j].way;
    let a = &mut pieces[i];
    if a1 == v && b0 == v {
        a.nodes.extend_from_slice(&b_nodes[1..]);
    } else if b1 == v && a0 == v {
        b_nodes.extend_from_slice(&a.nodes[1..]);
        a.nodes = b_nodes;
    } else if a1 == v {
        a.nodes.extend(b_nodes.iter().rev().skip(1));
    } else {
        a.nodes.reverse();
        a.nodes.extend_from_slice(&b_nodes[1..]);
    }
    for w in std::iter::once(b_way).chain(b_absorbed) {
        if w != a.way && !a.absorbed.contains(&w) {
            a.absorbed.push(w);
        }
    }
    Some(far_b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::Mode;

    fn attrs(oneway: bool) -> Attrs {
        Attrs {
            mode: Mode::Road,
            gauges: Vec::new(),
            oneway,
            speed_kmh: None,
            open: true,
            tags: Vec::new(),
        }
    }

    /// Attribute sets: 0 two-way, 1 oneway, 2 another two-way.
    fn all_attrs() -> Vec<Attrs> {
        let mut other = attrs(false);
        other.speed_kmh = Some(50.0);
        vec![attrs(false), attrs(true), other]
    }

    fn piece(way: i64, nodes: &[i64], attrs: usize) -> Piece {
        Piece {
            way,
            piece: 0,
            nodes: nodes.to_vec(),
            attrs,
            absorbed: Vec::new(),
        }
    }

    fn run(pieces: Vec<Piece>, kept: &[i64]) -> Vec<(i64, Vec<i64>, Vec<i64>)> {
        let kept: HashSet<i64> = kept.iter().copied().collect();
        let Contracted(links) = contract(Pieces(pieces), &all_attrs(), &kept);
        links
            .into_iter()
            .map(|p| (p.way, p.nodes, p.absorbed))
            .collect()
    }

    #[test]
    fn a_chain_through_plain_nodes_becomes_one_piece() {
        //   1 ── 2 ── 3 ── 4      ways 10 (1→2), 11 (3→2, drawn backwards), 12 (3→4)
        let got = run(
            vec![
                piece(10, &[1, 2], 0),
                piece(11, &[3, 2], 0),
                piece(12, &[3, 4], 0),
            ],
            &[],
        );
        assert_eq!(got, [(10, vec![1, 2, 3, 4], vec![11, 12])]);
    }

    #[test]
    fn kept_nodes_other_attributes_and_junctions_stop_a_chain() {
        //   1 ── 2 ── 3 ══ 4 ── 5      2 is kept; 3 ══ 4 has other attributes
        //                   \
        //                    6         4 is a junction
        let got = run(
            vec![
                piece(10, &[1, 2], 0),
                piece(11, &[2, 3], 0),
                piece(12, &[3, 4], 2),
                piece(13, &[4, 5], 0),
                piece(14, &[4, 6], 0),
            ],
            &[2],
        );
        assert_eq!(got.len(), 5);
    }

    #[test]
    fn oneways_join_head_to_tail_only() {
        //   1 ──► 2 ──► 3 ◄── 4
        let got = run(
            vec![
                piece(10, &[1, 2], 1),
                piece(11, &[2, 3], 1),
                piece(12, &[4, 3], 1),
            ],
            &[],
        );
        assert_eq!(
            got,
            [(10, vec![1, 2, 3], vec![11]), (12, vec![4, 3], vec![])]
        );
        // Tail into head keeps the direction: 11 is drawn first but the
        // earlier piece (10) survives with 11's nodes in front.
        let got = run(vec![piece(10, &[2, 3], 1), piece(11, &[1, 2], 1)], &[]);
        assert_eq!(got, [(10, vec![1, 2, 3], vec![11])]);
    }

    #[test]
    fn a_ring_is_not_joined_into_a_loop() {
        //   1 ── 2
        //    \  /
        //     3
        let got = run(
            vec![
                piece(10, &[1, 2], 0),
                piece(11, &[2, 3], 0),
                piece(12, &[3, 1], 0),
            ],
            &[],
        );
        // One join happens (at 1); then every join would close the ring.
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|(_, n, _)| n[0] != *n.last().unwrap()));
    }
}
