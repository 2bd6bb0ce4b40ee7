//! Traffic assignment on a road-like network (TNTP networks, or any network
//! whose links carry capacities and BPR parameters): lowers links into a
//! [`Csr`] with BPR cost arrays, turns node-to-node demand into vertex
//! demand, runs `corridor_graph::assignment` on a rayon pool of the asked
//! size and maps arc flows back to links in network order.
//!
//! Zones marked `no_through` become two vertices: one with the node's
//! out-arcs (where its trips start) and one with its in-arcs (where trips
//! end), so no path can pass through a zone and the graph algorithms need
//! no special case. Intrazonal demand is dropped here.
//!
//! This module does not read files (demand arrives as node ids) and does
//! not do multi-class freight assignment on the multimodal lowering.

use crate::{Error, Result};
use corridor_graph::Csr;
use corridor_graph::assignment::{
    self, AssignConfig, Class, Demand, Elements, IterationStat, Method,
};
use corridor_graph::vdf::Bpr;
use corridor_model::{LinkId, Network, NodeId};
use std::time::Instant;

/// Default BPR parameters for links that give a capacity but no
/// volume–delay parameters (the classic Bureau of Public Roads values).
pub const DEFAULT_BPR_ALPHA: f64 = 0.15;
pub const DEFAULT_BPR_BETA: f64 = 4.0;

/// How to weigh cost terms and when to stop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AssignOptions {
    pub method: Method,
    /// Target relative gap.
    pub gap: f64,
    pub max_iter: usize,
    /// Worker threads for the all-or-nothing loads; `None` = rayon's default.
    pub threads: Option<usize>,
    /// Generalised cost = time + toll_factor × toll + distance_factor × length.
    pub toll_factor: f64,
    pub distance_factor: f64,
}

impl Default for AssignOptions {
    fn default() -> Self {
        Self {
            method: Method::BiconjugateFrankWolfe,
            gap: 1e-5,
            max_iter: 1000,
            threads: None,
            toll_factor: 0.0,
            distance_factor: 0.0,
        }
    }
}

/// A network lowered for assignment.
#[derive(Clone, Debug)]
pub struct RoadGraph {
    pub csr: Csr,
    pub vdf: Bpr,
    /// The link each CSR arc comes from.
    pub arc_link: Vec<LinkId>,
    /// CSR arc of each link's forward direction (`None` for closed links).
    pub link_arc: Vec<Option<u32>>,
    /// Vertex where trips from a node start.
    pub origin_vertex: Vec<u32>,
    /// Vertex where trips to a node end (differs for `no_through` zones).
    pub destination_vertex: Vec<u32>,
}

/// Lowers `net` for assignment. Two-way links become two arcs with the same
/// parameters; closed links are left out.
pub fn lower_road(net: &Network, toll_factor: f64, distance_factor: f64) -> Result<RoadGraph> {
    let n = net.n_nodes();
    let origin_vertex: Vec<u32> = (0..n as u32).collect();
    let mut destination_vertex = origin_vertex.clone();
    let mut next = n as u32;
    for (i, node) in net.nodes.iter().enumerate() {
        if node.no_through {
            destination_vertex[i] = next;
            next += 1;
        }
    }
    let mut arcs = Vec::with_capacity(net.n_links());
    let mut params = Vec::with_capacity(net.n_links());
    let mut arc_link_in = Vec::with_capacity(net.n_links());
    let mut forward_input = vec![None; net.n_links()];
    for (i, l) in net.links.iter().enumerate() {
        if !l.open {
            continue;
        }
        let t0 = net.link_hours(l);
        let cap = l.capacity_t_per_day;
        let (alpha, beta) = match (l.bpr_alpha, l.bpr_beta, cap) {
            (Some(a), Some(b), _) => (a, b),
            (a, b, Some(_)) => (
                a.unwrap_or(DEFAULT_BPR_ALPHA),
                b.unwrap_or(DEFAULT_BPR_BETA),
            ),
            (_, _, None) => (0.0, 0.0),
        };
        let fixed = toll_factor * l.toll + distance_factor * l.length_km;
        let p = (t0, alpha, beta, cap.unwrap_or(0.0), fixed);
        let bad = |field: &str, why: &str| {
            Error::InvalidRequest(format!(
                "{}link \"{}\": {field}: {why}",
                l.source
                    .as_ref()
                    .map(|s| format!("{s}: "))
                    .unwrap_or_default(),
                l.source_id
            ))
        };
        if !(t0.is_finite() && t0 >= 0.0) {
            return Err(bad("time", "not a non-negative number of hours"));
        }
        if !(alpha >= 0.0 && beta >= 0.0 && alpha.is_finite() && beta.is_finite()) {
            return Err(bad("bpr", "alpha and beta must be non-negative numbers"));
        }
        if !(fixed.is_finite() && fixed >= 0.0) {
            return Err(bad(
                "toll",
                "weighted toll and distance must be non-negative",
            ));
        }
        if alpha > 0.0 && beta > 0.0 && t0 > 0.0 && !(p.3 > 0.0 && p.3.is_finite()) {
            return Err(bad(
                "capacity",
                "must be positive where time grows with flow",
            ));
        }
        let (from, to) = (l.from.index(), l.to.index());
        forward_input[i] = Some(arcs.len());
        arcs.push((origin_vertex[from], destination_vertex[to]));
        params.push(p);
        arc_link_in.push(LinkId::from_index(i));
        if !l.oneway {
            arcs.push((origin_vertex[to], destination_vertex[from]));
            params.push(p);
            arc_link_in.push(LinkId::from_index(i));
        }
    }
    let (csr, order) = Csr::from_arcs(next as usize, &arcs);
    let mut position = vec![0u32; order.len()];
    for (a, &input) in order.iter().enumerate() {
        position[input as usize] = a as u32;
    }
    let pick = |f: fn(&(f64, f64, f64, f64, f64)) -> f64| -> Vec<f64> {
        order.iter().map(|&i| f(&params[i as usize])).collect()
    };
    let vdf = Bpr {
        free_flow: pick(|p| p.0),
        alpha: pick(|p| p.1),
        beta: pick(|p| p.2),
        capacity: pick(|p| p.3),
        fixed: pick(|p| p.4),
    };
    let arc_link = order.iter().map(|&i| arc_link_in[i as usize]).collect();
    let link_arc = forward_input
        .iter()
        .map(|f| f.map(|i: usize| position[i]))
        .collect();
    Ok(RoadGraph {
        csr,
        vdf,
        arc_link,
        link_arc,
        origin_vertex,
        destination_vertex,
    })
}

impl RoadGraph {
    /// Vertex demand from `(origin, destination, amount)` node triples,
    /// grouped by origin in node order; intrazonal and non-positive entries
    /// are dropped.
    pub fn demand(&self, od: &[(NodeId, NodeId, f64)]) -> Demand {
        let mut by_origin: Vec<Vec<(u32, f64)>> = vec![Vec::new(); self.origin_vertex.len()];
        for &(o, d, f) in od {
            if o == d || f.is_nan() || f <= 0.0 {
                continue;
            }
            by_origin[o.index()].push((self.destination_vertex[d.index()], f));
        }
        Demand {
            origins: by_origin
                .into_iter()
                .enumerate()
                .filter(|(_, ds)| !ds.is_empty())
                .map(|(o, ds)| (self.origin_vertex[o], ds))
                .collect(),
        }
    }

    /// Per-link flow (both directions of a two-way link summed) and cost
    /// (of the forward arc) from arc values.
    pub fn link_values(
        &self,
        n_links: usize,
        arc_flow: &[f64],
        arc_cost: &[f64],
    ) -> (Vec<f64>, Vec<f64>) {
        let mut flow = vec![0.0; n_links];
        for (a, l) in self.arc_link.iter().enumerate() {
            flow[l.index()] += arc_flow[a];
        }
        let cost = self
            .link_arc
            .iter()
            .map(|a| a.map_or(f64::NAN, |a| arc_cost[a as usize]))
            .collect();
        (flow, cost)
    }
}

/// What an assignment produced, in model terms.
#[derive(Clone, Debug, PartialEq)]
pub struct AssignReport {
    pub method: Method,
    /// Flow per link, network order, in the network's flow unit.
    pub link_flow: Vec<f64>,
    /// Generalised cost per link at that flow (NaN for closed links).
    pub link_cost: Vec<f64>,
    pub iterations: usize,
    pub relative_gap: f64,
    /// Beckmann objective.
    pub objective: f64,
    pub converged: bool,
    /// Wall time including lowering, seconds.
    pub seconds: f64,
    pub history: Vec<IterationStat>,
    /// Demand whose destination cannot be reached (not assigned).
    pub unreachable_demand: f64,
}

/// Assigns `od` (origin node, destination node, amount) on `net`.
/// `on_iteration` sees every iteration as it ends (progress bars).
pub fn assign(
    net: &Network,
    od: &[(NodeId, NodeId, f64)],
    opts: &AssignOptions,
    on_iteration: &mut (dyn FnMut(&IterationStat) + Send),
) -> Result<AssignReport> {
    let start = Instant::now();
    for (name, v) in [
        ("toll factor", opts.toll_factor),
        ("distance factor", opts.distance_factor),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::InvalidRequest(format!(
                "{name} {v} must be a non-negative number"
            )));
        }
    }
    if opts.gap.is_nan() || opts.gap < 0.0 {
        return Err(Error::InvalidRequest(format!(
            "gap {} must be a non-negative number",
            opts.gap
        )));
    }
    let g = lower_road(net, opts.toll_factor, opts.distance_factor)?;
    let demand = g.demand(od);
    let cfg = AssignConfig {
        method: opts.method,
        gap: opts.gap,
        max_iter: opts.max_iter,
    };
    let elements = Elements::per_arc(g.vdf.clone());
    let class = Class::single(&elements, demand);
    let mut run = || {
        assignment::assign(
            &g.csr,
            &elements,
            std::slice::from_ref(&class),
            &cfg,
            on_iteration,
        )
    };
    let r = match opts.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
            .map_err(|e| Error::InvalidRequest(format!("cannot start {t} threads: {e}")))?
            .install(run),
        None => run(),
    }
    .map_err(|e| Error::InvalidRequest(e.to_string()))?;
    let (link_flow, link_cost) = g.link_values(net.n_links(), &r.flow[0], &r.cost[0]);
    Ok(AssignReport {
        method: opts.method,
        link_flow,
        link_cost,
        iterations: r.history.len(),
        relative_gap: r.relative_gap,
        objective: r.objective,
        converged: r.converged,
        seconds: start.elapsed().as_secs_f64(),
        history: r.history,
        unreachable_demand: r.unreachable_demand[0],
    })
}
