//! Why there is no route, in a planner's words.
//!
//! On failure we search again on a relaxed graph: every arc the shipment
//! may not use (closed, banned, avoided) is allowed at a large penalty, and
//! every missing change of layer at a node is added as a virtual transfer at
//! the same penalty. The path with the fewest penalties names the smallest
//! set of obstacles whose removal would give a route, e.g. `border
//! "yahodyn-dorohusk" is closed; no terminal at dorohusk changes rail:1520
//! to rail:1435`. Only runs when routing failed, so it may be slow.

use crate::cost::Objective;
use crate::lower::{Lowered, VertexRole};
use crate::route::{Obstacle, RouteRequest, arc_obstacle, describe_node};
use corridor_graph::{Csr, ShortestPath, VertexIdx};
use corridor_model::{Commodity, Network, NodeId};

const PENALTY: f64 = 1e12;
/// Distinct blocked ways listed at most.
const MAX_WAYS: usize = 5;

enum Why {
    Blocked(Obstacle),
    MissingTransfer { node: NodeId, from: u16, to: u16 },
}

/// A sentence explaining why `req` has no route.
pub fn explain_no_route(
    net: &Network,
    lowered: &Lowered,
    req: &RouteRequest,
    commodity: &Commodity,
) -> String {
    let head = format!(
        "no route for {} from {} to {}",
        commodity.source_id,
        describe_node(net, req.from),
        describe_node(net, req.to)
    );
    for (n, role) in [(req.from, "origin"), (req.to, "destination")] {
        if lowered.vertices_of(n).is_empty() {
            return format!("{head}: the {role} {} has no link", describe_node(net, n));
        }
    }

    // Relaxed graph: the real arcs, then one virtual transfer per missing
    // (node, layer -> layer) change.
    let n_real = lowered.n_arcs();
    let tails = lowered.csr.tails();
    let mut arcs: Vec<(VertexIdx, VertexIdx)> = (0..n_real)
        .map(|a| (tails[a], lowered.csr.head(a)))
        .collect();
    let mut why: Vec<Option<Why>> = (0..n_real)
        .map(|a| arc_obstacle(net, lowered, a, commodity, &req.avoid).map(Why::Blocked))
        .collect();
    let attrs: Vec<f64> = (0..n_real)
        .map(|a| {
            let x = crate::cost::arc_attrs(net, lowered, lowered.arc_origin[a]);
            x.value(Objective::Cost, net, commodity).max(0.0)
        })
        .collect();
    for node in 0..net.nodes.len() {
        let node = NodeId::from_index(node);
        let outs: Vec<VertexIdx> = lowered
            .vertices_of(node)
            .filter(|&v| lowered.vertex_role[v as usize] != VertexRole::In)
            .collect();
        for &a in &outs {
            for &b in &outs {
                if a == b {
                    continue;
                }
                let offered = lowered.csr.out_arcs(a).any(|x| lowered.csr.head(x) == b);
                if !offered {
                    arcs.push((a, b));
                    why.push(Some(Why::MissingTransfer {
                        node,
                        from: lowered.vertex_layer[a as usize],
                        to: lowered.vertex_layer[b as usize],
                    }));
                }
            }
        }
    }
    let (g, order) = Csr::from_arcs(lowered.n_vertices(), &arcs);
    let reason: Vec<Option<String>> = order
        .iter()
        .map(|&i| {
            why[i as usize]
                .as_ref()
                .map(|w| describe(net, lowered, w, commodity))
        })
        .collect();
    let mut weight: Vec<f64> = order
        .iter()
        .map(|&i| {
            let i = i as usize;
            let base = if i < n_real { attrs[i] } else { 0.0 };
            base + if why[i].is_some() { PENALTY } else { 0.0 }
        })
        .collect();
    let g_tails = g.tails();
    let sources: Vec<(VertexIdx, f64)> = lowered
        .source_vertices(req.from)
        .map(|v| (v, 0.0))
        .collect();
    let mut sp = ShortestPath::new(g.n_vertices());
    // Each round finds the way with the fewest obstacles, then rules its
    // obstacles out, so the message lists every distinct way and what
    // blocks it (a planner sees all the doors that are shut, not one).
    let mut ways: Vec<Vec<String>> = Vec::new();
    for _ in 0..MAX_WAYS {
        sp.run(&g, &weight, &sources, None);
        let best = lowered
            .target_vertices(req.to)
            .filter(|&t| sp.reached(t))
            .min_by(|&a, &b| sp.dist(a).total_cmp(&sp.dist(b)));
        let Some(t) = best else { break };
        let mut reasons: Vec<String> = Vec::new();
        for a in sp.path_arcs(&g_tails, t).unwrap_or_default() {
            if let Some(r) = &reason[a as usize]
                && !reasons.contains(r)
            {
                reasons.push(r.clone());
            }
        }
        if reasons.is_empty() {
            break;
        }
        for (a, r) in reason.iter().enumerate() {
            if r.as_ref().is_some_and(|r| reasons.contains(r)) {
                weight[a] = f64::INFINITY;
            }
        }
        ways.push(reasons);
    }
    match ways.len() {
        0 => format!(
            "{head}: no chain of links, terminals and borders connects them at all (they lie on separate parts of the network)"
        ),
        1 => format!("{head}: {}", ways[0].join("; ")),
        _ => {
            let lines: Vec<String> = ways
                .iter()
                .map(|w| format!("  - {}", w.join("; ")))
                .collect();
            format!("{head}; every way is blocked:\n{}", lines.join("\n"))
        }
    }
}

fn describe(net: &Network, lowered: &Lowered, w: &Why, c: &Commodity) -> String {
    match w {
        Why::MissingTransfer { node, from, to } => format!(
            "no terminal at {} changes {} to {}",
            describe_node(net, *node),
            lowered.layers[*from as usize],
            lowered.layers[*to as usize]
        ),
        Why::Blocked(o) => match o {
            Obstacle::NodeClosed(n) => format!("{} is closed", describe_node(net, *n)),
            Obstacle::LinkClosed(l) => {
                let l = net.link(*l);
                format!(
                    "{} link \"{}\" ({}–{}) is closed",
                    l.layer(),
                    l.source_id,
                    net.node(l.from).source_id,
                    net.node(l.to).source_id
                )
            }
            Obstacle::LinkBans(l) => format!(
                "link \"{}\" does not carry {} ({})",
                net.link(*l).source_id,
                c.source_id,
                c.class
            ),
            Obstacle::TerminalClosed(t) => {
                let t = &net.terminals[t.index()];
                format!(
                    "terminal \"{}\" at {} is closed",
                    t.source_id,
                    describe_node(net, t.node)
                )
            }
            Obstacle::TerminalRejects(t) => {
                let t = &net.terminals[t.index()];
                format!(
                    "terminal \"{}\" at {} does not handle {} ({})",
                    t.source_id,
                    describe_node(net, t.node),
                    c.source_id,
                    c.class
                )
            }
            Obstacle::BorderClosed(b) => {
                let b = &net.borders[b.index()];
                format!(
                    "border \"{}\" ({}–{}) is closed",
                    b.source_id, b.countries[0], b.countries[1]
                )
            }
            Obstacle::BorderBans(b) => {
                let b = &net.borders[b.index()];
                format!(
                    "border \"{}\" does not let {} ({}) cross",
                    b.source_id, c.source_id, c.class
                )
            }
            Obstacle::Avoided(what) => format!("{what} is avoided (--avoid)"),
        },
    }
}
