//! Traffic assignment on a road-like network (TNTP networks, or any network
//! whose links carry capacities and BPR parameters): lowers the network with
//! [`crate::lower()`] (closed links left out, one zone per node with demand)
//! and gives each link arc BPR cost parameters, turns node-to-node demand
//! into vertex demand, runs `corridor_graph::assignment` on a rayon pool of
//! the asked size and maps arc flows back to links in network order.
//!
//! Zones marked `no_through` are split by the lowering: trips start at the
//! vertex with the node's out-arcs and end at the one with its in-arcs, so
//! no path can pass through a zone and the graph algorithms need no special
//! case. A road network has one layer, so every zone is its own vertex: the
//! graph has exactly one vertex per node (plus one per no-through zone) and
//! one arc per open link direction. Intrazonal demand is dropped here.
//!
//! This module does not read files (demand arrives as node ids) and does
//! not do multi-class freight assignment on the multimodal lowering.

use crate::lower::{ArcOrigin, LowerConfig, Lowered, ZoneConfig, lower};
use crate::{Error, Result};
use corridor_graph::assignment::{
    self, SolverConfig, Class, Demand, Elements, IterationStat, Method,
};
use corridor_graph::vdf::Bpr;
use corridor_model::{Link, Network, NodeId};
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
    pub lowered: Lowered,
    /// Per arc (CSR order).
    pub vdf: Bpr,
}

/// Volume–delay parameters of one link; both directions of a two-way link
/// share them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct LinkVdf {
    free_flow: f64,
    alpha: f64,
    beta: f64,
    capacity: f64,
    /// Weighted toll and distance.
    fixed: f64,
}

impl LinkVdf {
    /// The parameters of an open link, or an error naming the link.
    fn of(net: &Network, l: &Link, toll_factor: f64, distance_factor: f64) -> Result<Self> {
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
        let p = LinkVdf {
            free_flow: t0,
            alpha,
            beta,
            capacity: cap.unwrap_or(0.0),
            fixed: toll_factor * l.toll + distance_factor * l.length_km,
        };
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
        if !(p.fixed.is_finite() && p.fixed >= 0.0) {
            return Err(bad(
                "toll",
                "weighted toll and distance must be non-negative",
            ));
        }
        if alpha > 0.0 && beta > 0.0 && t0 > 0.0 && !(p.capacity > 0.0 && p.capacity.is_finite()) {
            return Err(bad(
                "capacity",
                "must be positive where time grows with flow",
            ));
        }
        Ok(p)
    }
}

/// Whether an (origin, destination, amount) row is assigned at all.
fn assigned(&(o, d, f): &(NodeId, NodeId, f64)) -> bool {
    o != d && !f.is_nan() && f > 0.0
}

/// Lowers `net` for assigning `od`. Two-way links become two arcs with the
/// same parameters; closed links are left out.
pub fn lower_road(
    net: &Network,
    od: &[(NodeId, NodeId, f64)],
    toll_factor: f64,
    distance_factor: f64,
) -> Result<RoadGraph> {
    let mut link_vdf = vec![LinkVdf::default(); net.n_links()];
    for (p, l) in link_vdf.iter_mut().zip(&net.links) {
        if l.open {
            *p = LinkVdf::of(net, l, toll_factor, distance_factor)?;
        }
    }
    let rows = || od.iter().filter(|r| assigned(r));
    let zones = ZoneConfig {
        origins: rows().map(|r| r.0).collect(),
        destinations: rows().map(|r| r.1).collect(),
    };
    let lowered = lower(
        net,
        &LowerConfig {
            skip_closed_links: true,
            zones: Some(zones),
            ..LowerConfig::default()
        },
    );
    let n = lowered.n_arcs();
    let mut vdf = Bpr {
        free_flow: Vec::with_capacity(n),
        alpha: Vec::with_capacity(n),
        beta: Vec::with_capacity(n),
        capacity: Vec::with_capacity(n),
        fixed: Vec::with_capacity(n),
    };
    for o in &lowered.arc_origin {
        // Other arcs (border crossings, transfers, zone connectors) are free.
        let p = match *o {
            ArcOrigin::Link { link, .. } => link_vdf[link.index()],
            _ => LinkVdf::default(),
        };
        vdf.free_flow.push(p.free_flow);
        vdf.alpha.push(p.alpha);
        vdf.beta.push(p.beta);
        vdf.capacity.push(p.capacity);
        vdf.fixed.push(p.fixed);
    }
    Ok(RoadGraph { lowered, vdf })
}

impl RoadGraph {
    /// Vertex demand from `(origin, destination, amount)` node triples,
    /// grouped by origin in node order, destinations in row order;
    /// intrazonal and non-positive entries are dropped.
    pub fn demand(&self, od: &[(NodeId, NodeId, f64)]) -> Demand {
        let mut rows: Vec<&(NodeId, NodeId, f64)> = od.iter().filter(|r| assigned(r)).collect();
        rows.sort_by_key(|r| r.0);
        let mut origins: Vec<(u32, Vec<(u32, f64)>)> = Vec::new();
        let mut last = None;
        for &&(o, d, f) in &rows {
            let to = self.lowered.destination_vertex(d).expect("a zone per row");
            if last != Some(o) {
                let from = self.lowered.origin_vertex(o).expect("a zone per row");
                origins.push((from, Vec::new()));
                last = Some(o);
            }
            origins.last_mut().expect("pushed above").1.push((to, f));
        }
        Demand { origins }
    }

    /// Per-link flow (both directions of a two-way link summed) and cost
    /// (of the forward arc; NaN for closed links) from arc values.
    pub fn link_values(
        &self,
        n_links: usize,
        arc_flow: &[f64],
        arc_cost: &[f64],
    ) -> (Vec<f64>, Vec<f64>) {
        let mut flow = vec![0.0; n_links];
        let mut cost = vec![f64::NAN; n_links];
        for (a, o) in self.lowered.arc_origin.iter().enumerate() {
            if let ArcOrigin::Link { link, forward } = *o {
                flow[link.index()] += arc_flow[a];
                if forward {
                    cost[link.index()] = arc_cost[a];
                }
            }
        }
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
    let g = lower_road(net, od, opts.toll_factor, opts.distance_factor)?;
    let demand = g.demand(od);
    let cfg = SolverConfig {
        method: opts.method,
        gap: opts.gap,
        max_iter: opts.max_iter,
    };
    let elements = Elements::per_arc(g.vdf.clone());
    let class = Class::single(&elements, demand);
    let mut run = || {
        assignment::assign(
            &g.lowered.csr,
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
