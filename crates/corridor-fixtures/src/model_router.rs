//! A slow reference router that works on the model directly, without the
//! engine's lowering: Bellman–Ford over explicit states, written from the
//! rules as a planner states them, so property tests catch lowering bugs as
//! well as search bugs.
//!
//! States are (node, layer, phase). A shipment *departs* a node in a layer,
//! travels an open link it may use to *arrive* at the next node in the same
//! layer, and at a node that is not a no-through zone goes from arrived to
//! departed: for free, or at a border node by paying the crossing (open
//! border that lets the commodity cross). While departed it may change layer
//! only through an open terminal at that node that accepts the commodity and
//! offers that pair of layers. It starts departed at the origin in any layer
//! and ends when it arrives at the destination.

use corridor_model::{Commodity, Layer, Network, NodeId};
use std::collections::BTreeMap;

/// Per-tonne cost of a move, by kind, as the caller defines the objective.
pub struct Weights<'a> {
    pub link: &'a dyn Fn(&Network, usize) -> f64,
    pub terminal: &'a dyn Fn(&Network, usize) -> f64,
    pub border: &'a dyn Fn(&Network, usize, Layer) -> f64,
}

/// (node index, layer, departed?).
type State = (usize, Layer, bool);

/// The least total weight from `from` to `to` for `commodity`, or `None`.
pub fn route_cost(
    net: &Network,
    from: NodeId,
    to: NodeId,
    commodity: &Commodity,
    w: &Weights<'_>,
) -> Option<f64> {
    let mut dist: BTreeMap<State, f64> = BTreeMap::new();
    let layers = net.layers_at_nodes();
    for l in &layers[from.index()] {
        dist.insert((from.index(), *l, true), 0.0);
    }
    let node_ok = |n: NodeId| net.node(n).open;
    let mut moves: Vec<(State, State, f64)> = Vec::new();
    for (i, l) in net.links.iter().enumerate() {
        if !l.open || !l.commodities.permits(commodity) || !node_ok(l.from) || !node_ok(l.to) {
            continue;
        }
        let c = (w.link)(net, i);
        moves.push((
            (l.from.index(), l.layer(), true),
            (l.to.index(), l.layer(), false),
            c,
        ));
        if !l.oneway {
            moves.push((
                (l.to.index(), l.layer(), true),
                (l.from.index(), l.layer(), false),
                c,
            ));
        }
    }
    for (n, at) in layers.iter().enumerate() {
        if net.nodes[n].no_through {
            continue;
        }
        let borders: Vec<usize> = (0..net.borders.len())
            .filter(|&b| net.borders[b].node.index() == n)
            .collect();
        for l in at {
            if borders.is_empty() {
                moves.push(((n, *l, false), (n, *l, true), 0.0));
            }
            for &b in &borders {
                let br = &net.borders[b];
                if br.open && br.commodities.permits(commodity) && net.nodes[n].open {
                    moves.push(((n, *l, false), (n, *l, true), (w.border)(net, b, *l)));
                }
            }
        }
    }
    for (ti, t) in net.terminals.iter().enumerate() {
        if !t.open || !t.commodities.permits(commodity) || !net.node(t.node).open {
            continue;
        }
        let here = &layers[t.node.index()];
        for (a, b) in &t.transfers {
            for la in here.iter().filter(|h| a.matches(h)) {
                for lb in here.iter().filter(|h| b.matches(h)) {
                    if la != lb {
                        let c = (w.terminal)(net, ti);
                        moves.push(((t.node.index(), *la, true), (t.node.index(), *lb, true), c));
                        moves.push(((t.node.index(), *lb, true), (t.node.index(), *la, true), c));
                    }
                }
            }
        }
    }
    loop {
        let mut changed = false;
        for (a, b, c) in &moves {
            if let Some(&da) = dist.get(a) {
                let nd = da + c;
                if dist
                    .get(b)
                    .is_none_or(|&db| nd < db - 1e-12 * db.abs().max(1.0))
                {
                    dist.insert(*b, nd);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    layers[to.index()]
        .iter()
        .filter_map(|l| dist.get(&(to.index(), *l, false)).copied())
        .min_by(f64::total_cmp)
}
