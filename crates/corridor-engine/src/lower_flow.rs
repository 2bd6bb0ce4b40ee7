//! Lowering for flow problems: the routing graph of [`crate::lower`] plus
//! capacities in t/day (the network's flow unit), vertex splits for node and
//! terminal capacities, and a super-source and super-sink joined to the
//! `--from` and `--to` nodes.
//!
//! It reuses `lower`'s vertex numbering and arc origins (one vertex per
//! (node, layer), in/out vertices at borders) and adds only what flows need;
//! it does not solve anything (see [`mod@crate::capacity`]).
//!
//! # What binds, and how
//!
//! - A **link**'s capacity is per direction, so it is the capacity of each of
//!   its arcs: exact.
//! - A **node** with a capacity (a port's quays) limits its throughput. Each
//!   of its layer vertices is split into an in-vertex (where links arrive and
//!   supply starts) and an out-vertex (where links leave, transfers happen and
//!   cargo is absorbed), joined by a *capacity arc*; at border nodes the
//!   border crossing arcs play that part. Cargo is counted once however many
//!   layers it uses there, because transfers join out-vertices.
//! - A **terminal**'s capacity is one number for all cargo it handles. When
//!   its transfers connect every pair of its layers (a gauge-change terminal
//!   `rail:1520 <-> rail:1435`, or a port handling `rail <-> sea <-> road` in
//!   every combination), all of them go through one *gate* arc carrying the
//!   capacity: exact.
//! - A **border**'s capacity binds on its crossing arcs.
//!
//! A capacity shared by arcs in several layers (a node's or border's
//! capacity at a node with links of several layers; a terminal whose
//! transfers are not every pair of its layers) cannot be written as one arc
//! of a single-commodity network: a shared gate would let cargo change layer
//! where no terminal allows it. Such a capacity is recorded as a
//! [`SharedCapacity`] and each of its arcs first gets the whole capacity (a
//! relaxation, an upper bound); [`mod@crate::capacity`] then checks the sum and,
//! where it is exceeded, re-solves with the capacity divided between the
//! arcs in proportion to their flow, which is feasible, and reports both.

use crate::cost::{Objective, arc_attrs};
use crate::lower::{ArcOrigin, Lowered, VertexRole};
use crate::route::{Avoid, arc_obstacle};
use crate::{Error, Result};
use corridor_graph::{Csr, VertexIdx};
use corridor_model::{BorderId, CommodityId, LinkId, Network, NodeId, TerminalId};

/// Where an arc of the flow graph comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowArcOrigin {
    /// A link arc of the routing graph.
    Link { link: LinkId, forward: bool },
    /// A transfer arc of a terminal without a gate.
    Transfer { terminal: TerminalId },
    /// Into or out of a terminal's gate (no capacity, no cost).
    GateAccess { terminal: TerminalId },
    /// The gate arc that carries a terminal's capacity and handling cost.
    Gate { terminal: TerminalId },
    /// A border crossing arc in one layer.
    Border { border: BorderId, layer: u16 },
    /// The in→out arc of a capacitated node in one layer.
    NodeCapacity { node: NodeId, layer: u16 },
    /// Super-source to an origin (carries the origin's supply limit).
    Supply { node: NodeId },
    /// An origin's gate to one of its layer vertices.
    SupplyAccess { node: NodeId },
    /// A destination's layer vertex to its gate.
    AbsorbAccess { node: NodeId },
    /// A destination to the super-sink (carries the absorption limit).
    Absorb { node: NodeId },
}

/// An element whose one capacity is shared by arcs in several layers.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedCapacity {
    pub element: Element,
    /// t/day (the network's flow unit).
    pub capacity: f64,
    /// Arcs of the flow graph (CSR order) that share it.
    pub arcs: Vec<u32>,
}

/// An element of the network, as flows and bottlenecks report them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Element {
    Node(NodeId),
    Link(LinkId),
    Terminal(TerminalId),
    Border(BorderId),
    /// The supply limit of an origin.
    Supply(NodeId),
    /// The absorption limit of a destination.
    Absorption(NodeId),
}

impl FlowArcOrigin {
    /// The element whose capacity this arc carries, if any.
    pub fn element(self, net: &Network) -> Option<Element> {
        match self {
            FlowArcOrigin::Link { link, .. } => Some(Element::Link(link)),
            FlowArcOrigin::Transfer { terminal } | FlowArcOrigin::Gate { terminal } => {
                Some(Element::Terminal(terminal))
            }
            FlowArcOrigin::Border { border, .. } => {
                let b = &net.borders[border.index()];
                if b.capacity_t_per_day.is_none() && net.node(b.node).capacity_t_per_day.is_some() {
                    Some(Element::Node(b.node))
                } else {
                    Some(Element::Border(border))
                }
            }
            FlowArcOrigin::NodeCapacity { node, .. } => Some(Element::Node(node)),
            FlowArcOrigin::Supply { node } => Some(Element::Supply(node)),
            FlowArcOrigin::Absorb { node } => Some(Element::Absorption(node)),
            FlowArcOrigin::GateAccess { .. }
            | FlowArcOrigin::SupplyAccess { .. }
            | FlowArcOrigin::AbsorbAccess { .. } => None,
        }
    }
}

/// What to lower: origins and destinations with optional limits (t/day),
/// the commodity and the cost that picks the cheapest maximum flow.
#[derive(Clone, Debug)]
pub struct FlowRequest {
    pub from: Vec<(NodeId, Option<f64>)>,
    pub to: Vec<(NodeId, Option<f64>)>,
    pub commodity: CommodityId,
    pub objective: Objective,
}

/// A flow graph ready for [`corridor_graph::min_cost_flow`].
#[derive(Clone, Debug)]
pub struct FlowGraph {
    pub csr: Csr,
    /// Per arc, t/day; `f64::INFINITY` for no limit.
    pub capacity: Vec<f64>,
    /// Per arc, per tonne by the request's objective.
    pub cost: Vec<f64>,
    pub origin: Vec<FlowArcOrigin>,
    pub source: VertexIdx,
    pub sink: VertexIdx,
    /// Capacities shared across layers, relaxed as the module doc says.
    pub shared: Vec<SharedCapacity>,
}

/// Lowers `net` (already lowered for routing as `lowered`) for a flow
/// request. Closed elements, commodity bans and zones that may not be passed
/// through get no arc.
#[allow(clippy::needless_range_loop)] // parallel arrays indexed by vertex and arc
pub fn lower_flow(net: &Network, lowered: &Lowered, req: &FlowRequest) -> Result<FlowGraph> {
    let commodity = net
        .commodities
        .get(req.commodity.index())
        .ok_or_else(|| Error::InvalidRequest("commodity index out of range".into()))?;
    for &(n, limit) in req.from.iter().chain(&req.to) {
        if let Some(x) = limit
            && !(x.is_finite() && x >= 0.0)
        {
            return Err(Error::InvalidRequest(format!(
                "the limit {x} at node \"{}\" is not a non-negative number",
                net.node(n).source_id
            )));
        }
        if !net.node(n).open {
            return Err(Error::InvalidRequest(format!(
                "node \"{}\" is closed",
                net.node(n).source_id
            )));
        }
    }
    for &(f, _) in &req.from {
        if req.to.iter().any(|&(t, _)| t == f) {
            return Err(Error::InvalidRequest(format!(
                "node \"{}\" is both an origin and a destination",
                net.node(f).source_id
            )));
        }
    }
    let avoid = Avoid::default();
    let n_low = lowered.n_vertices();

    // Flow vertices: lowered vertex v keeps index v (its in-side); a plain
    // vertex of a capacitated node gets an out-side after them.
    let mut out_of: Vec<VertexIdx> = (0..n_low as u32).collect();
    let mut n = n_low as u32;
    for v in 0..n_low {
        let node = lowered.vertex_node[v];
        if lowered.vertex_role[v] == VertexRole::Plain
            && net.node(node).capacity_t_per_day.is_some()
        {
            out_of[v] = n;
            n += 1;
        }
    }
    let mut b = Builder::default();
    let unlimited = |c: Option<f64>| c.unwrap_or(f64::INFINITY);

    // Node capacity arcs at plain vertices.
    for v in 0..n_low {
        if out_of[v] != v as u32 {
            let node = lowered.vertex_node[v];
            let open = net.node(node).open;
            b.push(
                v as u32,
                out_of[v],
                if open {
                    unlimited(net.node(node).capacity_t_per_day)
                } else {
                    0.0
                },
                0.0,
                FlowArcOrigin::NodeCapacity {
                    node,
                    layer: lowered.vertex_layer[v],
                },
            );
        }
    }

    // Terminals whose transfers connect every pair of their layers get a gate.
    let mut pairs: Vec<Vec<(u16, u16)>> = vec![Vec::new(); net.terminals.len()];
    for o in &lowered.arc_origin {
        if let ArcOrigin::Transfer { terminal, from, to } = *o {
            pairs[terminal.index()].push((from, to));
        }
    }
    let mut gate: Vec<Option<(u32, u32)>> = vec![None; net.terminals.len()];
    for (ti, p) in pairs.iter_mut().enumerate() {
        p.sort_unstable();
        p.dedup();
        let mut layers: Vec<u16> = p.iter().flat_map(|&(a, b)| [a, b]).collect();
        layers.sort_unstable();
        layers.dedup();
        let k = layers.len();
        let t = &net.terminals[ti];
        if k >= 2 && p.len() == k * (k - 1) && t.capacity_t_per_day.is_some() {
            gate[ti] = Some((n, n + 1));
            n += 2;
        }
    }

    let tails = lowered.csr.tails();
    let mut gate_layers: Vec<Vec<u32>> = vec![Vec::new(); net.terminals.len()];
    let mut shared_arcs: std::collections::BTreeMap<Element, (f64, Vec<u32>)> =
        std::collections::BTreeMap::new();
    for a in 0..lowered.n_arcs() {
        let (t, h) = (tails[a], lowered.csr.head(a));
        let o = lowered.arc_origin[a];
        let usable = arc_obstacle(net, lowered, a, commodity, &avoid).is_none();
        let money = arc_attrs(net, lowered, o).value(req.objective, net, commodity);
        match o {
            ArcOrigin::Link { link, forward } => {
                let c = if usable {
                    unlimited(net.link(link).capacity_t_per_day)
                } else {
                    0.0
                };
                b.push(
                    out_of[t as usize],
                    h,
                    c,
                    money,
                    FlowArcOrigin::Link { link, forward },
                );
            }
            ArcOrigin::Transfer { terminal, .. } => {
                if !usable {
                    continue;
                }
                if gate[terminal.index()].is_some() {
                    gate_layers[terminal.index()].push(out_of[t as usize]);
                    gate_layers[terminal.index()].push(out_of[h as usize]);
                    continue;
                }
                let c = unlimited(net.terminals[terminal.index()].capacity_t_per_day);
                let idx = b.arcs.len() as u32;
                b.push(
                    out_of[t as usize],
                    out_of[h as usize],
                    c,
                    money,
                    FlowArcOrigin::Transfer { terminal },
                );
                if c.is_finite() {
                    shared_arcs
                        .entry(Element::Terminal(terminal))
                        .or_insert((c, Vec::new()))
                        .1
                        .push(idx);
                }
            }
            ArcOrigin::Border { border, layer } => {
                let bd = &net.borders[border.index()];
                let node_cap = net.node(bd.node).capacity_t_per_day;
                let c = if usable {
                    unlimited(bd.capacity_t_per_day).min(unlimited(node_cap))
                } else {
                    0.0
                };
                let idx = b.arcs.len() as u32;
                b.push(
                    t,
                    out_of[h as usize],
                    c,
                    money,
                    FlowArcOrigin::Border { border, layer },
                );
                if let Some(bc) = bd.capacity_t_per_day {
                    shared_arcs
                        .entry(Element::Border(border))
                        .or_insert((bc, Vec::new()))
                        .1
                        .push(idx);
                }
                if let Some(nc) = node_cap {
                    shared_arcs
                        .entry(Element::Node(bd.node))
                        .or_insert((nc, Vec::new()))
                        .1
                        .push(idx);
                }
            }
        }
    }
    // Gates: every layer vertex the terminal serves, into and out of it.
    for (ti, g) in gate.iter().enumerate() {
        let Some((gin, gout)) = *g else { continue };
        let terminal = TerminalId::from_index(ti);
        let mut vs = std::mem::take(&mut gate_layers[ti]);
        vs.sort_unstable();
        vs.dedup();
        if vs.is_empty() {
            continue;
        }
        let t = &net.terminals[ti];
        let money = arc_attrs(
            net,
            lowered,
            ArcOrigin::Transfer {
                terminal,
                from: 0,
                to: 0,
            },
        )
        .value(req.objective, net, commodity);
        b.push(
            gin,
            gout,
            unlimited(t.capacity_t_per_day),
            money,
            FlowArcOrigin::Gate { terminal },
        );
        for &v in &vs {
            b.push(
                v,
                gin,
                f64::INFINITY,
                0.0,
                FlowArcOrigin::GateAccess { terminal },
            );
            b.push(
                gout,
                v,
                f64::INFINITY,
                0.0,
                FlowArcOrigin::GateAccess { terminal },
            );
        }
    }
    // Node capacity arcs of one node across several layers share it.
    for (i, o) in b.origin.iter().enumerate() {
        if let FlowArcOrigin::NodeCapacity { node, .. } = *o
            && let Some(c) = net.node(node).capacity_t_per_day
        {
            shared_arcs
                .entry(Element::Node(node))
                .or_insert((c, Vec::new()))
                .1
                .push(i as u32);
        }
    }

    // Super-source and super-sink.
    let source = n;
    let sink = n + 1;
    n += 2;
    for &(node, limit) in &req.from {
        let g = n;
        n += 1;
        b.push(
            source,
            g,
            unlimited(limit),
            0.0,
            FlowArcOrigin::Supply { node },
        );
        for v in lowered.source_vertices(node) {
            b.push(
                g,
                v,
                f64::INFINITY,
                0.0,
                FlowArcOrigin::SupplyAccess { node },
            );
        }
    }
    for &(node, limit) in &req.to {
        let g = n;
        n += 1;
        for v in lowered.target_vertices(node) {
            b.push(
                out_of[v as usize],
                g,
                f64::INFINITY,
                0.0,
                FlowArcOrigin::AbsorbAccess { node },
            );
        }
        b.push(
            g,
            sink,
            unlimited(limit),
            0.0,
            FlowArcOrigin::Absorb { node },
        );
    }

    let (csr, order) = Csr::from_arcs(n as usize, &b.arcs);
    let mut position = vec![0u32; order.len()];
    for (p, &i) in order.iter().enumerate() {
        position[i as usize] = p as u32;
    }
    let shared = shared_arcs
        .into_iter()
        .filter(|(_, (_, a))| a.len() > 1)
        .map(|(element, (capacity, a))| SharedCapacity {
            element,
            capacity,
            arcs: a.iter().map(|&i| position[i as usize]).collect(),
        })
        .collect();
    let permute = |x: &[f64]| order.iter().map(|&i| x[i as usize]).collect::<Vec<f64>>();
    Ok(FlowGraph {
        capacity: permute(&b.cap),
        cost: permute(&b.cost),
        origin: order.iter().map(|&i| b.origin[i as usize]).collect(),
        csr,
        source,
        sink,
        shared,
    })
}

/// Arcs in the order they are made, before the CSR sort.
#[derive(Default)]
struct Builder {
    arcs: Vec<(VertexIdx, VertexIdx)>,
    cap: Vec<f64>,
    cost: Vec<f64>,
    origin: Vec<FlowArcOrigin>,
}

impl Builder {
    fn push(&mut self, t: u32, h: u32, cap: f64, cost: f64, o: FlowArcOrigin) {
        self.arcs.push((t, h));
        self.cap.push(cap);
        self.cost.push(cost);
        self.origin.push(o);
    }
}
