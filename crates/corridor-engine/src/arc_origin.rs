//! What the arcs, layers and capacity elements of a lowered graph stand for
//! in the model: [`ArcOrigin`] (which link, transfer, border crossing or
//! helper arc an arc is), [`LayerIdx`] (a layer by its index in
//! [`crate::Lowered::layers`]) and [`Element`] (a thing whose capacity arcs
//! use). Every question maps its results back through these.
//!
//! This file holds vocabulary only: [`mod@crate::lower`] builds the graph,
//! [`mod@crate::access`] says which arcs a commodity may use.

use corridor_model::{BorderId, LinkId, NodeId, TerminalId};
use std::fmt;

/// A layer of a lowered graph, by its index in the sorted
/// [`crate::Lowered::layers`] (a network has a handful of layers, so 16 bits
/// keep [`ArcOrigin`] at 12 bytes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(transparent)]
pub struct LayerIdx(pub u16);

impl LayerIdx {
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// Prints the bare number, as the `u16` it replaced did (error messages
/// show arc origins with `{:?}`).
impl fmt::Debug for LayerIdx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Where an arc of a lowered graph comes from. The first three are the
/// network itself (every question has them); the others exist only when
/// [`crate::LowerConfig`] asks for what needs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArcOrigin {
    /// A link, in its own direction (`forward`) or against it.
    Link { link: LinkId, forward: bool },
    /// A terminal moving cargo from one layer to another.
    Transfer {
        terminal: TerminalId,
        from: LayerIdx,
        to: LayerIdx,
    },
    /// Crossing a border in one layer.
    Border { border: BorderId, layer: LayerIdx },
    /// The in→out arc of a node with a capacity, in one layer (capacity
    /// splits).
    NodeCapacity { node: NodeId, layer: LayerIdx },
    /// The arc that carries a terminal's capacity and handling cost when
    /// every change of layer it offers passes through it (capacity splits).
    Gate { terminal: TerminalId },
    /// Into or out of a terminal's gate, from or to one of its layers.
    GateAccess { terminal: TerminalId },
    /// Super-source to an origin's gate (carries its supply limit).
    Supply { node: NodeId },
    /// An origin's gate to one of its layer vertices.
    SupplyAccess { node: NodeId },
    /// A destination's layer vertex to its gate.
    AbsorbAccess { node: NodeId },
    /// A destination's gate to the super-sink (carries its absorption limit).
    Absorb { node: NodeId },
    /// An origin zone's vertex to a layer vertex where trips may start.
    FromZone { node: NodeId },
    /// A layer vertex where trips may end to a destination zone's vertex.
    ToZone { node: NodeId },
}

impl ArcOrigin {
    /// Whether the arc is part of the network (a link, transfer or border
    /// crossing) rather than a helper a question added.
    pub fn is_network(self) -> bool {
        matches!(
            self,
            ArcOrigin::Link { .. } | ArcOrigin::Transfer { .. } | ArcOrigin::Border { .. }
        )
    }
}

/// An element of the network whose capacity arcs use, as the lowering's
/// capacity-element table lists it ([`crate::lower::ElementTable`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Element {
    /// One direction of a link (link capacities are per direction).
    Link { link: LinkId, forward: bool },
    /// All cargo a terminal handles, whatever the layers.
    Terminal(TerminalId),
    /// All cargo crossing a border, whatever the mode.
    Border(BorderId),
    /// A node's own throughput (a port's quays, a station's yard).
    Node(NodeId),
    /// What one origin of a capacity question may supply.
    Supply(NodeId),
    /// What one destination of a capacity question may absorb.
    Absorption(NodeId),
}
