//! One system-optimum problem from a network and its demand, whatever
//! solves it: the lowering `assign` uses ([`crate::lower()`] with origin
//! and destination zones and the capacity-element table), each commodity's
//! arc costs as `route` weighs them, the capacity rows every commodity
//! shares with the capacity factors `assign` uses, and the demand grouped
//! per origin and commodity (the LP's commodities), each group listing its
//! destinations.
//!
//! Capacity rows are the element table's rows with a finite capacity: each
//! link direction, terminal and border, and each node with a capacity. The
//! table charges a node's capacity to the border crossings at a border
//! node; at any other node this file charges it to every arc that enters
//! one of the node's vertices from outside the node (links arriving, zone
//! connectors of cargo starting there) and to cargo that starts at the
//! node's own vertex: a node's throughput, each tonne counted once, as
//! `capacity` counts it with its vertex splits. A tonne counts its
//! commodity's capacity factor for the mode of the arc (a transfer: the
//! larger of its two layers'; a node: the layer it enters in).
//!
//! It solves nothing (`lp.rs`, `microlp.rs`, `highs.rs`) and maps nothing
//! back (`report.rs`).

use crate::access::Avoid;
use crate::arc_origin::{ArcOrigin, Element};
use crate::cost::Objective;
use crate::lower::{LowerConfig, Lowered, ZoneConfig, lower};
use crate::route::ArcTable;
use crate::{Error, Result};
use corridor_graph::{ArcIdx, VertexIdx};
use corridor_model::demand::DemandRow;
use corridor_model::{CommodityId, Mode, Network, NodeId, SourceRef};
use std::collections::BTreeMap;
use std::ops::Range;

/// A capacity every commodity shares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CapacityRow {
    pub element: Element,
    /// Capacity-equivalent t/day.
    pub capacity: f64,
}

/// One arc's use of one capacity row: the modes whose factors apply (the
/// larger of the two counts; the same mode twice for all but transfers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowUse {
    pub row: u32,
    pub modes: (Mode, Mode),
}

/// Demand of one commodity from one origin (one commodity of the LP).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Index into [`Problem::commodities`].
    pub commodity: usize,
    pub origin: NodeId,
    /// Where its flow starts.
    pub source: VertexIdx,
    /// The node capacity its start uses (an origin whose zone is the node's
    /// own vertex), with the mode of that vertex.
    pub origin_row: Option<RowUse>,
    /// Its destinations, in [`Problem::ods`].
    pub ods: Range<usize>,
}

/// One origin–destination pair of one commodity.
#[derive(Clone, Debug, PartialEq)]
pub struct Od {
    pub group: usize,
    pub destination: NodeId,
    pub sink: VertexIdx,
    /// t/day.
    pub demand: f64,
}

/// A network and its demand ready for an LP.
#[derive(Clone, Debug)]
pub struct Problem {
    pub lowered: Lowered,
    pub minimize: Objective,
    /// Per t/day unserved, in the objective's unit.
    pub penalty: f64,
    pub penalty_given: bool,
    /// Commodities with demand, in network order.
    pub commodities: Vec<CommodityId>,
    /// Per commodity, per arc (CSR order): cost per tonne; infinite where
    /// the commodity may not go.
    pub weight: Vec<Vec<f64>>,
    pub rows: Vec<CapacityRow>,
    /// Arc `a` uses `uses[use_first[a]..use_first[a + 1]]`.
    use_first: Vec<u32>,
    uses: Vec<RowUse>,
    pub groups: Vec<Group>,
    pub ods: Vec<Od>,
    /// Demand rows as given.
    pub demand_rows: usize,
}

impl Problem {
    /// The capacity rows arc `a` uses.
    pub fn uses(&self, a: ArcIdx) -> &[RowUse] {
        &self.uses[self.use_first[a.index()] as usize..self.use_first[a.index() + 1] as usize]
    }

    /// The capacity factor of commodity `k` (index into `commodities`) for
    /// one use of a row.
    pub fn factor(&self, net: &Network, k: usize, u: RowUse) -> f64 {
        let c = &net.commodities[self.commodities[k].index()];
        c.capacity_factor
            .get(u.modes.0)
            .max(*c.capacity_factor.get(u.modes.1))
    }

    /// Flow variables of the arc-node LP: usable arcs over all groups
    /// (an upper bound: the arc-node builder also drops arcs no flow of a
    /// group can use).
    pub fn arc_node_bound(&self) -> usize {
        let usable: Vec<usize> = (self.weight.iter())
            .map(|w| w.iter().filter(|x| x.is_finite()).count())
            .collect();
        self.groups.iter().map(|g| usable[g.commodity]).sum()
    }
}

fn located(source: &Option<SourceRef>) -> String {
    source
        .as_ref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default()
}

/// Lowers `net` for `demand`: see the module doc. `penalty` overrides the
/// default derived from the network ([`default_penalty`]).
pub fn build(
    net: &Network,
    demand: &[DemandRow],
    minimize: Objective,
    penalty: Option<f64>,
) -> Result<Problem> {
    let row_commodity = checked_rows(net, demand)?;
    let moved = |r: &DemandRow| r.origin != r.destination && r.amount > 0.0;
    let lowered = lower(
        net,
        &LowerConfig {
            elements: true,
            zones: Some(ZoneConfig {
                origins: demand
                    .iter()
                    .filter(|r| moved(r))
                    .map(|r| r.origin)
                    .collect(),
                destinations: (demand.iter().filter(|r| moved(r)))
                    .map(|r| r.destination)
                    .collect(),
            }),
            ..LowerConfig::default()
        },
    );
    // (commodity, origin, destination) → t/day, in a fixed order.
    let mut pairs: BTreeMap<(CommodityId, NodeId, NodeId), f64> = BTreeMap::new();
    for (r, &c) in demand.iter().zip(&row_commodity) {
        if moved(r) {
            *pairs.entry((c, r.origin, r.destination)).or_default() += r.amount;
        }
    }
    let mut commodities: Vec<CommodityId> = pairs.keys().map(|k| k.0).collect();
    commodities.dedup();
    let weight = (commodities.iter())
        .map(|&c| weights(net, &lowered, c, minimize))
        .collect::<Result<Vec<_>>>()?;
    let (rows, table_row) = capacity_rows(&lowered);
    let node_row = arrival_rows(net, &lowered, &table_row);
    let (use_first, uses) = row_uses(net, &lowered, &table_row, &node_row);
    let mut groups: Vec<Group> = Vec::new();
    let mut ods = Vec::new();
    for (&(c, o, d), &amount) in &pairs {
        let k = commodities.binary_search(&c).expect("collected above");
        if groups
            .last()
            .is_none_or(|g| g.commodity != k || g.origin != o)
        {
            let source = lowered.origin_vertex(o).expect("every origin has a zone");
            groups.push(Group {
                commodity: k,
                origin: o,
                source,
                origin_row: origin_row(&lowered, &node_row, o, source),
                ods: ods.len()..ods.len(),
            });
        }
        let g = groups.len() - 1;
        groups[g].ods.end += 1;
        ods.push(Od {
            group: g,
            destination: d,
            sink: lowered
                .destination_vertex(d)
                .expect("every destination has a zone"),
            demand: amount,
        });
    }
    let penalty_given = penalty.is_some();
    let penalty = match penalty {
        Some(p) if p.is_finite() && p > 0.0 => p,
        Some(p) => {
            return Err(Error::InvalidQuery {
                field: "unserved_penalty".into(),
                message: format!("--unserved-penalty {p} must be a positive number"),
            });
        }
        None => default_penalty(&lowered, &weight),
    };
    Ok(Problem {
        lowered,
        minimize,
        penalty,
        penalty_given,
        commodities,
        weight,
        rows,
        use_first,
        uses,
        groups,
        ods,
        demand_rows: demand.len(),
    })
}

/// Each row's commodity; amounts must be non-negative numbers.
fn checked_rows(net: &Network, demand: &[DemandRow]) -> Result<Vec<CommodityId>> {
    demand
        .iter()
        .map(|r| {
            let c = net
                .commodity_id(&r.commodity)
                .ok_or_else(|| Error::InvalidQuery {
                    field: "demand".into(),
                    message: format!(
                        "{}commodity: unknown commodity \"{}\"",
                        located(&r.source),
                        r.commodity
                    ),
                })?;
            if !(r.amount.is_finite() && r.amount >= 0.0) {
                return Err(Error::InvalidQuery {
                    field: "demand".into(),
                    message: format!(
                        "{}demand of {} from \"{}\" to \"{}\": {} is not a non-negative number",
                        located(&r.source),
                        r.commodity,
                        net.node(r.origin).source_id,
                        net.node(r.destination).source_id,
                        r.amount
                    ),
                });
            }
            Ok(c)
        })
        .collect()
}

/// `route`'s weights for one commodity (zone connectors cost nothing).
fn weights(
    net: &Network,
    lowered: &Lowered,
    c: CommodityId,
    minimize: Objective,
) -> Result<Vec<f64>> {
    let c = &net.commodities[c.index()];
    let w = ArcTable::new(net, lowered, c, &Avoid::default()).weights(minimize, net, c);
    if let Some((o, x)) = (lowered.arc_origin.iter().zip(&w)).find(|(_, x)| x.is_nan() || **x < 0.0)
    {
        return Err(Error::InvalidRequest(format!(
            "an arc of {o:?} has a negative or undefined {minimize} ({x}) for {}",
            c.source_id
        )));
    }
    Ok(w)
}

/// The element table's rows with a finite capacity, and each table row's
/// index among them (`u32::MAX` for the others).
fn capacity_rows(lowered: &Lowered) -> (Vec<CapacityRow>, Vec<u32>) {
    let t = &lowered.elements;
    let mut rows = Vec::new();
    let mut table_row = vec![u32::MAX; t.len()];
    for (i, (&element, &capacity)) in t.element.iter().zip(&t.capacity).enumerate() {
        if capacity.is_finite() {
            table_row[i] = rows.len() as u32;
            rows.push(CapacityRow { element, capacity });
        }
    }
    (rows, table_row)
}

/// The node row of `node` if its capacity is charged to arrivals (a node
/// with a capacity and no border), else `u32::MAX`.
fn arrival_rows(net: &Network, lowered: &Lowered, table_row: &[u32]) -> Vec<u32> {
    let mut row = vec![u32::MAX; net.n_nodes()];
    for (i, &e) in lowered.elements.element.iter().enumerate() {
        if let Element::Node(n) = e {
            row[n.index()] = table_row[i];
        }
    }
    for b in &net.borders {
        row[b.node.index()] = u32::MAX;
    }
    row
}

/// Per arc, the capacity rows it uses (see the module doc), CSR-like.
fn row_uses(
    net: &Network,
    lowered: &Lowered,
    table_row: &[u32],
    node_row: &[u32],
) -> (Vec<u32>, Vec<RowUse>) {
    let n_network = lowered.vertex_node.len();
    let node_of = |v: VertexIdx| (v.index() < n_network).then(|| lowered.vertex_node[v.index()]);
    let mode_of = |v: VertexIdx| lowered.layer_of(v).mode;
    let tails = lowered.csr.tails();
    let mut first = Vec::with_capacity(lowered.n_arcs() + 1);
    let mut uses = Vec::new();
    first.push(0);
    for (a, &o) in lowered.csr.arcs().zip(&lowered.arc_origin) {
        let modes = match o {
            ArcOrigin::Link { link, .. } => Some((net.link(link).mode, net.link(link).mode)),
            ArcOrigin::Border { layer, .. } => {
                let m = lowered.layer(layer).mode;
                Some((m, m))
            }
            ArcOrigin::Transfer { from, to, .. } => {
                Some((lowered.layer(from).mode, lowered.layer(to).mode))
            }
            _ => None,
        };
        if let Some(modes) = modes {
            for &r in lowered.elements.of_arc(a) {
                let row = table_row[r as usize];
                if row != u32::MAX {
                    uses.push(RowUse { row, modes });
                }
            }
        }
        let (t, h) = (tails[a.index()], lowered.csr.head(a));
        if let Some(n) = node_of(h)
            && node_row[n.index()] != u32::MAX
            && node_of(t) != Some(n)
        {
            let m = mode_of(h);
            uses.push(RowUse {
                row: node_row[n.index()],
                modes: (m, m),
            });
        }
        first.push(uses.len() as u32);
    }
    (first, uses)
}

/// The node row an origin's start uses: its zone is one of its own
/// vertices (no connector arc carries the start) and its capacity is
/// charged to arrivals.
fn origin_row(
    lowered: &Lowered,
    node_row: &[u32],
    origin: NodeId,
    source: VertexIdx,
) -> Option<RowUse> {
    if source.index() >= lowered.vertex_node.len() {
        return None;
    }
    let row = node_row[origin.index()];
    let m = lowered.layer_of(source).mode;
    (row != u32::MAX).then_some(RowUse { row, modes: (m, m) })
}

/// The default penalty per t/day unserved: the smallest power of ten above
/// every commodity's bound on the cost of a simple path (Σ over vertices
/// of the dearest usable arc leaving it, as a simple path leaves each
/// vertex at most once); 1 when every cost is 0. Serving a pair along a
/// path with room then always beats leaving it unserved.
pub fn default_penalty(lowered: &Lowered, weight: &[Vec<f64>]) -> f64 {
    let csr = &lowered.csr;
    let bound = weight
        .iter()
        .map(|w| {
            csr.vertices()
                .map(|v| {
                    (csr.out_arcs(v))
                        .map(|a| w[a.index()])
                        .filter(|x| x.is_finite())
                        .fold(0.0, f64::max)
                })
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    10f64.powi(bound.max(0.1).log10().floor() as i32 + 1)
}
