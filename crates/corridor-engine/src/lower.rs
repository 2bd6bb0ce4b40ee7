//! Lowering: a [`Network`] becomes a directed graph the algorithms can run
//! on, with one **vertex** per (node, layer) and one **arc** per direction of
//! each link, per transfer a terminal offers and per border crossing.
//!
//! The topology does not depend on the commodity, the objective or what is
//! open: closures, bans and `--avoid` become infinite weights (see
//! [`crate::route()`]), so one lowering serves every commodity and scenario
//! of the same shape, and vertex numbers stay stable between them.
//!
//! A node is **split** into an in-vertex and an out-vertex per layer when it
//! is a border crossing (the crossing arc joins them, carrying dwell time and
//! fees) or a zone that paths may not pass through (no arc joins them). Links
//! arrive at in-vertices and leave from out-vertices; transfers at a split
//! node join out-vertices, so cargo crosses once and then changes layer.

use corridor_graph::{Csr, VertexIdx};
use corridor_model::{BorderId, Layer, LinkId, Network, NodeId, TerminalId};

/// Where an arc of the lowered graph comes from, to map results back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArcOrigin {
    /// A link, in its own direction (`forward`) or against it.
    Link { link: LinkId, forward: bool },
    /// A terminal moving cargo from one layer to another (indices into
    /// [`Lowered::layers`]).
    Transfer {
        terminal: TerminalId,
        from: u16,
        to: u16,
    },
    /// Crossing a border in one layer.
    Border { border: BorderId, layer: u16 },
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

/// A lowered network: topology plus the maps back to the model.
#[derive(Clone, Debug)]
pub struct Lowered {
    pub csr: Csr,
    /// Per CSR arc.
    pub arc_origin: Vec<ArcOrigin>,
    /// Per vertex.
    pub vertex_node: Vec<NodeId>,
    /// Per vertex: index into `layers`.
    pub vertex_layer: Vec<u16>,
    pub vertex_role: Vec<VertexRole>,
    /// The distinct layers of the network, sorted.
    pub layers: Vec<Layer>,
    /// Vertices of node `n` are `node_first_vertex[n]..node_first_vertex[n + 1]`.
    node_first_vertex: Vec<u32>,
}

impl Lowered {
    pub fn n_vertices(&self) -> usize {
        self.csr.n_vertices()
    }
    pub fn n_arcs(&self) -> usize {
        self.csr.n_arcs()
    }

    /// Every vertex of a node (empty when no link reaches it).
    pub fn vertices_of(&self, node: NodeId) -> std::ops::Range<VertexIdx> {
        self.node_first_vertex[node.index()]..self.node_first_vertex[node.index() + 1]
    }

    /// Vertices a shipment can start from at `node` (one per layer).
    pub fn source_vertices(&self, node: NodeId) -> impl Iterator<Item = VertexIdx> + '_ {
        self.vertices_of(node)
            .filter(|&v| self.vertex_role[v as usize] != VertexRole::In)
    }

    /// Vertices a shipment can end at at `node` (one per layer).
    pub fn target_vertices(&self, node: NodeId) -> impl Iterator<Item = VertexIdx> + '_ {
        self.vertices_of(node)
            .filter(|&v| self.vertex_role[v as usize] != VertexRole::Out)
    }

    pub fn layer_of(&self, v: VertexIdx) -> Layer {
        self.layers[self.vertex_layer[v as usize] as usize]
    }

    /// The vertex of `node` in `layer` with `role`, if any.
    pub fn vertex(&self, node: NodeId, layer: Layer, role: VertexRole) -> Option<VertexIdx> {
        let li = self.layers.binary_search(&layer).ok()? as u16;
        self.vertices_of(node)
            .find(|&v| self.vertex_layer[v as usize] == li && self.vertex_role[v as usize] == role)
    }

    /// Heap bytes of everything the lowering holds.
    pub fn heap_bytes(&self) -> usize {
        self.csr.heap_bytes()
            + self.arc_origin.capacity() * std::mem::size_of::<ArcOrigin>()
            + self.vertex_node.capacity() * 4
            + self.vertex_layer.capacity() * 2
            + self.vertex_role.capacity()
            + self.node_first_vertex.capacity() * 4
    }
}

/// Lowers the whole network. Runs in O(nodes + links + terminal transfers)
/// plus the CSR sort.
pub fn lower(net: &Network) -> Lowered {
    let layers_at = net.layers_at_nodes();
    let mut layers: Vec<Layer> = layers_at.iter().flatten().copied().collect();
    layers.sort();
    layers.dedup();
    let layer_index = |l: &Layer| layers.binary_search(l).expect("layer collected above") as u16;

    let mut split = vec![false; net.nodes.len()];
    for b in &net.borders {
        split[b.node.index()] = true;
    }
    for (i, n) in net.nodes.iter().enumerate() {
        if n.no_through {
            split[i] = true;
        }
    }

    // Vertices, grouped by node, layers in sorted order, In before Out.
    let mut node_first_vertex = Vec::with_capacity(net.nodes.len() + 1);
    let mut vertex_node = Vec::new();
    let mut vertex_layer = Vec::new();
    let mut vertex_role = Vec::new();
    for (i, at) in layers_at.iter().enumerate() {
        node_first_vertex.push(vertex_node.len() as u32);
        for l in at {
            let li = layer_index(l);
            let roles: &[VertexRole] = if split[i] {
                &[VertexRole::In, VertexRole::Out]
            } else {
                &[VertexRole::Plain]
            };
            for &r in roles {
                vertex_node.push(NodeId::from_index(i));
                vertex_layer.push(li);
                vertex_role.push(r);
            }
        }
    }
    node_first_vertex.push(vertex_node.len() as u32);

    let find = |node: NodeId, li: u16, want_in: bool| -> VertexIdx {
        let r = node_first_vertex[node.index()]..node_first_vertex[node.index() + 1];
        r.into_iter()
            .find(|&v| {
                vertex_layer[v as usize] == li
                    && match vertex_role[v as usize] {
                        VertexRole::Plain => true,
                        VertexRole::In => want_in,
                        VertexRole::Out => !want_in,
                    }
            })
            .expect("every link's layer has vertices at both ends")
    };

    let mut arcs: Vec<(VertexIdx, VertexIdx)> = Vec::with_capacity(net.links.len() * 2);
    let mut origin: Vec<ArcOrigin> = Vec::with_capacity(net.links.len() * 2);
    for (i, l) in net.links.iter().enumerate() {
        let li = layer_index(&l.layer());
        let link = LinkId::from_index(i);
        arcs.push((find(l.from, li, false), find(l.to, li, true)));
        origin.push(ArcOrigin::Link {
            link,
            forward: true,
        });
        if !l.oneway {
            arcs.push((find(l.to, li, false), find(l.from, li, true)));
            origin.push(ArcOrigin::Link {
                link,
                forward: false,
            });
        }
    }
    for (bi, b) in net.borders.iter().enumerate() {
        if net.nodes[b.node.index()].no_through {
            continue;
        }
        for l in &layers_at[b.node.index()] {
            let li = layer_index(l);
            arcs.push((find(b.node, li, true), find(b.node, li, false)));
            origin.push(ArcOrigin::Border {
                border: BorderId::from_index(bi),
                layer: li,
            });
        }
    }
    for (ti, t) in net.terminals.iter().enumerate() {
        let here = &layers_at[t.node.index()];
        let mut pairs: Vec<(u16, u16)> = Vec::new();
        for (a, b) in &t.transfers {
            for la in here.iter().filter(|h| a.matches(h)) {
                for lb in here.iter().filter(|h| b.matches(h)) {
                    if la != lb {
                        pairs.push((layer_index(la), layer_index(lb)));
                        pairs.push((layer_index(lb), layer_index(la)));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        for (fa, fb) in pairs {
            arcs.push((find(t.node, fa, false), find(t.node, fb, false)));
            origin.push(ArcOrigin::Transfer {
                terminal: TerminalId::from_index(ti),
                from: fa,
                to: fb,
            });
        }
    }

    let (csr, order) = Csr::from_arcs(vertex_node.len(), &arcs);
    let arc_origin = order.iter().map(|&i| origin[i as usize]).collect();
    Lowered {
        csr,
        arc_origin,
        vertex_node,
        vertex_layer,
        vertex_role,
        layers,
        node_first_vertex,
    }
}
