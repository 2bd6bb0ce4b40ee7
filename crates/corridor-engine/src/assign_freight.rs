//! Multi-class freight assignment: demand in tonnes per day per commodity
//! spread over a multimodal network whose links, terminals and border
//! crossings slow down as they fill, until no shipper of any commodity can
//! switch to a cheaper itinerary (user equilibrium per commodity).
//!
//! Each commodity is a class on the multimodal lowering of [`crate::lower()`]
//! (a vertex per (node, layer), in/out vertices at borders and zones,
//! transfer arcs only at terminals): the topology is shared, and each class
//! weighs its arcs exactly as `route` does ([`ArcTable`]: the `--minimize`
//! objective, infinite weight where the commodity is banned or an element is
//! closed), so `route` and `assign` agree at zero load. The lowering adds
//! zones: where an origin or destination node has several layers, a zone
//! vertex joined at zero cost to each of them, so the cheapest start and
//! end layer is chosen per path.
//!
//! Congestion: every link direction, terminal and border crossing that has a
//! capacity is an element of [`corridor_graph::assignment`] with a BPR delay
//! `t0 · α · (V / capacity)^β` over its uncongested time `t0` (link hours,
//! terminal hours, the border's longest dwell), where `V` is its load in
//! capacity-equivalent t/day: `Σ tonnes × the commodity's capacity factor for
//! the mode` (a terminal uses the larger factor of the two layers it joins).
//! A commodity's cost grows by (value of time × delay) under `generalised`
//! and by the delay under `time`; `cost`, `distance` and `co2` do not depend
//! on flow, so their assignment is all-or-nothing. Node capacities are not
//! congestible here (see `capacity` for them).
//!
//! This module does not read files (demand arrives as model ids) and does
//! not do the single-class road assignment of TNTP networks
//! ([`crate::assign`]).

use crate::access::Avoid;
use crate::cost::Objective;
use crate::lower::{ArcOrigin, Element, LowerConfig, Lowered, ZoneConfig, lower};
use crate::route::ArcTable;
use crate::{Error, Result};
use corridor_graph::assignment::{
    SolverConfig, Assignment, Class, Demand, Elements, IterationStat, Method, NO_ELEMENT, assign,
};
use corridor_graph::vdf::Bpr;
use corridor_model::{CommodityId, Mode, Network, NodeId};
use std::collections::BTreeMap;
use std::time::Instant;

/// BPR parameters of terminals and border crossings (the model has no
/// per-element ones): the classic Bureau of Public Roads values, as links
/// without their own.
pub const ELEMENT_BPR_ALPHA: f64 = crate::assign::DEFAULT_BPR_ALPHA;
pub const ELEMENT_BPR_BETA: f64 = crate::assign::DEFAULT_BPR_BETA;

/// One row of freight demand.
#[derive(Clone, Debug, PartialEq)]
pub struct FreightDemand {
    pub origin: NodeId,
    pub destination: NodeId,
    pub commodity: CommodityId,
    /// Tonnes per day.
    pub tonnes: f64,
}

/// What to minimise and when to stop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FreightOptions {
    pub method: Method,
    pub gap: f64,
    pub max_iter: usize,
    /// Worker threads for the all-or-nothing loads; `None` = rayon's default.
    pub threads: Option<usize>,
    /// Each commodity's cost, as `route --minimize` defines it.
    pub objective: Objective,
}

impl Default for FreightOptions {
    fn default() -> Self {
        Self {
            method: Method::BiconjugateFrankWolfe,
            gap: 1e-5,
            max_iter: 1000,
            threads: None,
            objective: Objective::Generalised,
        }
    }
}

/// The lowered multi-class problem, ready for
/// [`corridor_graph::assignment::assign`].
#[derive(Clone, Debug)]
pub struct FreightProblem {
    /// The multimodal lowering with the demand's zones and the
    /// capacity-element table.
    pub lowered: Lowered,
    /// The congestible elements (a capacity and open) and each arc's.
    pub elements: Elements,
    /// Per congestible element: its row in `lowered.elements`.
    pub element_row: Vec<u32>,
    /// One class per commodity with demand, in network order.
    pub commodities: Vec<CommodityId>,
    pub classes: Vec<Class>,
}

fn located(source: &Option<corridor_model::SourceRef>) -> String {
    source
        .as_ref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default()
}

/// The weight of delay in a commodity's cost under `objective`.
fn delay_weight(objective: Objective, value_of_time: f64) -> f64 {
    match objective {
        Objective::Time => 1.0,
        Objective::Generalised => value_of_time,
        Objective::Cost | Objective::Distance | Objective::Co2 => 0.0,
    }
}

/// A border's uncongested time: its longest dwell over the modes.
fn border_hours(b: &corridor_model::Border) -> f64 {
    Mode::ALL
        .iter()
        .map(|&m| *b.dwell_hours.get(m))
        .fold(0.0, f64::max)
}

/// Lowers `net` and `demand` into a multi-class problem. Errors name the
/// element (file:line) whose capacity or times cannot be congested.
pub fn build(
    net: &Network,
    demand: &[FreightDemand],
    objective: Objective,
) -> Result<FreightProblem> {
    check_demand(net, demand)?;
    let zones = ZoneConfig {
        origins: demand.iter().map(|d| d.origin).collect(),
        destinations: demand.iter().map(|d| d.destination).collect(),
    };
    let lowered = lower(
        net,
        &LowerConfig {
            elements: true,
            zones: Some(zones),
            ..LowerConfig::default()
        },
    );
    let (elements, element_row) = congestible(net, &lowered)?;
    let mut commodities: Vec<CommodityId> = demand.iter().map(|d| d.commodity).collect();
    commodities.sort();
    commodities.dedup();
    let classes = commodities
        .iter()
        .map(|&cid| class(net, &lowered, demand, cid, objective))
        .collect::<Result<Vec<Class>>>()?;
    Ok(FreightProblem {
        lowered,
        elements,
        element_row,
        commodities,
        classes,
    })
}

fn check_demand(net: &Network, demand: &[FreightDemand]) -> Result<()> {
    for d in demand {
        if !(d.tonnes.is_finite() && d.tonnes >= 0.0) {
            return Err(Error::InvalidRequest(format!(
                "demand of {} from \"{}\" to \"{}\": {} t/day is not a non-negative number",
                net.commodities
                    .get(d.commodity.index())
                    .map_or("?", |c| c.source_id.as_str()),
                net.node(d.origin).source_id,
                net.node(d.destination).source_id,
                d.tonnes
            )));
        }
        if d.commodity.index() >= net.commodities.len() {
            return Err(Error::InvalidRequest("commodity index out of range".into()));
        }
    }
    Ok(())
}

/// The congestible rows of the element table (a link direction, terminal
/// or border that is open and has a capacity; node capacities are not
/// congestible here) with their BPR parameters, each arc's, and each one's
/// row.
fn congestible(net: &Network, lowered: &Lowered) -> Result<(Elements, Vec<u32>)> {
    let table = &lowered.elements;
    let mut element_row: Vec<u32> = Vec::new();
    let mut bpr = Bpr::default();
    let mut row_element = vec![NO_ELEMENT; table.len()];
    for (row, &e) in table.element.iter().enumerate() {
        let Some(p) = congestion(net, e)? else {
            continue;
        };
        row_element[row] = element_row.len() as u32;
        element_row.push(row as u32);
        bpr.free_flow.push(p.0);
        bpr.alpha.push(p.1);
        bpr.beta.push(p.2);
        bpr.capacity.push(p.3);
        bpr.fixed.push(0.0);
    }
    let arc_element = (0..lowered.n_arcs())
        .map(|a| {
            table
                .of_arc(a)
                .iter()
                .map(|&r| row_element[r as usize])
                .find(|&e| e != NO_ELEMENT)
                .unwrap_or(NO_ELEMENT)
        })
        .collect();
    Ok((Elements { arc_element, bpr }, element_row))
}

/// (uncongested hours, BPR alpha, BPR beta, capacity) of a congestible
/// element, `None` for the others. Checked once per element (a link on its
/// forward row).
fn congestion(net: &Network, e: Element) -> Result<Option<(f64, f64, f64, f64)>> {
    let bad = |what: String, field: &str, why: &str| {
        Error::InvalidRequest(format!("{what}: {field}: {why}"))
    };
    let check_cap = |what: &dyn Fn() -> String, cap: f64, t0: f64| -> Result<()> {
        if !(t0.is_finite() && t0 >= 0.0) {
            return Err(bad(what(), "time", "not a non-negative number of hours"));
        }
        if !(cap.is_finite() && cap > 0.0) {
            return Err(bad(
                what(),
                "capacity",
                "must be a positive number of t/day for assignment (close the element instead of giving it no capacity)",
            ));
        }
        Ok(())
    };
    Ok(match e {
        Element::Link { link, forward } => {
            let l = net.link(link);
            let (Some(cap), true) = (l.capacity_t_per_day, l.open) else {
                return Ok(None);
            };
            let what = || format!("{}link \"{}\"", located(&l.source), l.source_id);
            let t0 = net.link_hours(l);
            let alpha = l.bpr_alpha.unwrap_or(crate::assign::DEFAULT_BPR_ALPHA);
            let beta = l.bpr_beta.unwrap_or(crate::assign::DEFAULT_BPR_BETA);
            if forward {
                check_cap(&what, cap, t0)?;
                if !(alpha.is_finite() && alpha >= 0.0 && beta.is_finite() && beta >= 0.0) {
                    return Err(bad(
                        what(),
                        "bpr",
                        "alpha and beta must be non-negative numbers",
                    ));
                }
            }
            Some((t0, alpha, beta, cap))
        }
        Element::Terminal(t) => {
            let t = &net.terminals[t.index()];
            let (Some(cap), true) = (t.capacity_t_per_day, t.open) else {
                return Ok(None);
            };
            let what = || format!("{}terminal \"{}\"", located(&t.source), t.source_id);
            check_cap(&what, cap, t.hours)?;
            Some((t.hours, ELEMENT_BPR_ALPHA, ELEMENT_BPR_BETA, cap))
        }
        Element::Border(b) => {
            let b = &net.borders[b.index()];
            let (Some(cap), true) = (b.capacity_t_per_day, b.open) else {
                return Ok(None);
            };
            let what = || format!("{}border \"{}\"", located(&b.source), b.source_id);
            let dwell = border_hours(b);
            check_cap(&what, cap, dwell)?;
            Some((dwell, ELEMENT_BPR_ALPHA, ELEMENT_BPR_BETA, cap))
        }
        Element::Node(_) | Element::Supply(_) | Element::Absorption(_) => None,
    })
}

/// One commodity's class: `route`'s weights, capacity factors per arc, and
/// its demand between zone vertices (origins and destinations in node
/// order, rows of one pair summed).
fn class(
    net: &Network,
    lowered: &Lowered,
    demand: &[FreightDemand],
    cid: CommodityId,
    objective: Objective,
) -> Result<Class> {
    let c = &net.commodities[cid.index()];
    let weights = ArcTable::new(net, lowered, c, &Avoid::default()).weights(objective, net, c);
    let factor_of = |m: Mode| *c.capacity_factor.get(m);
    let mut fixed = Vec::with_capacity(lowered.n_arcs());
    let mut factor = Vec::with_capacity(lowered.n_arcs());
    for (&o, &w) in lowered.arc_origin.iter().zip(&weights) {
        let phi = match o {
            ArcOrigin::Link { link, .. } => factor_of(net.link(link).mode),
            ArcOrigin::Border { layer, .. } => factor_of(lowered.layer(layer).mode),
            ArcOrigin::Transfer { from, to, .. } => {
                factor_of(lowered.layer(from).mode).max(factor_of(lowered.layer(to).mode))
            }
            // Zone connectors: free, and no element to load.
            _ => {
                fixed.push(0.0);
                factor.push(1.0);
                continue;
            }
        };
        if w.is_nan() || w < 0.0 {
            return Err(Error::InvalidRequest(format!(
                "an arc of {o:?} has a negative or undefined {objective} for {}",
                c.source_id
            )));
        }
        fixed.push(w);
        factor.push(phi);
    }
    Ok(Class {
        fixed,
        delay_weight: delay_weight(objective, c.value_of_time_per_t_h),
        factor,
        demand: class_demand(lowered, demand, cid),
    })
}

/// A commodity's demand between zone vertices, rows of one pair summed.
/// Origins come in the order they first appear in `demand` (any
/// commodity), and so do the destinations of each: the order the loads are
/// summed in, kept as it has always been so results stay bit for bit.
fn class_demand(lowered: &Lowered, demand: &[FreightDemand], cid: CommodityId) -> Demand {
    let mut rank: [BTreeMap<NodeId, usize>; 2] = Default::default();
    for d in demand {
        for (r, node) in rank.iter_mut().zip([d.origin, d.destination]) {
            let next = r.len();
            r.entry(node).or_insert(next);
        }
    }
    let mut by_origin: BTreeMap<usize, BTreeMap<usize, (NodeId, NodeId, f64)>> = BTreeMap::new();
    for d in demand.iter().filter(|d| d.commodity == cid) {
        if d.origin == d.destination || d.tonnes <= 0.0 {
            continue;
        }
        by_origin
            .entry(rank[0][&d.origin])
            .or_default()
            .entry(rank[1][&d.destination])
            .or_insert((d.origin, d.destination, 0.0))
            .2 += d.tonnes;
    }
    let zone = |v: Option<u32>| v.expect("every demand node has a zone");
    let origins = by_origin
        .into_values()
        .map(|ds| {
            let origin = ds.values().next().expect("at least one destination").0;
            let ds = ds
                .into_values()
                .map(|(_, d, t)| (zone(lowered.destination_vertex(d)), t))
                .collect();
            (zone(lowered.origin_vertex(origin)), ds)
        })
        .collect();
    Demand { origins }
}

/// Solves a built problem on a rayon pool of `opts.threads` threads.
pub fn solve(
    problem: &FreightProblem,
    opts: &FreightOptions,
    on_iteration: &mut (dyn FnMut(&IterationStat) + Send),
) -> Result<Assignment> {
    if opts.method == Method::AlgorithmB {
        return Err(Error::InvalidRequest(
            "Algorithm B (algb) is single-class; for freight networks use aon, fw, cfw or bfw"
                .into(),
        ));
    }
    if opts.gap.is_nan() || opts.gap < 0.0 {
        return Err(Error::InvalidRequest(format!(
            "gap {} must be a non-negative number",
            opts.gap
        )));
    }
    let cfg = SolverConfig {
        method: opts.method,
        gap: opts.gap,
        max_iter: opts.max_iter,
    };
    let mut run = || {
        assign(
            &problem.lowered.csr,
            &problem.elements,
            &problem.classes,
            &cfg,
            on_iteration,
        )
    };
    match opts.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
            .map_err(|e| Error::InvalidRequest(format!("cannot start {t} threads: {e}")))?
            .install(run),
        None => run(),
    }
    .map_err(|e| Error::InvalidRequest(e.to_string()))
}

/// Flows through one kind of element (links, terminals or borders), in
/// network order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ElementFlows {
    /// `by_commodity[k][i]`: t/day of class `k` (both directions of a link).
    pub by_commodity: Vec<Vec<f64>>,
    /// Per element: t/day of all commodities.
    pub total: Vec<f64>,
    /// Per element: capacity-equivalent t/day (a link's busier direction),
    /// also where there is no capacity.
    pub load: Vec<f64>,
    pub capacity: Vec<Option<f64>>,
    /// Per element: load / capacity (NaN without a capacity).
    pub utilisation: Vec<f64>,
    /// Per element: hours to pass at the equilibrium load (a link's busier
    /// direction; a border's longest dwell); NaN when closed.
    pub hours: Vec<f64>,
}

impl ElementFlows {
    fn new(n: usize, k: usize) -> Self {
        Self {
            by_commodity: vec![vec![0.0; n]; k],
            total: vec![0.0; n],
            load: vec![0.0; n],
            capacity: vec![None; n],
            utilisation: vec![f64::NAN; n],
            hours: vec![f64::NAN; n],
        }
    }
}

/// Per commodity: what it shipped and paid.
#[derive(Clone, Debug, PartialEq)]
pub struct CommodityResult {
    pub commodity: CommodityId,
    /// t/day of demand (intrazonal rows excluded).
    pub tonnes: f64,
    /// t/day with no itinerary (not assigned).
    pub unreachable: f64,
    /// Σ flow × cost in the objective's unit per day.
    pub total_cost: f64,
    pub relative_gap: f64,
    /// Delay weight (value of time, 1 for `time`, 0 when flow-independent).
    pub delay_weight: f64,
}

/// What a freight assignment produced, in model terms.
#[derive(Clone, Debug, PartialEq)]
pub struct FreightReport {
    pub method: Method,
    pub objective: Objective,
    pub commodities: Vec<CommodityResult>,
    pub links: ElementFlows,
    pub terminals: ElementFlows,
    pub borders: ElementFlows,
    pub iterations: usize,
    pub relative_gap: f64,
    /// The (VOT-normalised) Beckmann objective of
    /// [`corridor_graph::assignment`], in hours-equivalent per day.
    pub beckmann: f64,
    pub converged: bool,
    /// True when the factors are separable and the equilibrium is the
    /// minimum of `beckmann` (see `docs/assignment.md`).
    pub symmetric: bool,
    pub seconds: f64,
    pub history: Vec<IterationStat>,
}

/// Flows of links, terminals and borders, in network order.
struct Flows {
    links: ElementFlows,
    terminals: ElementFlows,
    borders: ElementFlows,
}

impl Flows {
    fn new(net: &Network, k: usize) -> Self {
        Self {
            links: ElementFlows::new(net.links.len(), k),
            terminals: ElementFlows::new(net.terminals.len(), k),
            borders: ElementFlows::new(net.borders.len(), k),
        }
    }

    /// The flows of a network arc's element and its index there.
    fn of(&mut self, o: ArcOrigin) -> Option<(&mut ElementFlows, usize)> {
        match o {
            ArcOrigin::Link { link, .. } => Some((&mut self.links, link.index())),
            ArcOrigin::Transfer { terminal, .. } => Some((&mut self.terminals, terminal.index())),
            ArcOrigin::Border { border, .. } => Some((&mut self.borders, border.index())),
            _ => None,
        }
    }

    /// Tonnes per commodity and in total, and loads of every element with a
    /// capacity or not (a link per direction, then its busier one): tonnes ×
    /// factor, as the capacity elements count them.
    fn add_arc_flows(&mut self, net: &Network, problem: &FreightProblem, r: &Assignment) {
        let mut link_dir_load = vec![[0.0f64; 2]; net.links.len()];
        for (a, &o) in problem.lowered.arc_origin.iter().enumerate() {
            let Some((target, i)) = self.of(o) else {
                continue;
            };
            for (ci, x) in r.flow.iter().enumerate() {
                target.by_commodity[ci][i] += x[a];
                target.total[i] += x[a];
            }
        }
        for (a, &o) in problem.lowered.arc_origin.iter().enumerate() {
            let v: f64 = problem
                .classes
                .iter()
                .zip(&r.flow)
                .map(|(c, x)| c.factor[a] * x[a])
                .sum();
            match o {
                ArcOrigin::Link { link, forward } => {
                    link_dir_load[link.index()][usize::from(!forward)] += v;
                }
                ArcOrigin::Transfer { terminal, .. } => self.terminals.load[terminal.index()] += v,
                ArcOrigin::Border { border, .. } => self.borders.load[border.index()] += v,
                _ => {}
            }
        }
        for (i, d) in link_dir_load.iter().enumerate() {
            self.links.load[i] = d[0].max(d[1]);
        }
    }

    /// Capacities and hours to pass: uncongested, plus the delays of the
    /// capacity elements (a link's busier direction), then utilisation.
    fn add_hours(&mut self, net: &Network, problem: &FreightProblem, r: &Assignment) {
        for (i, l) in net.links.iter().enumerate() {
            self.links.capacity[i] = l.capacity_t_per_day;
            if l.open {
                self.links.hours[i] = net.link_hours(l);
            }
        }
        for (i, t) in net.terminals.iter().enumerate() {
            self.terminals.capacity[i] = t.capacity_t_per_day;
            if t.open {
                self.terminals.hours[i] = t.hours;
            }
        }
        for (i, b) in net.borders.iter().enumerate() {
            self.borders.capacity[i] = b.capacity_t_per_day;
            if b.open {
                self.borders.hours[i] = border_hours(b);
            }
        }
        let mut link_delay = vec![0.0f64; net.links.len()];
        for (e, &row) in problem.element_row.iter().enumerate() {
            let d = problem.elements.delay(e, r.load[e]);
            match problem.lowered.elements.element[row as usize] {
                Element::Link { link, .. } => {
                    link_delay[link.index()] = link_delay[link.index()].max(d);
                }
                Element::Terminal(t) => self.terminals.hours[t.index()] += d,
                Element::Border(b) => self.borders.hours[b.index()] += d,
                Element::Node(_) | Element::Supply(_) | Element::Absorption(_) => {}
            }
        }
        for (i, d) in link_delay.iter().enumerate() {
            self.links.hours[i] += d;
        }
        for f in [&mut self.links, &mut self.terminals, &mut self.borders] {
            for i in 0..f.total.len() {
                if let Some(c) = f.capacity[i]
                    && c > 0.0
                {
                    f.utilisation[i] = f.load[i] / c;
                }
            }
        }
    }
}

/// Maps an arc-level solution back to links, terminals and borders.
pub fn report(
    net: &Network,
    problem: &FreightProblem,
    r: &Assignment,
    opts: &FreightOptions,
    start: Instant,
) -> FreightReport {
    let mut flows = Flows::new(net, problem.classes.len());
    flows.add_arc_flows(net, problem, r);
    flows.add_hours(net, problem, r);
    let commodities = problem
        .commodities
        .iter()
        .enumerate()
        .map(|(ci, &cid)| {
            let c = &problem.classes[ci];
            CommodityResult {
                commodity: cid,
                tonnes: c.demand.total(),
                unreachable: r.unreachable_demand[ci],
                total_cost: r.flow[ci]
                    .iter()
                    .zip(&r.cost[ci])
                    .filter(|(x, _)| **x != 0.0)
                    .map(|(x, c)| x * c)
                    .sum(),
                relative_gap: r.class_gap[ci],
                delay_weight: c.delay_weight,
            }
        })
        .collect();
    FreightReport {
        method: opts.method,
        objective: opts.objective,
        commodities,
        links: flows.links,
        terminals: flows.terminals,
        borders: flows.borders,
        iterations: r.history.len(),
        relative_gap: r.relative_gap,
        beckmann: r.objective,
        converged: r.converged,
        symmetric: r.symmetry.symmetric,
        seconds: start.elapsed().as_secs_f64(),
        history: r.history.clone(),
    }
}

/// Assigns freight demand on `net`: [`build`], [`solve`], [`report`].
pub fn assign_freight(
    net: &Network,
    demand: &[FreightDemand],
    opts: &FreightOptions,
    on_iteration: &mut (dyn FnMut(&IterationStat) + Send),
) -> Result<FreightReport> {
    let start = Instant::now();
    let problem = build(net, demand, opts.objective)?;
    let r = solve(&problem, opts, on_iteration)?;
    Ok(report(net, &problem, &r, opts, start))
}
