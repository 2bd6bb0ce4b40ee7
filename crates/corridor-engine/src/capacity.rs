//! How much a corridor can carry and what limits it: the maximum flow from a
//! set of origins to a set of destinations, the minimum cut reported as
//! bottlenecks in the user's words, and the cheapest of the maximum flows so
//! every element's flow and utilisation is plausible rather than arbitrary.
//!
//! It builds on [`crate::lower_flow`] and `corridor_graph::min_cost_flow`;
//! it reads no file and prints nothing (the CLI and `corridor-io` do).

use crate::lower::{Lowered, lower};
use crate::lower_flow::{Element, FlowArcOrigin, FlowGraph, FlowRequest, lower_flow};
use crate::{Error, Result};
use corridor_graph::min_cost_flow::{MinCostFlow, min_cost_max_flow};
use corridor_model::{Endpoint, FlowUnit, Network, NodeId};
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

/// Lowers `net` and answers `query` on it.
pub fn capacity_query(net: &Network, query: &CapacityQuery) -> Result<CapacityReport> {
    let lowered = lower(net);
    capacity(net, &lowered, query)
}

/// Answers a capacity query on an already lowered network.
pub fn capacity(net: &Network, lowered: &Lowered, query: &CapacityQuery) -> Result<CapacityReport> {
    if query.from.is_empty() || query.to.is_empty() {
        return Err(Error::InvalidRequest(
            "give at least one origin (--from) and one destination (--to)".into(),
        ));
    }
    let req = FlowRequest {
        from: resolve_nodes(net, &query.from)?,
        to: resolve_nodes(net, &query.to)?,
        commodity: resolve_commodity(net, query.commodity.as_deref())?,
        objective: query.minimize,
    };
    let fg = lower_flow(net, lowered, &req)?;
    let mut caps = fg.capacity.clone();
    let mut upper_bound = None;
    let mut notes = Vec::new();
    let mut result = solve(net, &fg, &caps)?;
    let over = violated(&fg, &result);
    if !over.is_empty() {
        let relaxed = result.max_flow.value;
        let split = if fg.csr.n_arcs() <= MAX_LP_ARCS {
            optimal_split(&fg, &caps)
        } else {
            None
        };
        let how = match split {
            Some(x) => {
                // Each arc gets its LP flow plus an equal part of what the
                // LP left unused, so an element that does not bind keeps
                // slack and does not show up in the minimum cut.
                for g in &fg.shared {
                    let used: f64 = g.arcs.iter().map(|&a| x[a as usize]).sum();
                    let spare = (g.capacity - used).max(0.0) / g.arcs.len() as f64;
                    for &a in &g.arcs {
                        caps[a as usize] = (x[a as usize] + spare).clamp(0.0, caps[a as usize]);
                    }
                }
                "divided between its layers as a linear program finds best"
            }
            None => {
                proportional_split(&fg, &mut caps, &result, net);
                upper_bound = Some(relaxed);
                "divided between its layers in proportion to a relaxed flow (the network is too large for the exact linear program)"
            }
        };
        for gi in over {
            let g = &fg.shared[gi];
            notes.push(format!(
                "{} \"{}\" has one capacity ({:.0} {}) for cargo in several layers; it was {how}",
                kind_of(g.element),
                element_id(net, g.element),
                g.capacity,
                net.flow_unit.as_str(),
            ));
        }
        result = solve(net, &fg, &caps)?;
    }
    let value = result.max_flow.value;
    // Dividing a shared capacity may still reach the relaxation's value,
    // which is then optimal.
    if upper_bound.is_some_and(|ub| value >= ub * (1.0 - 1e-9)) {
        upper_bound = None;
    }
    let commodity = &net.commodities[req.commodity.index()];
    if value <= 0.0 {
        notes.push(format!(
            "no open path carries {} from {} to {}",
            commodity.source_id,
            names(net, &req.from),
            names(net, &req.to)
        ));
    }

    // Bottlenecks: the minimum cut, grouped by element.
    let mut cut: BTreeMap<Element, f64> = BTreeMap::new();
    for &a in &result.max_flow.cut_arcs {
        if let Some(e) = fg.origin[a as usize].element(net) {
            *cut.entry(e).or_default() += caps[a as usize];
        }
    }
    let mut bottlenecks: Vec<Bottleneck> = cut
        .into_iter()
        .map(|(e, c)| Bottleneck {
            kind: kind_of(e).to_string(),
            id: element_id(net, e),
            name: element_name(net, e),
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

    let elements = element_flows(net, &fg, &result);
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
        bottlenecks,
        elements,
        cost_per_unit: if value > 0.0 {
            round(result.cost / value)
        } else {
            0.0
        },
        exact: upper_bound.is_none(),
        upper_bound: upper_bound.map(round),
        notes,
    })
}

/// Flow graphs up to this many arcs get an exact LP split of shared
/// capacities; larger ones the proportional heuristic.
pub const MAX_LP_ARCS: usize = 20_000;

/// Shared capacities the flow exceeds.
fn violated(fg: &FlowGraph, r: &MinCostFlow) -> Vec<usize> {
    fg.shared
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            let f: f64 = g.arcs.iter().map(|&a| r.max_flow.flow[a as usize]).sum();
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
    let n = fg.csr.n_vertices();
    let mut net_out = vec![Expression::from(0.0); n];
    for v in 0..n {
        for a in fg.csr.out_arcs(v as u32) {
            net_out[v] += x[a];
            net_out[fg.csr.head(a) as usize] -= x[a];
        }
    }
    let objective = net_out[fg.source as usize].clone();
    let mut model = vars.maximise(objective).using(microlp);
    for (v, e) in net_out.into_iter().enumerate() {
        if v != fg.source as usize && v != fg.sink as usize {
            model = model.with(e.eq(0.0));
        }
    }
    for g in &fg.shared {
        let total: Expression = g.arcs.iter().map(|&a| x[a as usize]).sum();
        model = model.with(total.leq(g.capacity));
    }
    let sol = model.solve().ok()?;
    Some(x.iter().map(|&v| sol.value(v).max(0.0)).collect())
}

/// Divides each exceeded shared capacity between its arcs in proportion
/// to their flow, re-solving until no shared capacity is exceeded (each
/// round fixes at least one, so it ends).
fn proportional_split(fg: &FlowGraph, caps: &mut [f64], first: &MinCostFlow, net: &Network) {
    let mut fixed = vec![false; fg.shared.len()];
    let mut flow = first.max_flow.flow.clone();
    loop {
        let mut changed = false;
        for (gi, g) in fg.shared.iter().enumerate() {
            if fixed[gi] {
                continue;
            }
            let f: f64 = g.arcs.iter().map(|&a| flow[a as usize]).sum();
            if f > g.capacity * (1.0 + 1e-9) + 1e-9 {
                fixed[gi] = true;
                changed = true;
                for &a in &g.arcs {
                    let a = a as usize;
                    caps[a] = caps[a].min(g.capacity * flow[a] / f);
                }
            }
        }
        if !changed {
            return;
        }
        match solve(net, fg, caps) {
            Ok(r) => flow = r.max_flow.flow,
            Err(_) => return,
        }
    }
}

fn solve(net: &Network, fg: &FlowGraph, caps: &[f64]) -> Result<MinCostFlow> {
    match min_cost_max_flow(&fg.csr, caps, &fg.cost, fg.source, fg.sink) {
        Ok(r) => Ok(r),
        Err(corridor_graph::Error::Unbounded) => {
            Err(Error::InvalidRequest(unbounded_message(net, fg, caps)))
        }
        Err(e) => Err(Error::InvalidRequest(e.to_string())),
    }
}

/// Names the elements of one path that no capacity limits.
fn unbounded_message(net: &Network, fg: &FlowGraph, caps: &[f64]) -> String {
    let n = fg.csr.n_vertices();
    let mut pred = vec![u32::MAX; n];
    let mut seen = vec![false; n];
    let mut stack = vec![fg.source];
    seen[fg.source as usize] = true;
    while let Some(v) = stack.pop() {
        for a in fg.csr.out_arcs(v) {
            let h = fg.csr.head(a) as usize;
            if caps[a] == f64::INFINITY && !seen[h] {
                seen[h] = true;
                pred[h] = a as u32;
                stack.push(h as u32);
            }
        }
    }
    let tails = fg.csr.tails();
    let mut parts = Vec::new();
    let mut v = fg.sink as usize;
    while pred[v] != u32::MAX {
        let a = pred[v] as usize;
        if let Some(e) = fg.origin[a].element(net) {
            let s = format!("{} \"{}\"", kind_of(e), element_id(net, e));
            if parts.last() != Some(&s) {
                parts.push(s);
            }
        }
        v = tails[a] as usize;
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

pub(crate) fn kind_of(e: Element) -> &'static str {
    match e {
        Element::Node(_) => "node",
        Element::Link(_) => "link",
        Element::Terminal(_) => "terminal",
        Element::Border(_) => "border",
        Element::Supply(_) => "supply",
        Element::Absorption(_) => "absorption",
    }
}

pub(crate) fn element_id(net: &Network, e: Element) -> String {
    match e {
        Element::Node(n) | Element::Supply(n) | Element::Absorption(n) => {
            net.node(n).source_id.clone()
        }
        Element::Link(l) => net.link(l).source_id.clone(),
        Element::Terminal(t) => net.terminals[t.index()].source_id.clone(),
        Element::Border(b) => net.borders[b.index()].source_id.clone(),
    }
}

/// A readable name: the element's own name, or for a link its two ends.
pub(crate) fn element_name(net: &Network, e: Element) -> String {
    match e {
        Element::Node(n) => net.node(n).name.clone(),
        Element::Supply(n) => format!("supply at {}", net.node(n).name),
        Element::Absorption(n) => format!("absorption at {}", net.node(n).name),
        Element::Link(l) => {
            let l = net.link(l);
            let gauge = l.gauge_mm.map(|g| format!(" {g} mm")).unwrap_or_default();
            format!(
                "{} – {} ({}{gauge})",
                net.node(l.from).name,
                net.node(l.to).name,
                l.mode
            )
        }
        Element::Terminal(t) => net.terminals[t.index()].name.clone(),
        Element::Border(b) => net.borders[b.index()].name.clone(),
    }
}

fn element_capacity(net: &Network, e: Element) -> Option<f64> {
    match e {
        Element::Node(n) => net.node(n).capacity_t_per_day,
        Element::Link(l) => net.link(l).capacity_t_per_day,
        Element::Terminal(t) => net.terminals[t.index()].capacity_t_per_day,
        Element::Border(b) => net.borders[b.index()].capacity_t_per_day,
        Element::Supply(_) | Element::Absorption(_) => None,
    }
}

fn element_flows(net: &Network, fg: &FlowGraph, r: &MinCostFlow) -> Vec<ElementFlow> {
    let flow = &r.max_flow.flow;
    let eps = 1e-9 * (1.0 + r.max_flow.value);
    // (total, busiest single direction or layer arc)
    let mut acc: BTreeMap<Element, (f64, [f64; 2])> = BTreeMap::new();
    for (a, o) in fg.origin.iter().enumerate() {
        let f = flow[a];
        if f <= eps {
            continue;
        }
        let (e, dir) = match *o {
            FlowArcOrigin::Link { link, forward } => (Element::Link(link), usize::from(!forward)),
            FlowArcOrigin::Transfer { terminal } | FlowArcOrigin::Gate { terminal } => {
                (Element::Terminal(terminal), 0)
            }
            FlowArcOrigin::Border { border, .. } => {
                let node = net.borders[border.index()].node;
                if net.node(node).capacity_t_per_day.is_some() {
                    let x = acc.entry(Element::Node(node)).or_default();
                    x.0 += f;
                    x.1[0] += f;
                }
                (Element::Border(border), 0)
            }
            FlowArcOrigin::NodeCapacity { node, .. } => (Element::Node(node), 0),
            _ => continue,
        };
        let x = acc.entry(e).or_default();
        x.0 += f;
        x.1[dir] += f;
    }
    let mut out: Vec<ElementFlow> = acc
        .into_iter()
        .map(|(e, (total, dirs))| {
            let capacity = element_capacity(net, e);
            let busiest = if matches!(e, Element::Link(_)) {
                dirs[0].max(dirs[1])
            } else {
                total
            };
            ElementFlow {
                kind: kind_of(e).to_string(),
                id: element_id(net, e),
                name: element_name(net, e),
                flow: round(total),
                capacity,
                utilisation: capacity.map(|c| if c > 0.0 { round(busiest / c) } else { 0.0 }),
            }
        })
        .collect();
    out.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
    out
}
