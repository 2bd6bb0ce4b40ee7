//! How much a corridor can carry and what limits it: the maximum flow from a
//! set of origins to a set of destinations, the minimum cut reported as
//! bottlenecks in the user's words, and the cheapest of the maximum flows so
//! every element's flow and utilisation is plausible rather than arbitrary.
//!
//! It lowers the network with capacity splits, terminal gates and a
//! super-source/sink ([`crate::lower()`]), gives each arc the capacity of the
//! elements it uses and the cost of one tonne, and solves with
//! `corridor_graph::min_cost_flow`; it reads no file and prints nothing (the
//! CLI and `corridor-io` do).
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
//! where no terminal allows it. Each of its arcs first gets the whole
//! capacity (a relaxation, an upper bound); then the sum is checked and,
//! where it is exceeded, the flow is solved again with the capacity divided
//! between the arcs (by a linear program, or in proportion to their flow on
//! large networks), which is feasible, and both are reported.
//!
//! On sea lanes each class-dependent arc ([`crate::lower::VesselArcs`])
//! costs what the cheapest vessel class the commodity may use that fits it
//! (and may call at its ports) makes it cost, and is closed where none
//! does. A flow may so change class at sea, which `route` never does: the
//! cost is a lower bound on a single-class plan's, the maximum an upper
//! bound, and the answer says so in a note.

use crate::access::{Avoid, arc_obstacle};
use crate::arc_origin::Element;
use crate::cost::{Objective, arc_attrs};
use crate::lower::{LowerConfig, Lowered, SourceSinkConfig, lower};
use crate::{Error, Result};
use corridor_graph::min_cost_flow::{MinCostFlow, min_cost_max_flow};
use corridor_graph::{ArcIdx, Csr, VertexIdx};
use corridor_model::{
    BorderId, CommodityId, Endpoint, FlowUnit, LinkId, Network, NodeId, TerminalId,
};
use std::collections::BTreeMap;

pub use corridor_model::CapacityQuery;
pub use corridor_model::results::{Bottleneck, CapacityReport, ElementFlow};

fn resolve_nodes(net: &Network, items: &[Endpoint]) -> Result<Vec<(NodeId, Option<f64>)>> {
    items
        .iter()
        .map(|e| {
            net.node_id(&e.place)
                .map(|n| (n, e.limit))
                .ok_or_else(|| Error::UnknownId {
                    kind: "node",
                    id: e.place.clone(),
                })
        })
        .collect()
}

/// Resolves a query's commodity: the named one, or the first in the file.
pub fn resolve_commodity(net: &Network, name: Option<&str>) -> Result<corridor_model::CommodityId> {
    match name {
        Some(c) => net.commodity_id(c).ok_or_else(|| Error::UnknownId {
            kind: "commodity",
            id: c.to_string(),
        }),
        None if !net.commodities.is_empty() => Ok(corridor_model::CommodityId(0)),
        None => Err(Error::InvalidRequest(
            "the network lists no commodity; add one or pass --commodity".into(),
        )),
    }
}

/// A capacity question lowered and weighed, ready to solve: once for
/// `capacity`, once per closed element for criticality (which zeroes arcs
/// of this one lowering instead of lowering again).
pub(crate) struct Prepared {
    pub fg: FlowGraph,
    pub ends: SourceSinkConfig,
    pub commodity: CommodityId,
}

/// Checks the ends, lowers `net` for flows of the query's commodity and
/// gives every arc its capacity and cost.
pub(crate) fn prepare(net: &Network, query: &CapacityQuery) -> Result<Prepared> {
    if query.from.is_empty() || query.to.is_empty() {
        return Err(Error::InvalidRequest(
            "give at least one origin (--from) and one destination (--to)".into(),
        ));
    }
    let ends = SourceSinkConfig {
        from: resolve_nodes(net, &query.from)?,
        to: resolve_nodes(net, &query.to)?,
    };
    let commodity = resolve_commodity(net, query.commodity.as_deref())?;
    check_ends(net, &ends)?;
    let lowered = lower(
        net,
        &LowerConfig {
            elements: true,
            capacity_splits: Some(commodity),
            source_sink: Some(ends.clone()),
            ..LowerConfig::default()
        },
    );
    let fg = FlowGraph::new(net, lowered, commodity, query.minimize);
    Ok(Prepared {
        fg,
        ends,
        commodity,
    })
}

/// Refuses a flow whose numbers overflowed: reported as a number it
/// would read as a real answer.
pub(crate) fn check_finite(r: &MinCostFlow) -> Result<()> {
    let value = r.max_flow.value;
    if !(value.is_finite() && r.cost.is_finite()) {
        return Err(Error::InvalidRequest(format!(
            "the flow's numbers overflowed (maximum {value}, cost {}): capacities or costs per tonne are too large for floating point",
            r.cost
        )));
    }
    Ok(())
}

/// Answers a capacity question on `net`.
pub fn capacity_query(net: &Network, query: &CapacityQuery) -> Result<CapacityReport> {
    let Prepared {
        fg,
        ends,
        commodity,
    } = prepare(net, query)?;
    let solved = solve_shared(net, &fg, fg.capacity.clone())?;
    check_finite(&solved.result)?;
    let value = solved.result.max_flow.value;
    let commodity = &net.commodities[commodity.index()];
    let mut notes = solved.notes;
    if fg.lowered.vessels.has_sea_lanes && !corridor_model::vessels_for(commodity).is_empty() {
        notes.push(
            "sea lanes: each sea arc is priced by the cheapest vessel class that may carry the commodity and fits it; a flow may change class at sea, unlike a route (docs/defaults.md, \"Vessel classes\")".into(),
        );
    }
    if value <= 0.0 {
        notes.push(format!(
            "no open path carries {} from {} to {}",
            commodity.source_id,
            names(net, &ends.from),
            names(net, &ends.to)
        ));
    }
    let unit = net.flow_unit.as_str().to_string();
    let max_flow_mt_per_year = (net.flow_unit == FlowUnit::TonnesPerDay)
        .then(|| round(value * net.vehicles.days_per_year / 1e6));
    Ok(CapacityReport {
        from: query.from.iter().map(|x| x.place.clone()).collect(),
        to: query.to.iter().map(|x| x.place.clone()).collect(),
        commodity: commodity.source_id.clone(),
        minimize: query.minimize.as_str().to_string(),
        max_flow: round(value),
        unit,
        max_flow_mt_per_year,
        bottlenecks: bottlenecks(net, &fg, &solved.result, &solved.caps),
        elements: element_flows(net, &fg, &solved.result),
        cost_per_unit: if value > 0.0 {
            round(solved.result.cost / value)
        } else {
            0.0
        },
        exact: solved.upper_bound.is_none(),
        upper_bound: solved.upper_bound.map(round),
        notes,
    })
}

/// Limits must be non-negative numbers, ends open, and no node both.
fn check_ends(net: &Network, ends: &SourceSinkConfig) -> Result<()> {
    for &(n, limit) in ends.from.iter().chain(&ends.to) {
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
    for &(f, _) in &ends.from {
        if ends.to.iter().any(|&(t, _)| t == f) {
            return Err(Error::InvalidRequest(format!(
                "node \"{}\" is both an origin and a destination",
                net.node(f).source_id
            )));
        }
    }
    Ok(())
}

/// A capacity shared by arcs in several layers (see the module doc).
#[derive(Clone, Debug, PartialEq)]
struct SharedCapacity {
    subject: Subject,
    /// t/day (the network's flow unit).
    capacity: f64,
    /// Arcs that share it, in CSR order.
    arcs: Vec<ArcIdx>,
}

/// A lowered flow question: per arc the capacity and cost of one tonne.
pub(crate) struct FlowGraph {
    pub lowered: Lowered,
    pub source: VertexIdx,
    pub sink: VertexIdx,
    /// Per arc, t/day; `f64::INFINITY` for no limit, 0 where the commodity
    /// may not go.
    pub capacity: Vec<f64>,
    /// Per arc, per tonne by the query's objective.
    pub cost: Vec<f64>,
    /// Capacities shared across layers, relaxed as the module doc says.
    shared: Vec<SharedCapacity>,
    /// Up to this many arcs a shared capacity is divided by LP, beyond by
    /// the proportional heuristic ([`MAX_LP_ARCS`]; tests lower it).
    pub max_lp_arcs: usize,
}

/// Prices each class-dependent arc by the cheapest permitted vessel class
/// that fits it and may call at its ends; closes it where none does.
fn cheapest_vessel_per_arc(
    net: &Network,
    lowered: &Lowered,
    c: &corridor_model::Commodity,
    objective: Objective,
    capacity: &mut [f64],
    cost: &mut [f64],
) {
    use corridor_model::is_sea_lane;
    let vessels = corridor_model::vessels_for(c);
    if vessels.is_empty() {
        return;
    }
    for &a in lowered.vessels.arcs() {
        let o = lowered.arc_origin[a.index()];
        let crate::lower::ArcOrigin::Link { link, .. } = o else {
            continue;
        };
        let l = net.link(link);
        let base = arc_attrs(net, lowered, o);
        let best = vessels
            .iter()
            .filter(|v| {
                (!is_sea_lane(l) || v.fits(l))
                    && v.calls_at(net.node(l.from))
                    && v.calls_at(net.node(l.to))
            })
            .map(|v| {
                let mut x = base;
                if is_sea_lane(l) {
                    (x.money, x.hours, x.co2_kg) = v.link_per_t(l);
                }
                x.value(objective, net, c)
            })
            .min_by(f64::total_cmp);
        match best {
            Some(w) => cost[a.index()] = w,
            None => capacity[a.index()] = 0.0,
        }
    }
}

impl FlowGraph {
    fn new(net: &Network, lowered: Lowered, commodity: CommodityId, objective: Objective) -> Self {
        let c = &net.commodities[commodity.index()];
        let avoid = Avoid::default();
        let table = &lowered.elements;
        let mut capacity = Vec::with_capacity(lowered.n_arcs());
        let mut cost = Vec::with_capacity(lowered.n_arcs());
        for (a, &o) in lowered.csr.arcs().zip(&lowered.arc_origin) {
            let open = arc_obstacle(net, o, c, &avoid).is_none();
            let cap = table.of_arc(a).iter().map(|&r| table.capacity[r as usize]);
            capacity.push(if open {
                cap.fold(f64::INFINITY, f64::min)
            } else {
                0.0
            });
            cost.push(arc_attrs(net, &lowered, o).value(objective, net, c));
        }
        cheapest_vessel_per_arc(net, &lowered, c, objective, &mut capacity, &mut cost);
        let shared = shared_capacities(&lowered);
        let (source, sink) = lowered.source_sink.expect("lowered with a source and sink");
        Self {
            lowered,
            source,
            sink,
            capacity,
            cost,
            shared,
            max_lp_arcs: MAX_LP_ARCS,
        }
    }

    /// Whether any capacity is shared across layers (else the relaxation
    /// is the answer).
    pub fn has_shared(&self) -> bool {
        !self.shared.is_empty()
    }

    pub fn csr(&self) -> &Csr {
        &self.lowered.csr
    }

    /// What a cut through arc `a` is reported as: the first element it
    /// uses that has a capacity, else its first (none for access arcs).
    fn cut_subject(&self, a: ArcIdx) -> Option<Subject> {
        let t = &self.lowered.elements;
        let rows = t.of_arc(a);
        let r = rows
            .iter()
            .find(|&&r| t.capacity[r as usize].is_finite())
            .or(rows.first())?;
        Some(Subject::of(t.element[*r as usize]))
    }
}

/// Elements with a capacity that several arcs use, by [`Subject`]; each
/// group's arcs in CSR order. Counted first, so only shared elements get a
/// list.
fn shared_capacities(lowered: &Lowered) -> Vec<SharedCapacity> {
    let table = &lowered.elements;
    let mut count = vec![0u32; table.len()];
    for a in lowered.csr.arcs() {
        for &r in table.of_arc(a) {
            count[r as usize] += 1;
        }
    }
    let mut group = vec![u32::MAX; table.len()];
    let mut shared = Vec::new();
    for (r, &n) in count.iter().enumerate() {
        if n > 1 && table.capacity[r].is_finite() {
            group[r] = shared.len() as u32;
            shared.push(SharedCapacity {
                subject: Subject::of(table.element[r]),
                capacity: table.capacity[r],
                arcs: Vec::with_capacity(n as usize),
            });
        }
    }
    for a in lowered.csr.arcs() {
        for &r in table.of_arc(a) {
            if let Some(g) = shared.get_mut(group[r as usize] as usize) {
                g.arcs.push(a);
            }
        }
    }
    shared.sort_by_key(|g| g.subject);
    shared
}

/// The cheapest maximum flow once shared capacities hold, and what it took.
pub(crate) struct Solved {
    pub result: MinCostFlow,
    /// Per arc, the capacities the flow was solved with.
    pub caps: Vec<f64>,
    /// Whether a shared capacity was exceeded and had to be divided, so
    /// that the flow was solved a second time on the division.
    pub divided: bool,
    /// The relaxation's value when the shared capacities had to be divided
    /// by the heuristic and the flow fell short of it.
    pub upper_bound: Option<f64>,
    pub notes: Vec<String>,
}

/// Solves with `caps` (the flow graph's capacities, or those with some
/// arcs closed) and every shared capacity on each of its arcs, then again
/// with the exceeded ones divided (see the module doc).
pub(crate) fn solve_shared(net: &Network, fg: &FlowGraph, mut caps: Vec<f64>) -> Result<Solved> {
    let mut upper_bound = None;
    let mut notes = Vec::new();
    let mut result = solve(net, fg, &caps)?;
    let over = violated(fg, &result);
    let divided = !over.is_empty();
    if divided {
        let relaxed = result.max_flow.value;
        let split = if fg.csr().n_arcs() <= fg.max_lp_arcs {
            optimal_split(fg, &caps)
        } else {
            None
        };
        let how = match split {
            Some(x) => {
                // Each arc gets its LP flow plus an equal part of what the
                // LP left unused, so an element that does not bind keeps
                // slack and does not show up in the minimum cut.
                for g in &fg.shared {
                    let used: f64 = g.arcs.iter().map(|&a| x[a.index()]).sum();
                    let spare = (g.capacity - used).max(0.0) / g.arcs.len() as f64;
                    for &a in &g.arcs {
                        caps[a.index()] = (x[a.index()] + spare).clamp(0.0, caps[a.index()]);
                    }
                }
                "divided between its layers as a linear program finds best"
            }
            None => {
                proportional_split(fg, &mut caps, &result, net);
                upper_bound = Some(relaxed);
                "divided between its layers in proportion to a relaxed flow (the network is too large for the exact linear program)"
            }
        };
        for gi in over {
            let g = &fg.shared[gi];
            notes.push(format!(
                "{} \"{}\" has one capacity ({:.0} {}) for cargo in several layers; it was {how}",
                g.subject.kind(),
                g.subject.id(net),
                g.capacity,
                net.flow_unit.as_str(),
            ));
        }
        result = solve(net, fg, &caps)?;
    }
    // Dividing a shared capacity may still reach the relaxation's value,
    // which is then optimal.
    if upper_bound.is_some_and(|ub| result.max_flow.value >= ub * (1.0 - 1e-9)) {
        upper_bound = None;
    }
    Ok(Solved {
        result,
        caps,
        divided,
        upper_bound,
        notes,
    })
}

/// The minimum cut, grouped by element, largest first.
fn bottlenecks(net: &Network, fg: &FlowGraph, r: &MinCostFlow, caps: &[f64]) -> Vec<Bottleneck> {
    let value = r.max_flow.value;
    let mut cut: BTreeMap<Subject, f64> = BTreeMap::new();
    for &a in &r.max_flow.cut_arcs {
        if let Some(e) = fg.cut_subject(a) {
            *cut.entry(e).or_default() += caps[a.index()];
        }
    }
    let mut bottlenecks: Vec<Bottleneck> = cut
        .into_iter()
        .map(|(e, c)| Bottleneck {
            kind: e.kind().to_string(),
            id: e.id(net),
            name: e.name(net),
            capacity: round(c),
            share: if value > 0.0 { round(c / value) } else { 0.0 },
        })
        .collect();
    bottlenecks.sort_by(|a, b| {
        b.capacity
            .total_cmp(&a.capacity)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.id.cmp(&b.id))
    });
    bottlenecks
}

/// Flow graphs up to this many arcs get an exact LP split of shared
/// capacities; larger ones the proportional heuristic.
pub const MAX_LP_ARCS: usize = 20_000;

/// Whether a flow of the relaxation exceeds a shared capacity, so that
/// [`solve_shared`] would divide it (criticality's warm re-solves then
/// fall back to `solve_shared`).
pub(crate) fn exceeds_shared(fg: &FlowGraph, r: &MinCostFlow) -> bool {
    !violated(fg, r).is_empty()
}

/// Shared capacities the flow exceeds.
fn violated(fg: &FlowGraph, r: &MinCostFlow) -> Vec<usize> {
    fg.shared
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            let f: f64 = g.arcs.iter().map(|&a| r.max_flow.flow[a.index()]).sum();
            f > g.capacity * (1.0 + 1e-9) + 1e-9
        })
        .map(|(i, _)| i)
        .collect()
}

/// The maximum flow with every shared capacity as one row, by LP
/// (`good_lp` with the pure-Rust `microlp`): the flow on each arc, which
/// becomes that arc's share of the capacities. `None` if the solver fails.
fn optimal_split(fg: &FlowGraph, caps: &[f64]) -> Option<Vec<f64>> {
    use good_lp::{Expression, Solution, SolverModel, microlp, variable, variables};
    let mut vars = variables!();
    let x: Vec<good_lp::Variable> = caps
        .iter()
        .map(|&c| {
            if c.is_finite() {
                vars.add(variable().min(0.0).max(c))
            } else {
                vars.add(variable().min(0.0))
            }
        })
        .collect();
    let n = fg.csr().n_vertices();
    let mut net_out = vec![Expression::from(0.0); n];
    for v in fg.csr().vertices() {
        for a in fg.csr().out_arcs(v) {
            net_out[v.index()] += x[a.index()];
            net_out[fg.csr().head(a).index()] -= x[a.index()];
        }
    }
    let objective = net_out[fg.source.index()].clone();
    let mut model = vars.maximise(objective).using(microlp);
    for (v, e) in net_out.into_iter().enumerate() {
        if v != fg.source.index() && v != fg.sink.index() {
            model = model.with(e.eq(0.0));
        }
    }
    for g in &fg.shared {
        let total: Expression = g.arcs.iter().map(|&a| x[a.index()]).sum();
        model = model.with(total.leq(g.capacity));
    }
    let sol = model.solve().ok()?;
    Some(x.iter().map(|&v| sol.value(v).max(0.0)).collect())
}

/// Divides each exceeded shared capacity between its arcs in proportion
/// to their flow, re-solving until no shared capacity is exceeded (each
/// round fixes at least one, so it ends).
fn proportional_split(fg: &FlowGraph, caps: &mut [f64], first: &MinCostFlow, net: &Network) {
    proportional_split_by(fg, caps, first.max_flow.flow.clone(), |c| {
        solve(net, fg, c).ok()
    });
}

/// [`proportional_split`] with the solve given (criticality repairs a
/// warm flow instead of solving from scratch): returns the last flow
/// solved, on the final capacities, or `None` when a solve failed.
pub(crate) fn proportional_split_by(
    fg: &FlowGraph,
    caps: &mut [f64],
    mut flow: Vec<f64>,
    mut solve: impl FnMut(&[f64]) -> Option<MinCostFlow>,
) -> Option<MinCostFlow> {
    let mut fixed = vec![false; fg.shared.len()];
    let mut last = None;
    loop {
        let mut changed = false;
        for (gi, g) in fg.shared.iter().enumerate() {
            if fixed[gi] {
                continue;
            }
            let f: f64 = g.arcs.iter().map(|&a| flow[a.index()]).sum();
            if f > g.capacity * (1.0 + 1e-9) + 1e-9 {
                fixed[gi] = true;
                changed = true;
                for &a in &g.arcs {
                    let a = a.index();
                    caps[a] = caps[a].min(g.capacity * flow[a] / f);
                }
            }
        }
        if !changed {
            return last;
        }
        let r = solve(caps)?;
        flow = r.max_flow.flow.clone();
        last = Some(r);
    }
}

fn solve(net: &Network, fg: &FlowGraph, caps: &[f64]) -> Result<MinCostFlow> {
    match min_cost_max_flow(fg.csr(), caps, &fg.cost, fg.source, fg.sink) {
        Ok(r) => Ok(r),
        Err(corridor_graph::Error::Unbounded) => {
            Err(Error::InvalidRequest(unbounded_message(net, fg, caps)))
        }
        Err(e) => Err(Error::InvalidRequest(e.to_string())),
    }
}

/// Names the elements of one path that no capacity limits.
fn unbounded_message(net: &Network, fg: &FlowGraph, caps: &[f64]) -> String {
    let n = fg.csr().n_vertices();
    let mut pred: Vec<Option<ArcIdx>> = vec![None; n];
    let mut seen = vec![false; n];
    let mut stack = vec![fg.source];
    seen[fg.source.index()] = true;
    while let Some(v) = stack.pop() {
        for a in fg.csr().out_arcs(v) {
            let h = fg.csr().head(a);
            if caps[a.index()] == f64::INFINITY && !seen[h.index()] {
                seen[h.index()] = true;
                pred[h.index()] = Some(a);
                stack.push(h);
            }
        }
    }
    let tails = fg.csr().tails();
    let mut parts = Vec::new();
    let mut v = fg.sink.index();
    while let Some(a) = pred[v] {
        if let Some(e) = fg.cut_subject(a) {
            let s = format!("{} \"{}\"", e.kind(), e.id(net));
            if parts.last() != Some(&s) {
                parts.push(s);
            }
        }
        v = tails[a.index()].index();
    }
    parts.reverse();
    format!(
        "the capacity is unlimited: no capacity is set anywhere on the path {}; give one of them a capacity (or limit the supply with --from ID=LIMIT)",
        parts.join(" -> ")
    )
}

fn names(net: &Network, nodes: &[(NodeId, Option<f64>)]) -> String {
    nodes
        .iter()
        .map(|(n, _)| net.node(*n).source_id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rounds to 9 significant digits so outputs do not show float noise.
pub fn round(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(9 - x.abs().log10().ceil() as i32);
    (x * scale).round() / scale
}

/// What a bottleneck or an element flow is about: an [`Element`] with a
/// link's two directions as one (their order is the order of reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Subject {
    Node(NodeId),
    Link(LinkId),
    Terminal(TerminalId),
    Border(BorderId),
    Supply(NodeId),
    Absorption(NodeId),
}

impl Subject {
    pub fn of(e: Element) -> Self {
        match e {
            Element::Link { link, .. } => Subject::Link(link),
            Element::Terminal(t) => Subject::Terminal(t),
            Element::Border(b) => Subject::Border(b),
            Element::Node(n) => Subject::Node(n),
            Element::Supply(n) => Subject::Supply(n),
            Element::Absorption(n) => Subject::Absorption(n),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Subject::Node(_) => "node",
            Subject::Link(_) => "link",
            Subject::Terminal(_) => "terminal",
            Subject::Border(_) => "border",
            Subject::Supply(_) => "supply",
            Subject::Absorption(_) => "absorption",
        }
    }

    pub fn id(self, net: &Network) -> String {
        match self {
            Subject::Node(n) | Subject::Supply(n) | Subject::Absorption(n) => {
                net.node(n).source_id.to_string()
            }
            Subject::Link(l) => net.link(l).source_id.to_string(),
            Subject::Terminal(t) => net.terminals[t.index()].source_id.clone(),
            Subject::Border(b) => net.borders[b.index()].source_id.clone(),
        }
    }

    /// A readable name: the element's own name, or for a link its two ends.
    pub fn name(self, net: &Network) -> String {
        match self {
            Subject::Node(n) => net.node(n).name.to_string(),
            Subject::Supply(n) => format!("supply at {}", net.node(n).name),
            Subject::Absorption(n) => format!("absorption at {}", net.node(n).name),
            Subject::Link(l) => {
                let l = net.link(l);
                let gauge = l.gauge_mm.map(|g| format!(" {g} mm")).unwrap_or_default();
                format!(
                    "{} – {} ({}{gauge})",
                    net.node(l.from).name,
                    net.node(l.to).name,
                    l.mode
                )
            }
            Subject::Terminal(t) => net.terminals[t.index()].name.clone(),
            Subject::Border(b) => net.borders[b.index()].name.clone(),
        }
    }

    fn capacity(self, net: &Network) -> Option<f64> {
        match self {
            Subject::Node(n) => net.node(n).capacity_t_per_day,
            Subject::Link(l) => net.link(l).capacity_t_per_day,
            Subject::Terminal(t) => net.terminals[t.index()].capacity_t_per_day,
            Subject::Border(b) => net.borders[b.index()].capacity_t_per_day,
            Subject::Supply(_) | Subject::Absorption(_) => None,
        }
    }
}

/// Every element carrying flow (supply and absorption limits aside), with
/// its utilisation (a link's busier direction).
fn element_flows(net: &Network, fg: &FlowGraph, r: &MinCostFlow) -> Vec<ElementFlow> {
    let flow = &r.max_flow.flow;
    let eps = 1e-9 * (1.0 + r.max_flow.value);
    let table = &fg.lowered.elements;
    // (total, busiest single direction or layer arc)
    let mut acc: BTreeMap<Subject, (f64, [f64; 2])> = BTreeMap::new();
    for (a, &f) in fg.csr().arcs().zip(flow) {
        if f <= eps {
            continue;
        }
        for &row in table.of_arc(a) {
            let e = table.element[row as usize];
            let dir = match e {
                Element::Supply(_) | Element::Absorption(_) => continue,
                Element::Link { forward, .. } => usize::from(!forward),
                _ => 0,
            };
            let x = acc.entry(Subject::of(e)).or_default();
            x.0 += f;
            x.1[dir] += f;
        }
    }
    let mut out: Vec<ElementFlow> = acc
        .into_iter()
        .map(|(e, (total, dirs))| {
            let capacity = e.capacity(net);
            let busiest = if matches!(e, Subject::Link(_)) {
                dirs[0].max(dirs[1])
            } else {
                total
            };
            ElementFlow {
                kind: e.kind().to_string(),
                id: e.id(net),
                name: e.name(net),
                flow: round(total),
                capacity,
                utilisation: capacity.map(|c| if c > 0.0 { round(busiest / c) } else { 0.0 }),
            }
        })
        .collect();
    out.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
    out
}
