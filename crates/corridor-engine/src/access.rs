//! What a commodity may use, and why not: the elements a route must avoid
//! ([`Avoid`], from `--avoid`), the first rule that keeps a commodity off an
//! arc ([`arc_obstacle`], in model ids, allocation-free because weights call
//! it for every arc), and the same obstacle in the user's ids
//! ([`NamedObstacle`], serde) for messages and for faces that return them
//! as data.
//!
//! Routing turns obstacles into infinite weights, the lowering leaves out
//! the transfers a commodity may not use where a terminal's gate would
//! otherwise offer them, capacity gives blocked arcs no capacity, and
//! [`mod@crate::explain`] names them when there is no route. This file
//! decides nothing about costs or the graph's shape.

use crate::arc_origin::{ArcOrigin, LayerIdx};
use crate::{Error, Result};
use corridor_model::{BorderId, Commodity, Layer, LinkId, Network, NodeId, TerminalId};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// Elements a route must not use (`--avoid`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Avoid {
    pub nodes: BTreeSet<NodeId>,
    pub links: BTreeSet<LinkId>,
    pub terminals: BTreeSet<TerminalId>,
    pub borders: BTreeSet<BorderId>,
    /// Country codes as the nodes carry them.
    pub countries: BTreeSet<String>,
}

impl Avoid {
    /// Resolves user words: a node, link, terminal or border id, else a
    /// country code that some node carries.
    pub fn resolve(net: &Network, items: &[String]) -> Result<Avoid> {
        let mut a = Avoid::default();
        for item in items {
            if let Some(n) = net.node_id(item) {
                a.nodes.insert(n);
            } else if let Some(l) = net.link_id(item) {
                a.links.insert(l);
            } else if let Some(t) = net.terminal_id(item) {
                a.terminals.insert(t);
            } else if let Some(b) = net.border_id(item) {
                a.borders.insert(b);
            } else if let Some(node) = net
                .nodes
                .iter()
                .find(|n| n.country.eq_ignore_ascii_case(item))
            {
                a.countries.insert(node.country.to_string());
            } else {
                return Err(Error::UnknownId {
                    kind: "node, link, terminal, border or country",
                    id: item.clone(),
                });
            }
        }
        Ok(a)
    }

    /// Whether the node itself or its country is avoided.
    pub fn avoids_node(&self, net: &Network, n: NodeId) -> bool {
        self.nodes.contains(&n) || self.countries.contains(net.node(n).country.as_str())
    }
}

/// Why a shipment cannot go somewhere, in model ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Obstacle {
    NodeClosed(NodeId),
    LinkClosed(LinkId),
    LinkBans(LinkId),
    TerminalClosed(TerminalId),
    TerminalRejects(TerminalId),
    BorderClosed(BorderId),
    BorderBans(BorderId),
    /// The node, or its country, is in `--avoid`.
    NodeAvoided(NodeId),
    LinkAvoided(LinkId),
    TerminalAvoided(TerminalId),
    BorderAvoided(BorderId),
    /// No terminal at the node changes between these layers (not an arc's
    /// obstacle: a change of layer the network lacks).
    MissingTransfer {
        node: NodeId,
        from: LayerIdx,
        to: LayerIdx,
    },
    /// No vessel class the shipment may use fits the sea link's passage
    /// limits or may call at the ports at its ends.
    VesselLimits(LinkId),
    /// Each class fits part of the way, none all of it (a shipment keeps
    /// one class on every sea leg).
    NoSingleVessel,
}

/// Whether `commodity` may use an arc with origin `origin`, and if not, the
/// first reason. Helper arcs (gate and zone access, supply and absorption)
/// have no obstacle of their own.
pub fn arc_obstacle(
    net: &Network,
    origin: ArcOrigin,
    commodity: &Commodity,
    avoid: &Avoid,
) -> Option<Obstacle> {
    arc_obstacle_by(net, origin, commodity, avoid, |n| {
        node_obstacle(net, avoid, n)
    })
}

/// Why node `n` is not usable (closed, or avoided), if it is not.
pub fn node_obstacle(net: &Network, avoid: &Avoid, n: NodeId) -> Option<Obstacle> {
    if !net.node(n).open {
        return Some(Obstacle::NodeClosed(n));
    }
    if avoid.avoids_node(net, n) {
        return Some(Obstacle::NodeAvoided(n));
    }
    None
}

/// [`arc_obstacle`] with the nodes' own obstacles from `node_check`
/// (which must answer as [`node_obstacle`] does): a caller that asks for
/// every arc checks each node once, in node order, instead of reading
/// each node's row again for each of its arcs.
pub fn arc_obstacle_by(
    net: &Network,
    origin: ArcOrigin,
    commodity: &Commodity,
    avoid: &Avoid,
    node_check: impl Fn(NodeId) -> Option<Obstacle>,
) -> Option<Obstacle> {
    match origin {
        ArcOrigin::Link { link, .. } => {
            let l = net.link(link);
            if !l.open {
                return Some(Obstacle::LinkClosed(link));
            }
            if !l.commodities.permits(commodity) {
                return Some(Obstacle::LinkBans(link));
            }
            if avoid.links.contains(&link) {
                return Some(Obstacle::LinkAvoided(link));
            }
            node_check(l.from).or_else(|| node_check(l.to))
        }
        ArcOrigin::Transfer { terminal, .. } | ArcOrigin::Gate { terminal } => {
            let t = &net.terminals[terminal.index()];
            if !t.open {
                return Some(Obstacle::TerminalClosed(terminal));
            }
            if !t.commodities.permits(commodity) {
                return Some(Obstacle::TerminalRejects(terminal));
            }
            if avoid.terminals.contains(&terminal) {
                return Some(Obstacle::TerminalAvoided(terminal));
            }
            node_check(t.node)
        }
        ArcOrigin::Border { border, .. } => {
            let b = &net.borders[border.index()];
            if !b.open {
                return Some(Obstacle::BorderClosed(border));
            }
            if !b.commodities.permits(commodity) {
                return Some(Obstacle::BorderBans(border));
            }
            if avoid.borders.contains(&border) {
                return Some(Obstacle::BorderAvoided(border));
            }
            node_check(b.node)
        }
        ArcOrigin::NodeCapacity { node, .. } => node_check(node),
        ArcOrigin::GateAccess { .. }
        | ArcOrigin::Supply { .. }
        | ArcOrigin::SupplyAccess { .. }
        | ArcOrigin::AbsorbAccess { .. }
        | ArcOrigin::Absorb { .. }
        | ArcOrigin::FromZone { .. }
        | ArcOrigin::ToZone { .. } => None,
    }
}

/// A node in the user's words: its id, and its name when that says more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeRef {
    pub id: String,
    pub name: String,
}

impl NodeRef {
    pub fn of(net: &Network, n: NodeId) -> Self {
        let node = net.node(n);
        Self {
            id: node.source_id.to_string(),
            name: node.name.to_string(),
        }
    }
}

/// `Name (id)`, or the bare id when the name is empty or the id itself.
impl fmt::Display for NodeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name != self.id && !self.name.is_empty() {
            write!(f, "{} ({})", self.name, self.id)
        } else {
            f.write_str(&self.id)
        }
    }
}

/// A node as messages name it (see [`NodeRef`]'s `Display`).
pub fn describe_node(net: &Network, n: NodeId) -> String {
    NodeRef::of(net, n).to_string()
}

/// An [`Obstacle`] in the user's ids, self-contained so that it can be
/// printed or sent as JSON without the network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NamedObstacle {
    NodeClosed {
        node: NodeRef,
    },
    LinkClosed {
        link: String,
        layer: String,
        from: String,
        to: String,
    },
    LinkBans {
        link: String,
        commodity: String,
        class: String,
    },
    TerminalClosed {
        terminal: String,
        at: NodeRef,
    },
    TerminalRejects {
        terminal: String,
        at: NodeRef,
        commodity: String,
        class: String,
    },
    BorderClosed {
        border: String,
        countries: [String; 2],
    },
    BorderBans {
        border: String,
        commodity: String,
        class: String,
    },
    NodeAvoided {
        node: NodeRef,
    },
    LinkAvoided {
        link: String,
    },
    TerminalAvoided {
        terminal: String,
    },
    BorderAvoided {
        border: String,
    },
    MissingTransfer {
        at: NodeRef,
        from: String,
        to: String,
    },
    VesselLimits {
        link: String,
        /// The link's limit tags and the draught limits of its ports.
        limits: Vec<String>,
        commodity: String,
        vessels: Vec<String>,
    },
    NoSingleVessel {
        commodity: String,
        vessels: Vec<String>,
    },
}

impl Obstacle {
    /// This obstacle in the user's ids; `layers` resolves layer indices
    /// ([`crate::Lowered::layers`]), `c` is the commodity it stops.
    pub fn named(self, net: &Network, layers: &[Layer], c: &Commodity) -> NamedObstacle {
        let commodity = || c.source_id.clone();
        let class = || c.class.to_string();
        let terminal = |t: TerminalId| &net.terminals[t.index()];
        match self {
            Obstacle::NodeClosed(n) => NamedObstacle::NodeClosed {
                node: NodeRef::of(net, n),
            },
            Obstacle::LinkClosed(l) => {
                let l = net.link(l);
                NamedObstacle::LinkClosed {
                    link: l.source_id.to_string(),
                    layer: l.layer().to_string(),
                    from: net.node(l.from).source_id.to_string(),
                    to: net.node(l.to).source_id.to_string(),
                }
            }
            Obstacle::LinkBans(l) => NamedObstacle::LinkBans {
                link: net.link(l).source_id.to_string(),
                commodity: commodity(),
                class: class(),
            },
            Obstacle::TerminalClosed(t) => NamedObstacle::TerminalClosed {
                terminal: terminal(t).source_id.clone(),
                at: NodeRef::of(net, terminal(t).node),
            },
            Obstacle::TerminalRejects(t) => NamedObstacle::TerminalRejects {
                terminal: terminal(t).source_id.clone(),
                at: NodeRef::of(net, terminal(t).node),
                commodity: commodity(),
                class: class(),
            },
            Obstacle::BorderClosed(b) => NamedObstacle::BorderClosed {
                border: net.borders[b.index()].source_id.clone(),
                countries: net.borders[b.index()].countries.clone(),
            },
            Obstacle::BorderBans(b) => NamedObstacle::BorderBans {
                border: net.borders[b.index()].source_id.clone(),
                commodity: commodity(),
                class: class(),
            },
            Obstacle::NodeAvoided(n) => NamedObstacle::NodeAvoided {
                node: NodeRef::of(net, n),
            },
            Obstacle::LinkAvoided(l) => NamedObstacle::LinkAvoided {
                link: net.link(l).source_id.to_string(),
            },
            Obstacle::TerminalAvoided(t) => NamedObstacle::TerminalAvoided {
                terminal: terminal(t).source_id.clone(),
            },
            Obstacle::BorderAvoided(b) => NamedObstacle::BorderAvoided {
                border: net.borders[b.index()].source_id.clone(),
            },
            Obstacle::MissingTransfer { node, from, to } => NamedObstacle::MissingTransfer {
                at: NodeRef::of(net, node),
                from: layers[from.index()].to_string(),
                to: layers[to.index()].to_string(),
            },
            Obstacle::VesselLimits(l) => NamedObstacle::VesselLimits {
                link: net.link(l).source_id.to_string(),
                limits: vessel_limits(net, l),
                commodity: commodity(),
                vessels: vessel_ids(c),
            },
            Obstacle::NoSingleVessel => NamedObstacle::NoSingleVessel {
                commodity: commodity(),
                vessels: vessel_ids(c),
            },
        }
    }
}

/// The classes a commodity may use, by id (what the vessel obstacles
/// name; a forced class replaces them in [`crate::explain`]).
fn vessel_ids(c: &Commodity) -> Vec<String> {
    corridor_model::vessels_for(c)
        .iter()
        .map(|v| v.id.to_string())
        .collect()
}

/// A sea link's limit tags, then the draught limit of each port at its ends.
fn vessel_limits(net: &Network, l: LinkId) -> Vec<String> {
    let l = net.link(l);
    let mut out: Vec<String> = l
        .tags
        .iter()
        .filter(|t| t.starts_with("max_") || t.starts_with("passage="))
        .cloned()
        .collect();
    for n in [l.from, l.to] {
        if let Some(m) = corridor_model::port_draught_m(net.node(n)) {
            out.push(format!("port {} max draught {m} m", net.node(n).source_id));
        }
    }
    out
}

/// The planner's sentence for each obstacle (the CLI prints these).
impl fmt::Display for NamedObstacle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NamedObstacle::NodeClosed { node } => write!(f, "{node} is closed"),
            NamedObstacle::LinkClosed {
                link,
                layer,
                from,
                to,
            } => write!(f, "{layer} link \"{link}\" ({from}–{to}) is closed"),
            NamedObstacle::LinkBans {
                link,
                commodity,
                class,
            } => write!(f, "link \"{link}\" does not carry {commodity} ({class})"),
            NamedObstacle::TerminalClosed { terminal, at } => {
                write!(f, "terminal \"{terminal}\" at {at} is closed")
            }
            NamedObstacle::TerminalRejects {
                terminal,
                at,
                commodity,
                class,
            } => write!(
                f,
                "terminal \"{terminal}\" at {at} does not handle {commodity} ({class})"
            ),
            NamedObstacle::BorderClosed { border, countries } => write!(
                f,
                "border \"{border}\" ({}–{}) is closed",
                countries[0], countries[1]
            ),
            NamedObstacle::BorderBans {
                border,
                commodity,
                class,
            } => write!(
                f,
                "border \"{border}\" does not let {commodity} ({class}) cross"
            ),
            NamedObstacle::NodeAvoided { node } => write!(f, "{node} is avoided (--avoid)"),
            NamedObstacle::LinkAvoided { link } => {
                write!(f, "link \"{link}\" is avoided (--avoid)")
            }
            NamedObstacle::TerminalAvoided { terminal } => {
                write!(f, "terminal \"{terminal}\" is avoided (--avoid)")
            }
            NamedObstacle::BorderAvoided { border } => {
                write!(f, "border \"{border}\" is avoided (--avoid)")
            }
            NamedObstacle::MissingTransfer { at, from, to } => {
                write!(f, "no terminal at {at} changes {from} to {to}")
            }
            NamedObstacle::VesselLimits {
                link,
                limits,
                commodity,
                vessels,
            } => write!(
                f,
                "no vessel class that may carry {commodity} ({}) fits sea link \"{link}\" ({}: limits in data/searoute/passages.csv and data/ports/draughts.csv; the commodity's `vessels` or `--vessel` choose the classes)",
                vessels.join(", "),
                limits.join(", ")
            ),
            NamedObstacle::NoSingleVessel { commodity, vessels } => write!(
                f,
                "no vessel class that may carry {commodity} ({}) fits every passage and port on the way: each fits only part of it, and a shipment keeps one class",
                vessels.join(", ")
            ),
        }
    }
}
