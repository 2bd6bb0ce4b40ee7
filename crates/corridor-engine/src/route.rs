//! Routing one shipment: weights for a commodity and objective, Dijkstra
//! (through `--via` nodes in order), the Pareto set of cost vs time, and
//! turning a path of arcs into an itinerary of legs, transfers and border
//! crossings with totals for all the shipment's tonnes.

use crate::cost::{ArcAttrs, Objective, arc_attrs};
use crate::explain::explain_no_route;
use crate::lower::{ArcOrigin, Lowered};
use crate::{Error, Result};
use corridor_graph::pareto::pareto_paths;
use corridor_graph::{ArcIdx, ShortestPath, VertexIdx};
use corridor_model::{
    BorderCrossing, BorderId, Commodity, CommodityId, Itinerary, Leg, LinkId, Network, NodeId,
    Step, TerminalId, Totals, Transfer,
};
use std::collections::BTreeSet;

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
            } else if net
                .nodes
                .iter()
                .any(|n| n.country.eq_ignore_ascii_case(item))
            {
                let code = net
                    .nodes
                    .iter()
                    .find(|n| n.country.eq_ignore_ascii_case(item))
                    .map(|n| n.country.clone());
                a.countries.extend(code);
            } else {
                return Err(Error::UnknownId {
                    kind: "node, link, terminal, border or country",
                    id: item.clone(),
                });
            }
        }
        Ok(a)
    }

    fn avoids_node(&self, net: &Network, n: NodeId) -> bool {
        self.nodes.contains(&n) || self.countries.contains(&net.node(n).country)
    }
}

/// Why an arc may not be used by a shipment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Obstacle {
    NodeClosed(NodeId),
    LinkClosed(LinkId),
    LinkBans(LinkId),
    TerminalClosed(TerminalId),
    TerminalRejects(TerminalId),
    BorderClosed(BorderId),
    BorderBans(BorderId),
    Avoided(String),
}

/// Whether `commodity` may use arc `a`, and if not, the first reason.
pub fn arc_obstacle(
    net: &Network,
    lowered: &Lowered,
    a: usize,
    commodity: &Commodity,
    avoid: &Avoid,
) -> Option<Obstacle> {
    let node_check = |n: NodeId| -> Option<Obstacle> {
        if !net.node(n).open {
            return Some(Obstacle::NodeClosed(n));
        }
        if avoid.avoids_node(net, n) {
            return Some(Obstacle::Avoided(describe_node(net, n)));
        }
        None
    };
    match lowered.arc_origin[a] {
        ArcOrigin::Link { link, .. } => {
            let l = net.link(link);
            if !l.open {
                return Some(Obstacle::LinkClosed(link));
            }
            if !l.commodities.permits(commodity) {
                return Some(Obstacle::LinkBans(link));
            }
            if avoid.links.contains(&link) {
                return Some(Obstacle::Avoided(format!("link \"{}\"", l.source_id)));
            }
            node_check(l.from).or_else(|| node_check(l.to))
        }
        ArcOrigin::Transfer { terminal, .. } => {
            let t = &net.terminals[terminal.index()];
            if !t.open {
                return Some(Obstacle::TerminalClosed(terminal));
            }
            if !t.commodities.permits(commodity) {
                return Some(Obstacle::TerminalRejects(terminal));
            }
            if avoid.terminals.contains(&terminal) {
                return Some(Obstacle::Avoided(format!("terminal \"{}\"", t.source_id)));
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
                return Some(Obstacle::Avoided(format!("border \"{}\"", b.source_id)));
            }
            node_check(b.node)
        }
    }
}

pub(crate) fn describe_node(net: &Network, n: NodeId) -> String {
    let node = net.node(n);
    if node.name != node.source_id && !node.name.is_empty() {
        format!("{} ({})", node.name, node.source_id)
    } else {
        node.source_id.clone()
    }
}

/// Per-tonne attributes of every arc, and which arcs the shipment may use.
pub struct ArcTable {
    pub attrs: Vec<ArcAttrs>,
    pub usable: Vec<bool>,
}

impl ArcTable {
    pub fn new(net: &Network, lowered: &Lowered, commodity: &Commodity, avoid: &Avoid) -> Self {
        let n = lowered.n_arcs();
        let mut attrs = Vec::with_capacity(n);
        let mut usable = Vec::with_capacity(n);
        for a in 0..n {
            attrs.push(arc_attrs(net, lowered, lowered.arc_origin[a]));
            usable.push(arc_obstacle(net, lowered, a, commodity, avoid).is_none());
        }
        Self { attrs, usable }
    }

    /// Arc weights for an objective; unusable arcs weigh infinity.
    pub fn weights(&self, objective: Objective, net: &Network, commodity: &Commodity) -> Vec<f64> {
        self.attrs
            .iter()
            .zip(&self.usable)
            .map(|(x, &ok)| {
                if ok {
                    x.value(objective, net, commodity)
                } else {
                    f64::INFINITY
                }
            })
            .collect()
    }
}

/// One shipment to route.
#[derive(Clone, Debug)]
pub struct RouteRequest {
    pub from: NodeId,
    pub to: NodeId,
    pub commodity: CommodityId,
    pub tonnes: f64,
    pub objective: Objective,
    /// Nodes to pass through, in order.
    pub via: Vec<NodeId>,
    pub avoid: Avoid,
    /// List every non-dominated (cost, time) itinerary instead of one.
    pub pareto: bool,
}

pub use corridor_model::RouteResult;

/// Labels at most this many partial paths before `--pareto` gives up.
const PARETO_MAX_LABELS: usize = 5_000_000;

/// Routes a shipment. No route is an [`Error::NoRoute`] whose message says
/// why (closures, bans, avoided elements, missing terminals).
pub fn route(net: &Network, lowered: &Lowered, req: &RouteRequest) -> Result<RouteResult> {
    let commodity = net
        .commodities
        .get(req.commodity.index())
        .ok_or_else(|| Error::InvalidRequest("commodity index out of range".into()))?;
    if !(req.tonnes.is_finite() && req.tonnes > 0.0) {
        return Err(Error::InvalidRequest(format!(
            "tonnes must be a positive number, got {}",
            req.tonnes
        )));
    }
    for &n in std::iter::once(&req.from)
        .chain(&req.via)
        .chain(std::iter::once(&req.to))
    {
        if req.avoid.avoids_node(net, n) {
            return Err(Error::InvalidRequest(format!(
                "{} is both on the route (--from/--to/--via) and avoided (--avoid)",
                describe_node(net, n)
            )));
        }
    }
    if req.from == req.to && req.via.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "--from and --to are the same node ({})",
            describe_node(net, req.from)
        )));
    }
    let table = ArcTable::new(net, lowered, commodity, &req.avoid);
    if req.pareto {
        if !req.via.is_empty() {
            return Err(Error::InvalidRequest(
                "--pareto cannot be combined with --via".into(),
            ));
        }
        let cost = table.weights(Objective::Cost, net, commodity);
        let time = table.weights(Objective::Time, net, commodity);
        let sources: Vec<VertexIdx> = lowered.source_vertices(req.from).collect();
        let targets: Vec<VertexIdx> = lowered.target_vertices(req.to).collect();
        let paths = pareto_paths(
            &lowered.csr,
            &cost,
            &time,
            &sources,
            &targets,
            PARETO_MAX_LABELS,
        )
        .map_err(|e| {
            Error::InvalidRequest(format!(
                "the Pareto set is too large to enumerate (over {} labels); narrow the request",
                e.0
            ))
        })?;
        if paths.is_empty() {
            return Err(no_route(net, lowered, req, commodity));
        }
        let itineraries = paths
            .iter()
            .map(|p| itinerary(net, lowered, &table, req, commodity, "pareto", &p.arcs))
            .collect();
        return Ok(RouteResult { itineraries });
    }

    let weight = table.weights(req.objective, net, commodity);
    let tails = lowered.csr.tails();
    let mut sp = ShortestPath::new(lowered.n_vertices());
    // Dynamic programming over the stops: the best way to reach each vertex
    // of a stop, then continue from all of them, so a via node never forces
    // an arrival layer.
    let mut frontier: Vec<(VertexIdx, f64)> = lowered
        .source_vertices(req.from)
        .map(|v| (v, 0.0))
        .collect();
    let mut segments: Vec<Vec<(VertexIdx, Vec<ArcIdx>)>> = Vec::new();
    let stops: Vec<NodeId> = req
        .via
        .iter()
        .copied()
        .chain(std::iter::once(req.to))
        .collect();
    for (k, &stop) in stops.iter().enumerate() {
        let targets: Vec<VertexIdx> = lowered.target_vertices(stop).collect();
        sp.run_to_all(&lowered.csr, &weight, &frontier, &targets);
        let mut reached = Vec::new();
        let mut next = Vec::new();
        for &t in &targets {
            if sp.reached(t) {
                let arcs = sp.path_arcs(&tails, t).unwrap_or_default();
                next.push((t, sp.dist(t)));
                reached.push((t, arcs));
            }
        }
        if reached.is_empty() {
            let mut sub = req.clone();
            if k > 0 {
                sub.from = stops[k - 1];
            }
            sub.to = stop;
            sub.via.clear();
            return Err(no_route(net, lowered, &sub, commodity));
        }
        // A via node continues from where the shipment is, in any layer; a
        // split node's arrival (in) vertex leads on through its own arcs.
        frontier = next;
        segments.push(reached);
    }
    // Walk back: pick the best final vertex, then the segment paths that led there.
    let last = segments.last().expect("at least one stop");
    let (mut end, _) = last
        .iter()
        .map(|(v, _)| {
            (
                *v,
                frontier
                    .iter()
                    .find(|f| f.0 == *v)
                    .map_or(f64::INFINITY, |f| f.1),
            )
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("reached is non-empty");
    let mut pieces: Vec<Vec<ArcIdx>> = Vec::new();
    for seg in segments.iter().rev() {
        let (_, arcs) = seg
            .iter()
            .find(|(v, _)| *v == end)
            .expect("end vertex comes from this segment");
        pieces.push(arcs.clone());
        // The segment started at the vertex its first arc leaves, or at end itself.
        end = arcs.first().map_or(end, |&a| tails[a as usize]);
    }
    pieces.reverse();
    let arcs: Vec<ArcIdx> = pieces.concat();
    let it = itinerary(
        net,
        lowered,
        &table,
        req,
        commodity,
        req.objective.as_str(),
        &arcs,
    );
    Ok(RouteResult {
        itineraries: vec![it],
    })
}

fn no_route(net: &Network, lowered: &Lowered, req: &RouteRequest, commodity: &Commodity) -> Error {
    Error::NoRoute(explain_no_route(net, lowered, req, commodity))
}

/// Builds an itinerary from a path of arcs: consecutive link arcs of one
/// layer form a leg; transfers and crossings are steps of their own.
pub fn itinerary(
    net: &Network,
    lowered: &Lowered,
    table: &ArcTable,
    req: &RouteRequest,
    commodity: &Commodity,
    minimize: &str,
    arcs: &[ArcIdx],
) -> Itinerary {
    let t = req.tonnes;
    let mut it = Itinerary {
        from: net.node(req.from).source_id.clone(),
        to: net.node(req.to).source_id.clone(),
        commodity: commodity.source_id.clone(),
        tonnes: t,
        minimize: minimize.to_string(),
        totals: Totals::default(),
        legs: Vec::new(),
        transfers: Vec::new(),
        borders: Vec::new(),
        steps: Vec::new(),
        snap_km: None,
    };
    let mut generalised = 0.0;
    let mut open_leg: Option<(u16, usize)> = None; // (layer, index into legs)
    for &a in arcs {
        let x = table.attrs[a as usize];
        generalised += x.generalised(net, commodity) * t;
        match lowered.arc_origin[a as usize] {
            ArcOrigin::Link { link, forward } => {
                let l = net.link(link);
                let layer = lowered.vertex_layer[lowered.csr.head(a as usize) as usize];
                let (from, to) = if forward {
                    (l.from, l.to)
                } else {
                    (l.to, l.from)
                };
                let leg_idx = match open_leg {
                    Some((lay, i)) if lay == layer => i,
                    _ => {
                        it.legs.push(Leg {
                            mode: l.mode,
                            gauge: l.gauge_mm,
                            from: net.node(from).source_id.clone(),
                            to: String::new(),
                            km: 0.0,
                            hours: 0.0,
                            cost: 0.0,
                            co2_kg: 0.0,
                            links: Vec::new(),
                        });
                        it.steps.push(Step::Leg(it.legs.len() - 1));
                        open_leg = Some((layer, it.legs.len() - 1));
                        it.legs.len() - 1
                    }
                };
                let leg = &mut it.legs[leg_idx];
                leg.to = net.node(to).source_id.clone();
                leg.km += x.km;
                leg.hours += x.hours;
                leg.cost += x.money * t;
                leg.co2_kg += x.co2_kg * t;
                leg.links.push(l.source_id.clone());
            }
            ArcOrigin::Transfer { terminal, from, to } => {
                open_leg = None;
                let term = &net.terminals[terminal.index()];
                it.transfers.push(Transfer {
                    at: net.node(term.node).source_id.clone(),
                    terminal: term.source_id.clone(),
                    from_layer: lowered.layers[from as usize].to_string(),
                    to_layer: lowered.layers[to as usize].to_string(),
                    hours: x.hours,
                    cost: x.money * t,
                    co2_kg: x.co2_kg * t,
                });
                it.steps.push(Step::Transfer(it.transfers.len() - 1));
            }
            ArcOrigin::Border { border, layer } => {
                open_leg = None;
                let b = &net.borders[border.index()];
                it.borders.push(BorderCrossing {
                    at: net.node(b.node).source_id.clone(),
                    border: b.source_id.clone(),
                    countries: b.countries.clone(),
                    mode: lowered.layers[layer as usize].mode,
                    hours: x.hours,
                    fees: x.money * t,
                });
                it.steps.push(Step::Border(it.borders.len() - 1));
            }
        }
    }
    it.totals = it.sum_of_parts();
    it.totals.generalised = generalised;
    it
}
