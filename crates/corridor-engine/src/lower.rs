//! Lowering: a [`Network`] becomes the directed graph every question runs
//! on, with one **vertex** per (node, layer) and one **arc** per direction of
//! each link, per transfer a terminal offers and per border crossing. One
//! function, [`lower`], builds it for every question; [`LowerConfig`] adds
//! what a question needs on top, and every arc says where it comes from
//! ([`ArcOrigin`]) so results map back to the model.
//!
//! # The network part
//!
//! Its topology does not depend on the commodity, the objective or what is
//! open: closures, bans and `--avoid` become infinite weights (see
//! [`crate::route()`]), so one lowering serves every commodity and scenario
//! of the same shape, and vertex numbers stay stable between them.
//!
//! A node is **split** into an in-vertex and an out-vertex per layer when it
//! is a border crossing (the crossing arc joins them, carrying dwell time and
//! fees) or a zone that paths may not pass through (no arc joins them). Links
//! arrive at in-vertices and leave from out-vertices; transfers at a split
//! node join out-vertices, so cargo crosses once and then changes layer.
//!
//! Vertices are numbered node by node, layers in sorted order, in before
//! out; the in-vertices of no-through zones come after all of them. On a
//! road network (one layer) vertex `i` is then node `i` and the zones'
//! arrivals follow, the numbering traffic assignment has always used, so
//! its results (which depend on how Dijkstra breaks ties) do not move.
//!
//! # What questions add
//!
//! - **Capacity splits** (flows, [`LowerConfig::capacity_splits`]): a node
//!   with a capacity gets, per plain layer vertex, an out-side joined by a
//!   [`ArcOrigin::NodeCapacity`] arc (links arrive at the in-side and leave
//!   from the out-side); a terminal whose transfers connect every pair of its
//!   layers gets one [`ArcOrigin::Gate`] arc through which all of them pass.
//!   Transfers the commodity may not use are left out, so a gate joins only
//!   the layers the commodity may change between. Why these are exact, and
//!   what is not, is `capacity`'s business ([`mod@crate::capacity`]).
//! - **A super-source and super-sink** ([`LowerConfig::source_sink`]): each
//!   origin is fed through its own gate (its supply limit), each
//!   destination drains through its own gate (its absorption limit).
//! - **Zones** ([`LowerConfig::zones`]): the vertex where an origin's trips
//!   start and a destination's trips end. A node with exactly one such layer
//!   vertex is its own zone (no extra vertex, no connector: road networks
//!   stay as small as their links); otherwise a zone vertex joined at zero
//!   cost to each layer vertex lets every path pick its start and end layer.
//! - **The capacity-element table** ([`LowerConfig::elements`],
//!   [`ElementTable`]): per arc, the elements whose capacity it uses.
//!
//! Everything runs in O(nodes + links + terminal transfers) plus the CSR
//! sort, in flat arrays: no allocation per arc or per node.
//!
//! The routing lowering can be stored (in a compiled network file) and read
//! back instead of lowered again: [`Lowered::to_stored`],
//! [`Lowered::from_stored`], and [`same_topology`] to tell whether a
//! scenario's network still fits it.

pub use crate::arc_origin::{ArcOrigin, Element, LayerIdx};

mod stored;
pub use stored::{LOWERING_VERSION, same_topology, stored_routing_lowering};

use crate::access::{Avoid, arc_obstacle};
use corridor_graph::{ArcIdx, Csr, VertexIdx};
use corridor_model::{BorderId, CommodityId, Layer, LinkId, Network, NodeId, TerminalId};

/// What a question needs on top of the network's own arcs. The default is
/// routing: the network part only.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LowerConfig {
    /// Build [`Lowered::elements`] (capacity, assignment).
    pub elements: bool,
    /// Give closed links no arc (road assignment, whose volume–delay costs
    /// must be finite); otherwise they are arcs that weights close.
    pub skip_closed_links: bool,
    /// Vertex splits for node capacities and gates for terminals, for flows
    /// of this commodity (see the module doc). [`lower`] panics if the id
    /// is not one of the network's commodities: callers resolve it first.
    pub capacity_splits: Option<CommodityId>,
    /// Super-source and super-sink with limits (capacity).
    pub source_sink: Option<SourceSinkConfig>,
    /// Origin and destination zones (assignment).
    pub zones: Option<ZoneConfig>,
}

/// Origins and destinations of a flow question, each with an optional
/// limit in t/day (the network's flow unit). Callers check the limits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceSinkConfig {
    pub from: Vec<(NodeId, Option<f64>)>,
    pub to: Vec<(NodeId, Option<f64>)>,
}

/// Nodes where trips start and where they end (any order, repeats allowed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZoneConfig {
    pub origins: Vec<NodeId>,
    pub destinations: Vec<NodeId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VertexRole {
    /// The only vertex of its (node, layer).
    Plain,
    /// Where links arrive at a split node.
    In,
    /// Where links leave a split node.
    Out,
}

/// The elements whose capacity each arc uses (empty unless
/// [`LowerConfig::elements`]). Rows: every link direction (forward, then
/// backward for a two-way link, in link order), every terminal, every
/// border, every node with a capacity, then one supply and one absorption
/// row per origin and destination of [`LowerConfig::source_sink`].
///
/// A border crossing at a node with a capacity uses both the border's and
/// the node's; every other arc uses at most one element.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ElementTable {
    /// Per row.
    pub element: Vec<Element>,
    /// Per row: its capacity in t/day (the network's flow unit, or the
    /// question's limit); `f64::INFINITY` when it has none.
    pub capacity: Vec<f64>,
    /// Arc `a` uses rows `arc_rows[arc_first[a]..arc_first[a + 1]]`.
    arc_first: Vec<u32>,
    arc_rows: Vec<u32>,
}

impl ElementTable {
    pub fn len(&self) -> usize {
        self.element.len()
    }
    pub fn is_empty(&self) -> bool {
        self.element.is_empty()
    }
    /// The rows whose capacity arc `a` (CSR order) uses, in the order the
    /// table doc gives (a border before its node).
    pub fn of_arc(&self, a: ArcIdx) -> &[u32] {
        if self.arc_first.is_empty() {
            return &[];
        }
        &self.arc_rows[self.arc_first[a.index()] as usize..self.arc_first[a.index() + 1] as usize]
    }
    fn heap_bytes(&self) -> usize {
        self.element.capacity() * std::mem::size_of::<Element>()
            + self.capacity.capacity() * 8
            + (self.arc_first.capacity() + self.arc_rows.capacity()) * 4
    }
}

/// A lowered network: topology plus the maps back to the model.
#[derive(Clone, Debug)]
pub struct Lowered {
    pub csr: Csr,
    /// Per CSR arc.
    pub arc_origin: Vec<ArcOrigin>,
    /// Per network vertex (the first `vertex_node.len()` vertices; those
    /// after them are the helpers [`LowerConfig`] asked for).
    pub vertex_node: Vec<NodeId>,
    /// Per network vertex.
    pub vertex_layer: Vec<LayerIdx>,
    /// Per network vertex.
    pub vertex_role: Vec<VertexRole>,
    /// The distinct layers of the network's links, sorted.
    pub layers: Vec<Layer>,
    /// Per arc, the elements whose capacity it uses.
    pub elements: ElementTable,
    /// The super-source and super-sink, when asked for.
    pub source_sink: Option<(VertexIdx, VertexIdx)>,
    /// What a vessel class changes, found once here so that no question
    /// scans the links for it.
    pub vessels: VesselArcs,
    /// Vertices of node `n` are `node_first_vertex[n]..node_first_vertex[n + 1]`,
    /// plus its arrivals if it is a no-through zone.
    node_first_vertex: Vec<u32>,
    /// Network vertices from here on are the arrivals (in-vertices) of
    /// no-through zones, by node.
    first_arrival: u32,
    zones: Zones,
}

/// The arcs whose figures depend on the vessel class sailing them: the
/// arcs of sea-lane links (priced by the class, closed where it does not
/// fit a passage) and of sea links into or out of a port with a draught
/// limit (closed to a class that cannot call there). Classes apply only
/// when the network has sea lanes: hand-written sea links keep the mode
/// defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VesselArcs {
    pub has_sea_lanes: bool,
    /// Sorted.
    pub arcs: Vec<ArcIdx>,
}

impl VesselArcs {
    /// Scans the arcs once (at lowering, or when a stored lowering is read),
    /// on every core: millions of arcs on a country-scale network.
    pub fn of(net: &Network, arc_origin: &[ArcOrigin]) -> Self {
        use corridor_model::{Mode, is_sea_lane, port_draught_m};
        use rayon::prelude::*;
        let found: Vec<(ArcIdx, bool)> = arc_origin
            .par_iter()
            .with_min_len(1 << 14)
            .enumerate()
            .filter_map(|(a, o)| match o {
                ArcOrigin::Link { link, .. } => {
                    let l = net.link(*link);
                    let lane = is_sea_lane(l);
                    let port = l.mode == Mode::Sea
                        && [l.from, l.to]
                            .iter()
                            .any(|&n| port_draught_m(net.node(n)).is_some());
                    (lane || port).then_some((ArcIdx(a as u32), lane))
                }
                _ => None,
            })
            .collect();
        Self {
            has_sea_lanes: found.iter().any(|&(_, lane)| lane),
            arcs: found.into_iter().map(|(a, _)| a).collect(),
        }
    }

    /// The arcs to overwrite per class: none when classes do not apply.
    pub fn arcs(&self) -> &[ArcIdx] {
        if self.has_sea_lanes { &self.arcs } else { &[] }
    }
}

/// Zone vertex of each origin and destination node, sorted by node.
#[derive(Clone, Debug, Default)]
struct Zones {
    origin: Vec<(NodeId, VertexIdx)>,
    destination: Vec<(NodeId, VertexIdx)>,
}

impl Lowered {
    pub fn n_vertices(&self) -> usize {
        self.csr.n_vertices()
    }
    pub fn n_arcs(&self) -> usize {
        self.csr.n_arcs()
    }

    pub fn layer(&self, li: LayerIdx) -> Layer {
        self.layers[li.index()]
    }

    /// The layer of network vertex `v`.
    pub fn layer_of(&self, v: VertexIdx) -> Layer {
        self.layer(self.vertex_layer[v.index()])
    }

    /// Every vertex of a node (none when no link reaches it).
    pub fn vertices_of(&self, node: NodeId) -> impl Iterator<Item = VertexIdx> + '_ {
        let own = self.node_first_vertex[node.index()]..self.node_first_vertex[node.index() + 1];
        let arrivals = &self.vertex_node[self.first_arrival as usize..];
        let lo = arrivals.partition_point(|&n| n < node);
        let hi = lo + arrivals[lo..].partition_point(|&n| n == node);
        own.chain(self.first_arrival + lo as u32..self.first_arrival + hi as u32)
            .map(VertexIdx)
    }

    /// Vertices a shipment can start from at `node` (one per layer).
    pub fn source_vertices(&self, node: NodeId) -> impl Iterator<Item = VertexIdx> + '_ {
        self.vertices_of(node)
            .filter(|&v| self.vertex_role[v.index()] != VertexRole::In)
    }

    /// Vertices a shipment can end at at `node` (one per layer).
    pub fn target_vertices(&self, node: NodeId) -> impl Iterator<Item = VertexIdx> + '_ {
        self.vertices_of(node)
            .filter(|&v| self.vertex_role[v.index()] != VertexRole::Out)
    }

    /// The vertex of `node` in `layer` with `role`, if any.
    pub fn vertex(&self, node: NodeId, layer: Layer, role: VertexRole) -> Option<VertexIdx> {
        let li = LayerIdx(self.layers.binary_search(&layer).ok()? as u16);
        self.vertices_of(node)
            .find(|&v| self.vertex_layer[v.index()] == li && self.vertex_role[v.index()] == role)
    }

    /// Where trips from `node` start, if it is one of [`ZoneConfig::origins`].
    pub fn origin_vertex(&self, node: NodeId) -> Option<VertexIdx> {
        zone_of(&self.zones.origin, node)
    }

    /// Where trips to `node` end, if it is one of [`ZoneConfig::destinations`].
    pub fn destination_vertex(&self, node: NodeId) -> Option<VertexIdx> {
        zone_of(&self.zones.destination, node)
    }

    /// Heap bytes of everything the lowering holds.
    pub fn heap_bytes(&self) -> usize {
        self.csr.heap_bytes()
            + self.arc_origin.capacity() * std::mem::size_of::<ArcOrigin>()
            + self.vertex_node.capacity() * 4
            + self.vertex_layer.capacity() * 2
            + self.vertex_role.capacity()
            + self.node_first_vertex.capacity() * 4
            + self.elements.heap_bytes()
            + (self.zones.origin.capacity() + self.zones.destination.capacity()) * 8
    }
}

fn zone_of(zones: &[(NodeId, VertexIdx)], node: NodeId) -> Option<VertexIdx> {
    let i = zones.binary_search_by_key(&node, |z| z.0).ok()?;
    Some(zones[i].1)
}

/// Lowers `net` for the question `cfg` describes. Runs in O(nodes + links +
/// terminal transfers) plus the CSR sort.
pub fn lower(net: &Network, cfg: &LowerConfig) -> Lowered {
    let layers = LayerTable::new(net);
    let vertices = VertexTable::new(net, &layers);
    let mut b = ArcBuilder::new(net, cfg, &layers, &vertices);
    b.links();
    b.borders();
    b.transfers();
    b.node_capacities();
    b.gates();
    let source_sink = cfg.source_sink.as_ref().map(|s| b.source_sink(s));
    let zones = cfg.zones.as_ref().map(|z| b.zones(z)).unwrap_or_default();
    let (csr, order) = Csr::from_arcs(b.n_vertices as usize, &b.arcs);
    let arc_origin: Vec<ArcOrigin> = order.iter().map(|&i| b.origin[i as usize]).collect();
    let vessels = VesselArcs::of(net, &arc_origin);
    let elements = b.rows.into_table(&order);
    let VertexTable {
        node,
        layer,
        role,
        node_first,
        first_arrival,
        ..
    } = vertices;
    Lowered {
        csr,
        arc_origin,
        vertex_node: node,
        vertex_layer: layer,
        vertex_role: role,
        layers: layers.layers,
        elements,
        source_sink,
        vessels,
        node_first_vertex: node_first,
        first_arrival,
        zones,
    }
}

/// The network's layers, each link's, and the sorted layers at each node.
struct LayerTable {
    layers: Vec<Layer>,
    link_layer: Vec<LayerIdx>,
    /// Layers at node `n` are `at[first[n]..first[n + 1]]`, sorted.
    first: Vec<u32>,
    at: Vec<LayerIdx>,
}

impl LayerTable {
    fn new(net: &Network) -> Self {
        // A network has a handful of layers: a linear scan beats a set.
        let mut layers: Vec<Layer> = Vec::new();
        for l in &net.links {
            let layer = l.layer();
            if !layers.contains(&layer) {
                layers.push(layer);
            }
        }
        layers.sort();
        let link_layer: Vec<LayerIdx> = net
            .links
            .iter()
            .map(|l| {
                let i = layers.binary_search(&l.layer()).expect("collected above");
                LayerIdx(i as u16)
            })
            .collect();
        // Both ends of every link, bucketed by node, then sorted and
        // deduplicated per node in place.
        let n = net.nodes.len();
        let mut first = vec![0u32; n + 1];
        for l in &net.links {
            first[l.from.index() + 1] += 1;
            first[l.to.index() + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut next = first.clone();
        let mut at = vec![LayerIdx(0); 2 * net.links.len()];
        for (l, &li) in net.links.iter().zip(&link_layer) {
            for end in [l.from, l.to] {
                at[next[end.index()] as usize] = li;
                next[end.index()] += 1;
            }
        }
        let mut kept = 0usize;
        for i in 0..n {
            let (lo, hi) = (first[i] as usize, first[i + 1] as usize);
            at[lo..hi].sort_unstable();
            first[i] = kept as u32;
            for j in lo..hi {
                if j == lo || at[j] != at[j - 1] {
                    at[kept] = at[j];
                    kept += 1;
                }
            }
        }
        first[n] = kept as u32;
        at.truncate(kept);
        Self {
            layers,
            link_layer,
            first,
            at,
        }
    }

    fn at(&self, node: NodeId) -> &[LayerIdx] {
        &self.at[self.first[node.index()] as usize..self.first[node.index() + 1] as usize]
    }
}

/// The network's vertices (see the module doc for their order).
struct VertexTable {
    node: Vec<NodeId>,
    layer: Vec<LayerIdx>,
    role: Vec<VertexRole>,
    node_first: Vec<u32>,
    first_arrival: u32,
    /// Per node: whether it is a border crossing (split, in and out
    /// adjacent) and where its arrivals start if it is a no-through zone.
    is_border: Vec<bool>,
    arrival_first: Vec<u32>,
}

impl VertexTable {
    fn new(net: &Network, layers: &LayerTable) -> Self {
        let n = net.nodes.len();
        let mut is_border = vec![false; n];
        for b in &net.borders {
            is_border[b.node.index()] = true;
        }
        // Exact sizes, so that `heap_bytes` counts no slack.
        let mut size = 0;
        for (i, node) in net.nodes.iter().enumerate() {
            let k = layers.at(NodeId::from_index(i)).len();
            size += if is_border[i] || node.no_through {
                2 * k
            } else {
                k
            };
        }
        let mut t = Self {
            node: Vec::with_capacity(size),
            layer: Vec::with_capacity(size),
            role: Vec::with_capacity(size),
            node_first: Vec::with_capacity(n + 1),
            first_arrival: 0,
            is_border,
            arrival_first: vec![u32::MAX; n],
        };
        for (i, node) in net.nodes.iter().enumerate() {
            t.node_first.push(t.node.len() as u32);
            let id = NodeId::from_index(i);
            let roles: &[VertexRole] = if t.is_border[i] {
                &[VertexRole::In, VertexRole::Out]
            } else if node.no_through {
                &[VertexRole::Out]
            } else {
                &[VertexRole::Plain]
            };
            for &li in layers.at(id) {
                for &r in roles {
                    t.push(id, li, r);
                }
            }
        }
        t.node_first.push(t.node.len() as u32);
        t.first_arrival = t.node.len() as u32;
        for (i, node) in net.nodes.iter().enumerate() {
            if node.no_through && !t.is_border[i] {
                t.arrival_first[i] = t.node.len() as u32;
                let id = NodeId::from_index(i);
                for &li in layers.at(id) {
                    t.push(id, li, VertexRole::In);
                }
            }
        }
        t
    }

    fn push(&mut self, node: NodeId, layer: LayerIdx, role: VertexRole) {
        self.node.push(node);
        self.layer.push(layer);
        self.role.push(role);
    }

    fn len(&self) -> u32 {
        self.node.len() as u32
    }

    /// The vertex of `node` in its `k`-th layer where links arrive
    /// (`arrive`) or leave.
    fn find(&self, node: NodeId, k: usize, arrive: bool) -> VertexIdx {
        let i = node.index();
        let first = self.node_first[i];
        VertexIdx(if self.is_border[i] {
            first + 2 * k as u32 + u32::from(!arrive)
        } else if arrive && self.arrival_first[i] != u32::MAX {
            self.arrival_first[i] + k as u32
        } else {
            first + k as u32
        })
    }
}

/// Arcs in the order they are made (before the CSR sort), the helper
/// vertices numbered after the network's, and the element rows.
struct ArcBuilder<'a> {
    net: &'a Network,
    cfg: &'a LowerConfig,
    layers: &'a LayerTable,
    vertices: &'a VertexTable,
    arcs: Vec<(VertexIdx, VertexIdx)>,
    origin: Vec<ArcOrigin>,
    rows: RowBuilder,
    n_vertices: u32,
    /// Out-side of each network vertex (itself unless capacity splits
    /// split it); empty without splits.
    out_of: Vec<VertexIdx>,
    /// Per terminal: its gate's (in, out) vertices, if it has one.
    gate: Vec<Option<(VertexIdx, VertexIdx)>>,
    /// (terminal, layer vertex) pairs each gate serves.
    gate_serves: Vec<(TerminalId, VertexIdx)>,
}

impl<'a> ArcBuilder<'a> {
    fn new(
        net: &'a Network,
        cfg: &'a LowerConfig,
        layers: &'a LayerTable,
        vertices: &'a VertexTable,
    ) -> Self {
        let n_arcs = net.links.len() * 2 + net.borders.len() + net.terminals.len();
        let mut b = Self {
            net,
            cfg,
            layers,
            vertices,
            arcs: Vec::with_capacity(n_arcs),
            origin: Vec::with_capacity(n_arcs),
            rows: RowBuilder::new(net, cfg),
            n_vertices: vertices.len(),
            out_of: Vec::new(),
            gate: vec![None; net.terminals.len()],
            gate_serves: Vec::new(),
        };
        if cfg.capacity_splits.is_some() {
            b.split_capacitated_nodes();
        }
        b
    }

    fn push(&mut self, t: VertexIdx, h: VertexIdx, o: ArcOrigin) {
        self.arcs.push((t, h));
        self.origin.push(o);
        self.rows.push_arc(self.net, o);
    }

    fn new_vertex(&mut self) -> VertexIdx {
        self.n_vertices += 1;
        VertexIdx(self.n_vertices - 1)
    }

    fn out(&self, v: VertexIdx) -> VertexIdx {
        if self.out_of.is_empty() {
            v
        } else {
            self.out_of[v.index()]
        }
    }

    /// The `k` of `li` among `node`'s layers.
    fn k(&self, node: NodeId, li: LayerIdx) -> usize {
        self.layers
            .at(node)
            .binary_search(&li)
            .expect("every link's layer is a layer of both its ends")
    }

    /// Plain vertices of nodes with a capacity get an out-side.
    fn split_capacitated_nodes(&mut self) {
        let v = self.vertices;
        self.out_of = (0..v.len()).map(VertexIdx).collect();
        for i in 0..v.len() as usize {
            if v.role[i] == VertexRole::Plain
                && self.net.node(v.node[i]).capacity_t_per_day.is_some()
            {
                self.out_of[i] = self.new_vertex();
            }
        }
    }

    fn links(&mut self) {
        let net = self.net;
        for (i, l) in net.links.iter().enumerate() {
            if self.cfg.skip_closed_links && !l.open {
                continue;
            }
            let li = self.layers.link_layer[i];
            let (kf, kt) = (self.k(l.from, li), self.k(l.to, li));
            let v = self.vertices;
            let link = LinkId::from_index(i);
            let (from_out, to_in) = (v.find(l.from, kf, false), v.find(l.to, kt, true));
            self.push(
                self.out(from_out),
                to_in,
                ArcOrigin::Link {
                    link,
                    forward: true,
                },
            );
            if !l.oneway {
                let (to_out, from_in) = (v.find(l.to, kt, false), v.find(l.from, kf, true));
                self.push(
                    self.out(to_out),
                    from_in,
                    ArcOrigin::Link {
                        link,
                        forward: false,
                    },
                );
            }
        }
    }

    /// Crossing arcs, in → out at the border's node, one per layer there;
    /// none at a no-through zone (nothing passes through it).
    fn borders(&mut self) {
        let net = self.net;
        for (bi, b) in net.borders.iter().enumerate() {
            if net.nodes[b.node.index()].no_through {
                continue;
            }
            for (k, &layer) in self.layers.at(b.node).iter().enumerate() {
                let v = self.vertices;
                let (vin, vout) = (v.find(b.node, k, true), v.find(b.node, k, false));
                self.push(
                    vin,
                    self.out(vout),
                    ArcOrigin::Border {
                        border: BorderId::from_index(bi),
                        layer,
                    },
                );
            }
        }
    }

    /// One arc per change of layer each terminal offers, between the
    /// out-vertices of its node; with capacity splits, a gate instead when
    /// the changes join every pair of its layers and it has a capacity.
    fn transfers(&mut self) {
        let net = self.net;
        let commodity = self
            .cfg
            .capacity_splits
            .map(|c| &net.commodities[c.index()]);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut gate_layers: Vec<usize> = Vec::new();
        for (ti, t) in net.terminals.iter().enumerate() {
            let terminal = TerminalId::from_index(ti);
            let here = self.layers.at(t.node);
            pairs.clear();
            for (a, b) in &t.transfers {
                for (ka, la) in here.iter().enumerate() {
                    for (kb, lb) in here.iter().enumerate() {
                        let (la, lb) = (
                            self.layers.layers[la.index()],
                            self.layers.layers[lb.index()],
                        );
                        if la != lb && a.matches(&la) && b.matches(&lb) {
                            pairs.push((ka, kb));
                            pairs.push((kb, ka));
                        }
                    }
                }
            }
            pairs.sort_unstable();
            pairs.dedup();
            let Some(c) = commodity else {
                self.push_transfers(terminal, &pairs);
                continue;
            };
            let origin = ArcOrigin::Gate { terminal };
            let usable = arc_obstacle(net, origin, c, &Avoid::default()).is_none();
            gate_layers.clear();
            gate_layers.extend(pairs.iter().flat_map(|&(a, b)| [a, b]));
            gate_layers.sort_unstable();
            gate_layers.dedup();
            let k = gate_layers.len();
            if k >= 2 && pairs.len() == k * (k - 1) && t.capacity_t_per_day.is_some() {
                let gate = (self.new_vertex(), self.new_vertex());
                self.gate[ti] = Some(gate);
                if usable {
                    for &k in &gate_layers {
                        let v = self.out(self.vertices.find(t.node, k, false));
                        self.gate_serves.push((terminal, v));
                    }
                }
            } else if usable {
                self.push_transfers(terminal, &pairs);
            }
        }
    }

    /// Transfer arcs for `pairs` of layer positions at the terminal's node.
    fn push_transfers(&mut self, terminal: TerminalId, pairs: &[(usize, usize)]) {
        let node = self.net.terminals[terminal.index()].node;
        let here = self.layers.at(node);
        for &(ka, kb) in pairs {
            let v = self.vertices;
            let (a, b) = (v.find(node, ka, false), v.find(node, kb, false));
            self.push(
                self.out(a),
                self.out(b),
                ArcOrigin::Transfer {
                    terminal,
                    from: here[ka],
                    to: here[kb],
                },
            );
        }
    }

    /// In-side → out-side of every split plain vertex.
    fn node_capacities(&mut self) {
        for v in 0..self.out_of.len() {
            let vi = VertexIdx::from_index(v);
            if self.out_of[v] != vi {
                let origin = ArcOrigin::NodeCapacity {
                    node: self.vertices.node[v],
                    layer: self.vertices.layer[v],
                };
                self.push(vi, self.out_of[v], origin);
            }
        }
    }

    /// Each gate: its arc, then into and out of it from every layer vertex
    /// it serves.
    fn gates(&mut self) {
        let mut serves = std::mem::take(&mut self.gate_serves);
        serves.sort_unstable();
        serves.dedup();
        let mut i = 0;
        while i < serves.len() {
            let terminal = serves[i].0;
            let (gin, gout) = self.gate[terminal.index()].expect("served gates exist");
            self.push(gin, gout, ArcOrigin::Gate { terminal });
            while i < serves.len() && serves[i].0 == terminal {
                let v = serves[i].1;
                self.push(v, gin, ArcOrigin::GateAccess { terminal });
                self.push(gout, v, ArcOrigin::GateAccess { terminal });
                i += 1;
            }
        }
    }

    fn source_sink(&mut self, s: &SourceSinkConfig) -> (VertexIdx, VertexIdx) {
        let (source, sink) = (self.new_vertex(), self.new_vertex());
        let lowered = self.vertices;
        for (i, &(node, _)) in s.from.iter().enumerate() {
            let g = self.new_vertex();
            self.push(source, g, ArcOrigin::Supply { node });
            self.rows.set_last(self.rows.supply_row(i));
            for v in source_vertices(lowered, node) {
                self.push(g, v, ArcOrigin::SupplyAccess { node });
            }
        }
        for (i, &(node, _)) in s.to.iter().enumerate() {
            let g = self.new_vertex();
            for v in target_vertices(lowered, node) {
                self.push(self.out(v), g, ArcOrigin::AbsorbAccess { node });
            }
            self.push(g, sink, ArcOrigin::Absorb { node });
            self.rows.set_last(self.rows.absorption_row(i));
        }
        (source, sink)
    }

    /// Zone vertices (see the module doc), origins then destinations, each
    /// in node order.
    fn zones(&mut self, z: &ZoneConfig) -> Zones {
        let sorted = |nodes: &[NodeId]| {
            let mut v = nodes.to_vec();
            v.sort_unstable();
            v.dedup();
            v
        };
        let origin = sorted(&z.origins)
            .into_iter()
            .map(|node| (node, self.zone(node, true)))
            .collect();
        let destination = sorted(&z.destinations)
            .into_iter()
            .map(|node| (node, self.zone(node, false)))
            .collect();
        Zones {
            origin,
            destination,
        }
    }

    /// The vertex where trips start (`starts`) or end at `node`: its only
    /// layer vertex for that, else a new one with connectors.
    fn zone(&mut self, node: NodeId, starts: bool) -> VertexIdx {
        let v = self.vertices;
        let only = if starts {
            only(source_vertices(v, node))
        } else {
            only(target_vertices(v, node))
        };
        if let Some(x) = only {
            return x;
        }
        let zone = self.new_vertex();
        if starts {
            for x in source_vertices(v, node) {
                self.push(zone, x, ArcOrigin::FromZone { node });
            }
        } else {
            for x in target_vertices(v, node) {
                self.push(x, zone, ArcOrigin::ToZone { node });
            }
        }
        zone
    }
}

/// The single item of `it`, if it has exactly one.
fn only<I: Iterator<Item = VertexIdx>>(mut it: I) -> Option<VertexIdx> {
    match (it.next(), it.next()) {
        (Some(x), None) => Some(x),
        _ => None,
    }
}

/// A node's vertices that are not arrivals, in vertex order.
fn source_vertices(v: &VertexTable, node: NodeId) -> impl Iterator<Item = VertexIdx> + '_ {
    (v.node_first[node.index()]..v.node_first[node.index() + 1])
        .filter(|&x| v.role[x as usize] != VertexRole::In)
        .map(VertexIdx)
}

/// A node's vertices that are not departures, in vertex order (its own,
/// then a no-through zone's arrivals).
fn target_vertices(v: &VertexTable, node: NodeId) -> impl Iterator<Item = VertexIdx> + '_ {
    let i = node.index();
    let own = v.node_first[i]..v.node_first[i + 1];
    let n_layers = own.len() as u32;
    let arrivals = match v.arrival_first[i] {
        u32::MAX => 0..0,
        first => first..first + n_layers,
    };
    own.filter(|&x| v.role[x as usize] != VertexRole::Out)
        .chain(arrivals)
        .map(VertexIdx)
}

/// The element table as arcs are made: rows first, then each arc's rows.
struct RowBuilder {
    on: bool,
    element: Vec<Element>,
    capacity: Vec<f64>,
    /// Row of each link's forward direction (backward is the next row).
    link_row: Vec<u32>,
    first_terminal: u32,
    first_border: u32,
    /// Row of each node with a capacity, `u32::MAX` for the others.
    node_row: Vec<u32>,
    first_supply: u32,
    first_absorption: u32,
    /// Per arc in making order: up to two rows, `u32::MAX` for none.
    arc_rows: Vec<[u32; 2]>,
}

impl RowBuilder {
    fn new(net: &Network, cfg: &LowerConfig) -> Self {
        let mut r = Self {
            on: cfg.elements,
            element: Vec::new(),
            capacity: Vec::new(),
            link_row: Vec::new(),
            first_terminal: 0,
            first_border: 0,
            node_row: Vec::new(),
            first_supply: 0,
            first_absorption: 0,
            arc_rows: Vec::new(),
        };
        if !r.on {
            return r;
        }
        let cap = |c: Option<f64>| c.unwrap_or(f64::INFINITY);
        r.link_row.reserve(net.links.len());
        for (i, l) in net.links.iter().enumerate() {
            let link = LinkId::from_index(i);
            r.link_row.push(r.element.len() as u32);
            let directions: &[bool] = if l.oneway { &[true] } else { &[true, false] };
            for &forward in directions {
                r.row(Element::Link { link, forward }, cap(l.capacity_t_per_day));
            }
        }
        r.first_terminal = r.element.len() as u32;
        for (i, t) in net.terminals.iter().enumerate() {
            let e = Element::Terminal(TerminalId::from_index(i));
            r.row(e, cap(t.capacity_t_per_day));
        }
        r.first_border = r.element.len() as u32;
        for (i, b) in net.borders.iter().enumerate() {
            r.row(
                Element::Border(BorderId::from_index(i)),
                cap(b.capacity_t_per_day),
            );
        }
        r.node_row = vec![u32::MAX; net.nodes.len()];
        for (i, n) in net.nodes.iter().enumerate() {
            if let Some(c) = n.capacity_t_per_day {
                r.node_row[i] = r.element.len() as u32;
                r.row(Element::Node(NodeId::from_index(i)), c);
            }
        }
        r.first_supply = r.element.len() as u32;
        if let Some(s) = &cfg.source_sink {
            for &(n, limit) in &s.from {
                r.row(Element::Supply(n), cap(limit));
            }
            r.first_absorption = r.element.len() as u32;
            for &(n, limit) in &s.to {
                r.row(Element::Absorption(n), cap(limit));
            }
        }
        r
    }

    fn row(&mut self, e: Element, capacity: f64) {
        self.element.push(e);
        self.capacity.push(capacity);
    }

    fn supply_row(&self, i: usize) -> u32 {
        self.first_supply + i as u32
    }

    fn absorption_row(&self, i: usize) -> u32 {
        self.first_absorption + i as u32
    }

    /// Records the rows an arc of origin `o` uses.
    fn push_arc(&mut self, net: &Network, o: ArcOrigin) {
        if !self.on {
            return;
        }
        const NONE: u32 = u32::MAX;
        let rows = match o {
            ArcOrigin::Link { link, forward } => {
                [self.link_row[link.index()] + u32::from(!forward), NONE]
            }
            ArcOrigin::Transfer { terminal, .. } | ArcOrigin::Gate { terminal } => {
                [self.first_terminal + terminal.0, NONE]
            }
            ArcOrigin::Border { border, .. } => {
                let node = net.borders[border.index()].node;
                [self.first_border + border.0, self.node_row[node.index()]]
            }
            ArcOrigin::NodeCapacity { node, .. } => [self.node_row[node.index()], NONE],
            // Supply and absorption arcs get their rows from `set_last`.
            ArcOrigin::GateAccess { .. }
            | ArcOrigin::Supply { .. }
            | ArcOrigin::SupplyAccess { .. }
            | ArcOrigin::AbsorbAccess { .. }
            | ArcOrigin::Absorb { .. }
            | ArcOrigin::FromZone { .. }
            | ArcOrigin::ToZone { .. } => [NONE, NONE],
        };
        self.arc_rows.push(rows);
    }

    /// Gives the arc made last the one row `row`.
    fn set_last(&mut self, row: u32) {
        if let Some(last) = self.arc_rows.last_mut() {
            *last = [row, u32::MAX];
        }
    }

    /// The table, arcs in CSR order (`order[a]` = making index of arc `a`).
    fn into_table(self, order: &[u32]) -> ElementTable {
        if !self.on {
            return ElementTable::default();
        }
        let mut arc_first = Vec::with_capacity(order.len() + 1);
        let mut arc_rows = Vec::with_capacity(order.len());
        arc_first.push(0);
        for &i in order {
            arc_rows.extend(
                self.arc_rows[i as usize]
                    .iter()
                    .copied()
                    .filter(|&r| r != u32::MAX),
            );
            arc_first.push(arc_rows.len() as u32);
        }
        ElementTable {
            element: self.element,
            capacity: self.capacity,
            arc_first,
            arc_rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_fixtures::networks::gauge_break;
    use corridor_model::{Link, Mode, Node, NodeKind};

    fn count(l: &Lowered, f: impl Fn(ArcOrigin) -> bool) -> usize {
        l.arc_origin.iter().filter(|&&o| f(o)).count()
    }

    /// A road network with no-through zones: a ring a-b-c-d-a, two-way,
    /// zones a and c.
    fn ring() -> Network {
        let mut net = Network::new("ring");
        for (i, id) in ["a", "b", "c", "d"].into_iter().enumerate() {
            let mut n = Node::new(id, NodeKind::Junction, i as f64, 0.0, "XX");
            n.no_through = id == "a" || id == "c";
            net.add_node(n).unwrap();
        }
        for i in 0..4 {
            let (a, b) = (NodeId::from_index(i), NodeId::from_index((i + 1) % 4));
            net.add_link(Link::new(&format!("l{i}"), a, b, Mode::Road, None, 1.0))
                .unwrap();
        }
        net
    }

    #[test]
    fn a_road_network_keeps_vertex_i_for_node_i_and_needs_no_connectors() {
        let net = ring();
        let all: Vec<NodeId> = (0..4).map(NodeId::from_index).collect();
        let cfg = LowerConfig {
            zones: Some(ZoneConfig {
                origins: all.clone(),
                destinations: all.clone(),
            }),
            ..LowerConfig::default()
        };
        let l = lower(&net, &cfg);
        // One vertex per node, then the arrivals of the two zones.
        assert_eq!(l.n_vertices(), 4 + 2);
        assert_eq!(l.n_arcs(), 8);
        assert_eq!(count(&l, |o| !o.is_network()), 0);
        let v = VertexIdx;
        for (i, &n) in all.iter().enumerate() {
            assert_eq!(l.origin_vertex(n), Some(VertexIdx::from_index(i)));
        }
        assert_eq!(l.destination_vertex(all[0]), Some(v(4)));
        assert_eq!(l.destination_vertex(all[1]), Some(v(1)));
        assert_eq!(l.destination_vertex(all[2]), Some(v(5)));
        assert_eq!(l.vertices_of(all[2]).collect::<Vec<_>>(), [v(2), v(5)]);
        // Nothing passes through a zone: its arrival has no way out.
        assert!(l.csr.out_arcs(v(4)).is_empty() && l.csr.out_arcs(v(5)).is_empty());
    }

    #[test]
    fn closed_links_can_be_left_out() {
        let mut net = ring();
        net.links[1].open = false;
        let kept = lower(&net, &LowerConfig::default());
        let cfg = LowerConfig {
            skip_closed_links: true,
            ..LowerConfig::default()
        };
        let skipped = lower(&net, &cfg);
        assert_eq!(kept.n_arcs(), 8);
        assert_eq!(skipped.n_arcs(), 6);
        assert_eq!(skipped.n_vertices(), kept.n_vertices());
    }

    #[test]
    fn a_zone_with_several_layers_gets_a_vertex_and_connectors() {
        let net = gauge_break();
        let (east, brd) = (net.node_id("east").unwrap(), net.node_id("brd").unwrap());
        let cfg = LowerConfig {
            zones: Some(ZoneConfig {
                origins: vec![east, brd, east],
                destinations: vec![brd],
            }),
            ..LowerConfig::default()
        };
        let base = lower(&net, &LowerConfig::default());
        let l = lower(&net, &cfg);
        // east: rail:1520 and road; brd: three layers, split by its border.
        assert_eq!(l.n_vertices(), base.n_vertices() + 3);
        assert_eq!(
            count(&l, |o| matches!(o, ArcOrigin::FromZone { .. })),
            2 + 3
        );
        assert_eq!(count(&l, |o| matches!(o, ArcOrigin::ToZone { .. })), 3);
        let z = l.origin_vertex(east).unwrap();
        let starts: Vec<VertexIdx> = l.csr.out_arcs(z).map(|a| l.csr.head(a)).collect();
        assert_eq!(starts, base.source_vertices(east).collect::<Vec<_>>());
    }

    #[test]
    fn capacity_splits_add_out_sides_and_gates() {
        let mut net = gauge_break();
        let east = net.node_id("east").unwrap();
        net.nodes[east.index()].capacity_t_per_day = Some(100.0);
        net.terminals[0].capacity_t_per_day = Some(50.0);
        let grain = net.commodity_id("grain").unwrap();
        let cfg = LowerConfig {
            capacity_splits: Some(grain),
            ..LowerConfig::default()
        };
        let base = lower(&net, &LowerConfig::default());
        let l = lower(&net, &cfg);
        // east's two layer vertices get out-sides; the gauge change a gate.
        assert_eq!(l.n_vertices(), base.n_vertices() + 2 + 2);
        let node_caps = count(&l, |o| matches!(o, ArcOrigin::NodeCapacity { .. }));
        assert_eq!(node_caps, 2);
        assert_eq!(count(&l, |o| matches!(o, ArcOrigin::Gate { .. })), 1);
        assert_eq!(count(&l, |o| matches!(o, ArcOrigin::GateAccess { .. })), 4);
        assert_eq!(count(&l, |o| matches!(o, ArcOrigin::Transfer { .. })), 0);
        // A terminal the commodity may not use joins nothing.
        net.terminals[0].open = false;
        let closed = lower(&net, &cfg);
        assert_eq!(closed.n_vertices(), l.n_vertices());
        assert_eq!(count(&closed, |o| !o.is_network()), node_caps);
        assert_eq!(
            count(&closed, |o| matches!(o, ArcOrigin::Transfer { .. })),
            0
        );
    }

    #[test]
    fn the_element_table_says_whose_capacity_each_arc_uses() {
        let mut net = gauge_break();
        let (east, brd, west) = (
            net.node_id("east").unwrap(),
            net.node_id("brd").unwrap(),
            net.node_id("west").unwrap(),
        );
        net.nodes[brd.index()].capacity_t_per_day = Some(70.0);
        net.borders[0].capacity_t_per_day = Some(80.0);
        let cfg = LowerConfig {
            elements: true,
            source_sink: Some(SourceSinkConfig {
                from: vec![(east, Some(30.0))],
                to: vec![(west, None)],
            }),
            ..LowerConfig::default()
        };
        let l = lower(&net, &cfg);
        let t = &l.elements;
        let (source, sink) = l.source_sink.unwrap();
        for (a, &o) in l.csr.arcs().zip(&l.arc_origin) {
            let rows: Vec<Element> = t.of_arc(a).iter().map(|&r| t.element[r as usize]).collect();
            let caps: Vec<f64> = t
                .of_arc(a)
                .iter()
                .map(|&r| t.capacity[r as usize])
                .collect();
            match o {
                ArcOrigin::Link { link, forward } => {
                    assert_eq!(rows, [Element::Link { link, forward }]);
                    assert_eq!(caps, [f64::INFINITY]);
                }
                ArcOrigin::Border { border, .. } => {
                    assert_eq!(rows, [Element::Border(border), Element::Node(brd)]);
                    assert_eq!(caps, [80.0, 70.0]);
                }
                ArcOrigin::Transfer { terminal, .. } => {
                    assert_eq!(rows, [Element::Terminal(terminal)]);
                }
                ArcOrigin::Supply { node } => {
                    assert_eq!((rows, caps), (vec![Element::Supply(node)], vec![30.0]));
                    assert_eq!(l.csr.tails()[a.index()], source);
                }
                ArcOrigin::Absorb { node } => {
                    assert_eq!(rows, [Element::Absorption(node)]);
                    assert_eq!(l.csr.head(a), sink);
                }
                _ => assert!(rows.is_empty(), "{o:?} uses {rows:?}"),
            }
        }
        // Routing builds no table.
        assert!(lower(&net, &LowerConfig::default()).elements.is_empty());
    }
}
