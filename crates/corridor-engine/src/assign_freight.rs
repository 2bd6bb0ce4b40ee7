//! Multi-class freight assignment: demand in tonnes per day per commodity
//! spread over a multimodal network whose links, terminals and border
//! crossings slow down as they fill, until no shipper of any commodity can
//! switch to a cheaper itinerary (user equilibrium per commodity).
//!
//! Each commodity is a class on the multimodal lowering of [`crate::lower`]
//! (a vertex per (node, layer), in/out vertices at borders and zones,
//! transfer arcs only at terminals): the topology is shared, and each class
//! weighs its arcs exactly as `route` does ([`ArcTable`]: the `--minimize`
//! objective, infinite weight where the commodity is banned or an element is
//! closed), so `route` and `assign` agree at zero load. Zones are added on
//! top: an origin vertex per origin node joined at zero cost to each layer a
//! shipment can start in there, and a destination vertex per destination
//! node, so the cheapest start and end layer is chosen per path.
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

use crate::cost::Objective;
use crate::lower::{ArcOrigin, Lowered, lower};
use crate::route::{ArcTable, Avoid};
use crate::{Error, Result};
use corridor_graph::Csr;
use corridor_graph::assignment::{
    AssignConfig, Assignment, Class, Demand, Elements, IterationStat, Method, NO_ELEMENT, assign,
};
use corridor_graph::vdf::Bpr;
use corridor_model::{BorderId, CommodityId, LinkId, Mode, Network, NodeId, TerminalId};
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

/// Where an arc of the freight graph comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreightArc {
    /// An arc of the routing lowering.
    Lowered(ArcOrigin),
    /// A zone's origin vertex to a vertex a shipment can start at.
    FromZone(NodeId),
    /// A vertex a shipment can end at to a zone's destination vertex.
    ToZone(NodeId),
}

/// A congestible element, in model terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FreightElement {
    /// One direction of a link (capacities are per direction).
    Link {
        link: LinkId,
        forward: bool,
    },
    Terminal(TerminalId),
    Border(BorderId),
}

/// The lowered multi-class problem, ready for
/// [`corridor_graph::assignment::assign`].
#[derive(Clone, Debug)]
pub struct FreightProblem {
    pub lowered: Lowered,
    /// The routing graph plus zone vertices and connectors.
    pub csr: Csr,
    /// Per CSR arc.
    pub arc_origin: Vec<FreightArc>,
    pub elements: Elements,
    /// Per element.
    pub element_origin: Vec<FreightElement>,
    /// One class per commodity with demand, in network order.
    pub commodities: Vec<CommodityId>,
    pub classes: Vec<Class>,
    /// Zone vertices, by node.
    pub origin_zone: BTreeMap<NodeId, u32>,
    pub destination_zone: BTreeMap<NodeId, u32>,
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

/// Lowers `net` and `demand` into a multi-class problem. Errors name the
/// element (file:line) whose capacity or times cannot be congested.
pub fn build(
    net: &Network,
    demand: &[FreightDemand],
    objective: Objective,
) -> Result<FreightProblem> {
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
    let lowered = lower(net);
    let n_low = lowered.n_vertices() as u32;
    let low_tails = lowered.csr.tails();

    // Elements.
    let mut element_origin: Vec<FreightElement> = Vec::new();
    let mut bpr = Bpr::default();
    let mut push_element = |o: FreightElement, t0: f64, alpha: f64, beta: f64, cap: f64| {
        element_origin.push(o);
        bpr.free_flow.push(t0);
        bpr.alpha.push(alpha);
        bpr.beta.push(beta);
        bpr.capacity.push(cap);
        bpr.fixed.push(0.0);
        (element_origin.len() - 1) as u32
    };
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
    let mut link_element: BTreeMap<(LinkId, bool), u32> = BTreeMap::new();
    for (i, l) in net.links.iter().enumerate() {
        let Some(cap) = l.capacity_t_per_day else {
            continue;
        };
        if !l.open {
            continue;
        }
        let what = || format!("{}link \"{}\"", located(&l.source), l.source_id);
        let t0 = net.link_hours(l);
        check_cap(&what, cap, t0)?;
        let alpha = l.bpr_alpha.unwrap_or(crate::assign::DEFAULT_BPR_ALPHA);
        let beta = l.bpr_beta.unwrap_or(crate::assign::DEFAULT_BPR_BETA);
        if !(alpha.is_finite() && alpha >= 0.0 && beta.is_finite() && beta >= 0.0) {
            return Err(bad(
                what(),
                "bpr",
                "alpha and beta must be non-negative numbers",
            ));
        }
        let link = LinkId::from_index(i);
        let directions: &[bool] = if l.oneway { &[true] } else { &[true, false] };
        for &forward in directions {
            let e = push_element(FreightElement::Link { link, forward }, t0, alpha, beta, cap);
            link_element.insert((link, forward), e);
        }
    }
    let mut terminal_element = vec![NO_ELEMENT; net.terminals.len()];
    for (i, t) in net.terminals.iter().enumerate() {
        let (Some(cap), true) = (t.capacity_t_per_day, t.open) else {
            continue;
        };
        let what = || format!("{}terminal \"{}\"", located(&t.source), t.source_id);
        check_cap(&what, cap, t.hours)?;
        terminal_element[i] = push_element(
            FreightElement::Terminal(TerminalId::from_index(i)),
            t.hours,
            ELEMENT_BPR_ALPHA,
            ELEMENT_BPR_BETA,
            cap,
        );
    }
    let mut border_element = vec![NO_ELEMENT; net.borders.len()];
    for (i, b) in net.borders.iter().enumerate() {
        let (Some(cap), true) = (b.capacity_t_per_day, b.open) else {
            continue;
        };
        let what = || format!("{}border \"{}\"", located(&b.source), b.source_id);
        let dwell = Mode::ALL
            .iter()
            .map(|&m| *b.dwell_hours.get(m))
            .fold(0.0, f64::max);
        check_cap(&what, cap, dwell)?;
        border_element[i] = push_element(
            FreightElement::Border(BorderId::from_index(i)),
            dwell,
            ELEMENT_BPR_ALPHA,
            ELEMENT_BPR_BETA,
            cap,
        );
    }

    // Zones and connectors on top of the routing graph.
    let mut origin_zone = BTreeMap::new();
    let mut destination_zone = BTreeMap::new();
    let mut next = n_low;
    for d in demand {
        origin_zone.entry(d.origin).or_insert_with(|| {
            next += 1;
            next - 1
        });
    }
    for d in demand {
        destination_zone.entry(d.destination).or_insert_with(|| {
            next += 1;
            next - 1
        });
    }
    let mut arcs: Vec<(u32, u32)> = (0..lowered.n_arcs())
        .map(|a| (low_tails[a], lowered.csr.head(a)))
        .collect();
    let mut origin: Vec<FreightArc> = lowered
        .arc_origin
        .iter()
        .map(|&o| FreightArc::Lowered(o))
        .collect();
    for (&node, &z) in &origin_zone {
        for v in lowered.source_vertices(node) {
            arcs.push((z, v));
            origin.push(FreightArc::FromZone(node));
        }
    }
    for (&node, &z) in &destination_zone {
        for v in lowered.target_vertices(node) {
            arcs.push((v, z));
            origin.push(FreightArc::ToZone(node));
        }
    }
    let (csr, order) = Csr::from_arcs(next as usize, &arcs);
    let arc_origin: Vec<FreightArc> = order.iter().map(|&i| origin[i as usize]).collect();
    let arc_element: Vec<u32> = arc_origin
        .iter()
        .map(|o| match *o {
            FreightArc::Lowered(ArcOrigin::Link { link, forward }) => link_element
                .get(&(link, forward))
                .copied()
                .unwrap_or(NO_ELEMENT),
            FreightArc::Lowered(ArcOrigin::Transfer { terminal, .. }) => {
                terminal_element[terminal.index()]
            }
            FreightArc::Lowered(ArcOrigin::Border { border, .. }) => border_element[border.index()],
            FreightArc::FromZone(_) | FreightArc::ToZone(_) => NO_ELEMENT,
        })
        .collect();

    // One class per commodity with demand.
    let mut commodities: Vec<CommodityId> = demand.iter().map(|d| d.commodity).collect();
    commodities.sort();
    commodities.dedup();
    let avoid = Avoid::default();
    let mut classes = Vec::with_capacity(commodities.len());
    for &cid in &commodities {
        let c = &net.commodities[cid.index()];
        let table = ArcTable::new(net, &lowered, c, &avoid);
        let weights = table.weights(objective, net, c);
        let factor_of = |m: Mode| *c.capacity_factor.get(m);
        let mut fixed = Vec::with_capacity(arc_origin.len());
        let mut factor = Vec::with_capacity(arc_origin.len());
        for (a, o) in arc_origin.iter().enumerate() {
            let input = order[a] as usize;
            match *o {
                FreightArc::Lowered(lo) => {
                    let w = weights[input];
                    if w.is_nan() || w < 0.0 {
                        return Err(Error::InvalidRequest(format!(
                            "an arc of {lo:?} has a negative or undefined {objective} for {}",
                            c.source_id
                        )));
                    }
                    fixed.push(w);
                    factor.push(match lo {
                        ArcOrigin::Link { link, .. } => factor_of(net.link(link).mode),
                        ArcOrigin::Border { layer, .. } => {
                            factor_of(lowered.layers[layer as usize].mode)
                        }
                        ArcOrigin::Transfer { from, to, .. } => {
                            factor_of(lowered.layers[from as usize].mode)
                                .max(factor_of(lowered.layers[to as usize].mode))
                        }
                    });
                }
                FreightArc::FromZone(_) | FreightArc::ToZone(_) => {
                    fixed.push(0.0);
                    factor.push(1.0);
                }
            }
        }
        let mut by_origin: BTreeMap<u32, BTreeMap<u32, f64>> = BTreeMap::new();
        for d in demand.iter().filter(|d| d.commodity == cid) {
            if d.origin == d.destination || d.tonnes <= 0.0 {
                continue;
            }
            *by_origin
                .entry(origin_zone[&d.origin])
                .or_default()
                .entry(destination_zone[&d.destination])
                .or_insert(0.0) += d.tonnes;
        }
        classes.push(Class {
            fixed,
            delay_weight: delay_weight(objective, c.value_of_time_per_t_h),
            factor,
            demand: Demand {
                origins: by_origin
                    .into_iter()
                    .map(|(o, ds)| (o, ds.into_iter().collect()))
                    .collect(),
            },
        });
    }
    Ok(FreightProblem {
        lowered,
        csr,
        arc_origin,
        elements: Elements { arc_element, bpr },
        element_origin,
        commodities,
        classes,
        origin_zone,
        destination_zone,
    })
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
    let cfg = AssignConfig {
        method: opts.method,
        gap: opts.gap,
        max_iter: opts.max_iter,
    };
    let mut run = || {
        assign(
            &problem.csr,
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

/// Maps an arc-level solution back to links, terminals and borders.
pub fn report(
    net: &Network,
    problem: &FreightProblem,
    r: &Assignment,
    opts: &FreightOptions,
    start: Instant,
) -> FreightReport {
    let k = problem.classes.len();
    let mut links = ElementFlows::new(net.links.len(), k);
    let mut terminals = ElementFlows::new(net.terminals.len(), k);
    let mut borders = ElementFlows::new(net.borders.len(), k);
    for (a, o) in problem.arc_origin.iter().enumerate() {
        let FreightArc::Lowered(lo) = *o else {
            continue;
        };
        let (target, i) = match lo {
            ArcOrigin::Link { link, .. } => (&mut links, link.index()),
            ArcOrigin::Transfer { terminal, .. } => (&mut terminals, terminal.index()),
            ArcOrigin::Border { border, .. } => (&mut borders, border.index()),
        };
        for (ci, x) in r.flow.iter().enumerate() {
            target.by_commodity[ci][i] += x[a];
            target.total[i] += x[a];
        }
    }
    // Loads of every element, with a capacity or not (a link per direction):
    // tonnes × factor, as the capacity elements count them.
    let mut link_dir_load = vec![[0.0f64; 2]; net.links.len()];
    for (a, o) in problem.arc_origin.iter().enumerate() {
        let FreightArc::Lowered(lo) = *o else {
            continue;
        };
        let v: f64 = problem
            .classes
            .iter()
            .zip(&r.flow)
            .map(|(c, x)| c.factor[a] * x[a])
            .sum();
        match lo {
            ArcOrigin::Link { link, forward } => {
                link_dir_load[link.index()][usize::from(!forward)] += v;
            }
            ArcOrigin::Transfer { terminal, .. } => terminals.load[terminal.index()] += v,
            ArcOrigin::Border { border, .. } => borders.load[border.index()] += v,
        }
    }
    for (i, d) in link_dir_load.iter().enumerate() {
        links.load[i] = d[0].max(d[1]);
    }
    // Uncongested hours, then loads and delays from the elements.
    for (i, l) in net.links.iter().enumerate() {
        links.capacity[i] = l.capacity_t_per_day;
        if l.open {
            links.hours[i] = net.link_hours(l);
        }
    }
    for (i, t) in net.terminals.iter().enumerate() {
        terminals.capacity[i] = t.capacity_t_per_day;
        if t.open {
            terminals.hours[i] = t.hours;
        }
    }
    for (i, b) in net.borders.iter().enumerate() {
        borders.capacity[i] = b.capacity_t_per_day;
        if b.open {
            borders.hours[i] = Mode::ALL
                .iter()
                .map(|&m| *b.dwell_hours.get(m))
                .fold(0.0, f64::max);
        }
    }
    // Delays of the capacity elements (a link's busier direction).
    let mut link_delay = vec![0.0f64; net.links.len()];
    for (e, o) in problem.element_origin.iter().enumerate() {
        let d = problem.elements.delay(e, r.load[e]);
        match *o {
            FreightElement::Link { link, .. } => {
                link_delay[link.index()] = link_delay[link.index()].max(d);
            }
            FreightElement::Terminal(t) => terminals.hours[t.index()] += d,
            FreightElement::Border(b) => borders.hours[b.index()] += d,
        }
    }
    for (i, d) in link_delay.iter().enumerate() {
        links.hours[i] += d;
    }
    for f in [&mut links, &mut terminals, &mut borders] {
        for i in 0..f.total.len() {
            if let Some(c) = f.capacity[i]
                && c > 0.0
            {
                f.utilisation[i] = f.load[i] / c;
            }
        }
    }
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
        links,
        terminals,
        borders,
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
