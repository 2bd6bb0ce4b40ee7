//! Which arcs of a flow lowering each element's closure takes away: the
//! arcs whose [`crate::access::arc_obstacle`] depends on the element being
//! open, so that giving them zero capacity is what a scenario's `close`
//! edit does to the flow (the edit's network lowers to the same graph
//! less some arcs that carry nothing, or to the same arcs with nothing
//! to carry). A link closes its two arcs; a terminal its transfers or
//! gate; a border its crossing arcs; a node every link arc touching it,
//! the transfers and crossings at it and its capacity arcs. Helper arcs
//! (supply, absorption, gate and zone access) close with nothing: the
//! arcs next to them do.
//!
//! It decides nothing about flows; `criticality` does.

use crate::arc_origin::ArcOrigin;
use crate::lower::Lowered;
use corridor_model::Network;
use corridor_model::scenario::ElementKind;

/// One element to close, by kind and index in the network's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub kind: ElementKind,
    pub index: usize,
}

/// The kinds in the order criticality examines and reports them.
pub(crate) const KINDS: [ElementKind; 4] = [
    ElementKind::Link,
    ElementKind::Terminal,
    ElementKind::Border,
    ElementKind::Node,
];

/// Every open element of `kinds`, links first, then terminals, borders
/// and nodes, each in the network's order (the order parts stride over).
pub(crate) fn candidates(net: &Network, kinds: &[ElementKind]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for kind in KINDS.into_iter().filter(|k| kinds.contains(k)) {
        let open: Vec<bool> = match kind {
            ElementKind::Link => net.links.iter().map(|l| l.open).collect(),
            ElementKind::Terminal => net.terminals.iter().map(|t| t.open).collect(),
            ElementKind::Border => net.borders.iter().map(|b| b.open).collect(),
            ElementKind::Node => net.nodes.iter().map(|n| n.open).collect(),
        };
        out.extend(
            open.iter()
                .enumerate()
                .filter(|(_, o)| **o)
                .map(|(index, _)| Candidate { kind, index }),
        );
    }
    out
}

/// Per element, the arcs its closure takes away (CSR order, no repeats).
pub(crate) struct Closures {
    /// First dense element number of each kind, in [`KINDS`] order.
    offset: [usize; 4],
    /// Element `e` closes `arcs[first[e]..first[e + 1]]`.
    first: Vec<u32>,
    arcs: Vec<u32>,
}

impl Closures {
    /// Two passes over the arcs (count, then fill), no allocation per arc.
    pub fn new(net: &Network, lowered: &Lowered) -> Self {
        let (nl, nt, nb) = (net.links.len(), net.terminals.len(), net.borders.len());
        let offset = [0, nl, nl + nt, nl + nt + nb];
        let n = nl + nt + nb + net.nodes.len();
        let closers = |o: ArcOrigin| -> [Option<usize>; 3] {
            let node = |x: corridor_model::NodeId| Some(offset[3] + x.index());
            match o {
                ArcOrigin::Link { link, .. } => {
                    let l = net.link(link);
                    let to = (l.to != l.from).then(|| offset[3] + l.to.index());
                    [Some(link.index()), node(l.from), to]
                }
                ArcOrigin::Transfer { terminal, .. } | ArcOrigin::Gate { terminal } => [
                    Some(offset[1] + terminal.index()),
                    node(net.terminals[terminal.index()].node),
                    None,
                ],
                ArcOrigin::Border { border, .. } => [
                    Some(offset[2] + border.index()),
                    node(net.borders[border.index()].node),
                    None,
                ],
                ArcOrigin::NodeCapacity { node: x, .. } => [node(x), None, None],
                _ => [None; 3],
            }
        };
        let mut first = vec![0u32; n + 1];
        for &o in &lowered.arc_origin {
            for e in closers(o).into_iter().flatten() {
                first[e + 1] += 1;
            }
        }
        for e in 0..n {
            first[e + 1] += first[e];
        }
        let mut next = first.clone();
        let mut arcs = vec![0u32; first[n] as usize];
        // Arcs in CSR order, so each element's list comes out sorted.
        for (a, &o) in lowered.arc_origin.iter().enumerate() {
            for e in closers(o).into_iter().flatten() {
                arcs[next[e] as usize] = a as u32;
                next[e] += 1;
            }
        }
        Self {
            offset,
            first,
            arcs,
        }
    }

    /// The arcs closing `c` takes away.
    pub fn arcs(&self, c: Candidate) -> &[u32] {
        let k = KINDS.iter().position(|&k| k == c.kind).expect("every kind");
        let e = self.offset[k] + c.index;
        &self.arcs[self.first[e] as usize..self.first[e + 1] as usize]
    }
}
