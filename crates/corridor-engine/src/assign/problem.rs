//! One assignment problem from a network and its demand, whatever the
//! network: [`build`] lowers it with [`crate::lower()`] (one zone per
//! origin and destination node), makes the congestible elements and one
//! class per group of demand, and hands the lot to
//! [`corridor_graph::assignment`]. The [`CostTerms`] say what each step
//! takes:
//!
//! - **Road** (veh/h): the lowering leaves closed links out (volume–delay
//!   costs must be finite); every arc is its own element, a link direction
//!   with the link's BPR (free-flow time = the link's hours; toll and
//!   length weighted into the BPR's constant), any other arc one that never
//!   congests. All demand is one class paying each element's whole BPR
//!   cost ([`Class::single`]), which the solver recognises and runs on the
//!   BPR arrays themselves (the fast path, and Algorithm B).
//! - **Freight** (t/day): one class per commodity with demand, weighing
//!   its arcs exactly as `route` does ([`ArcTable`]: the `--minimize`
//!   objective, infinite where the commodity is banned or an element is
//!   closed), so `route` and `assign` agree at zero load. Elements are the
//!   rows of the lowering's capacity-element table that are open and have a
//!   capacity (link directions, terminals, borders; node capacities are not
//!   congestible, see `capacity` for them) with a BPR delay
//!   `t0 · α · (V / capacity)^β` over the uncongested time `t0` (link hours,
//!   terminal hours, the border's longest dwell); `V` counts each
//!   commodity's tonnes times its capacity factor for the mode (a transfer:
//!   the larger factor of its two layers). Delay costs a commodity its value
//!   of time under `generalised`, 1 under `time`, nothing under `distance`
//!   and `co2` (whose assignment is therefore all-or-nothing); under `cost`
//!   and `generalised` every commodity also pays, on each arc, the
//!   `waiting_cost` of the vehicle that waits in the queue (the arc's mode:
//!   a link's, a border crossing's layer's, a transfer's arriving layer's;
//!   the solver's per-arc weight `ω_a`, see [`arc_waiting_costs`]), so under
//!   `cost` a network with waiting costs congests too.
//!   On sea lanes a commodity's rows are split by vessel class: each row
//!   takes the class whose zero-load path is best for its pair (`route`'s
//!   choice; or the class forced), and each (commodity, class) with demand
//!   is a class of the solver, its sea lanes priced by that vessel.
//!
//! Demand arrives as model rows (nodes and commodity ids); intrazonal and
//! empty rows are not assigned. This file does not solve (`mod.rs`) nor map
//! the solution back (`report.rs`).

use super::config::CostTerms;
use crate::access::Avoid;
use crate::cost::Objective;
use crate::lower::{ArcOrigin, Element, LowerConfig, Lowered, ZoneConfig, lower};
use crate::route::{ArcTable, vessel_classes};
use crate::{Error, Result};
use corridor_graph::assignment::{Class, Demand, Elements, NO_ELEMENT};
use corridor_graph::vdf::Bpr;
use corridor_graph::{ShortestPath, VertexIdx};
use corridor_model::demand::DemandRow;
use corridor_model::{CommodityId, Link, Mode, Network, SourceRef};

/// Default BPR parameters for links that give a capacity but no
/// volume–delay parameters (the classic Bureau of Public Roads values).
pub const DEFAULT_BPR_ALPHA: f64 = 0.15;
pub const DEFAULT_BPR_BETA: f64 = 4.0;
/// BPR parameters of terminals and border crossings (the model has no
/// per-element ones): the same classic values.
pub const ELEMENT_BPR_ALPHA: f64 = DEFAULT_BPR_ALPHA;
pub const ELEMENT_BPR_BETA: f64 = DEFAULT_BPR_BETA;

/// What the congestible elements stand for in the model.
#[derive(Clone, Debug, PartialEq)]
pub enum ElementLayout {
    /// Element `a` is arc `a` (see the module doc: road terms).
    PerArc,
    /// Element `e` is row `rows[e]` of the lowering's element table.
    Rows(Vec<u32>),
}

/// A network and its demand lowered for
/// [`corridor_graph::assignment::assign`].
#[derive(Clone, Debug)]
pub struct Problem {
    pub terms: CostTerms,
    /// The lowering with the demand's zones (and, for freight, the
    /// capacity-element table).
    pub lowered: Lowered,
    pub elements: Elements,
    pub layout: ElementLayout,
    /// Per class: its commodity; `None` for the one class of all demand
    /// under road terms. Freight classes come in network order (a
    /// commodity once per vessel class that carries some of it).
    pub commodities: Vec<Option<CommodityId>>,
    /// Per class: the vessel class sailing its sea legs (sea lanes only).
    pub vessels: Vec<Option<&'static str>>,
    pub classes: Vec<Class>,
}

impl Problem {
    /// The model element that element `e` stands for; `None` for an arc
    /// that is no link, transfer or border crossing (it never congests).
    pub fn element(&self, e: usize) -> Option<Element> {
        match &self.layout {
            ElementLayout::Rows(rows) => Some(self.lowered.elements.element[rows[e] as usize]),
            ElementLayout::PerArc => match self.lowered.arc_origin[e] {
                ArcOrigin::Link { link, forward } => Some(Element::Link { link, forward }),
                ArcOrigin::Transfer { terminal, .. } => Some(Element::Terminal(terminal)),
                ArcOrigin::Border { border, .. } => Some(Element::Border(border)),
                _ => None,
            },
        }
    }
}

/// Lowers `net` and `demand` into one problem under `terms`. Errors name
/// the demand row, or the element (file:line) whose capacity or times
/// cannot be congested.
pub fn build(net: &Network, demand: &[DemandRow], terms: CostTerms) -> Result<Problem> {
    let row_commodity = row_commodities(net, demand, terms)?;
    check_amounts(net, demand, &row_commodity)?;
    let lowered = lower(net, &lower_config(demand, terms));
    let (elements, layout) = match terms {
        CostTerms::Road {
            toll_factor,
            distance_factor,
        } => (
            road_elements(net, &lowered, toll_factor, distance_factor)?,
            ElementLayout::PerArc,
        ),
        CostTerms::Freight { minimize, .. } => {
            let (mut elements, layout) = freight_elements(net, &lowered)?;
            elements.arc_delay_weight = arc_waiting_costs(net, &lowered, minimize);
            (elements, layout)
        }
    };
    let commodities = match terms {
        CostTerms::Road { .. } => vec![None],
        CostTerms::Freight { .. } => {
            let mut c = row_commodity.clone();
            c.sort();
            c.dedup();
            c
        }
    };
    let order = TripOrder::new(net, demand, terms);
    let mut classes = Vec::new();
    for &c in &commodities {
        let in_class = |r: usize| row_commodity[r] == c;
        match terms {
            CostTerms::Road { .. } => {
                let trips = class_demand(&lowered, demand, in_class, &order);
                classes.push((c, None, Class::single(&elements, trips)));
            }
            CostTerms::Freight { minimize, vessel } => {
                let cid = c.expect("freight rows carry a commodity");
                let rows = Rows {
                    demand,
                    in_class: &in_class,
                    order: &order,
                };
                for (v, class) in by_vessel(net, &lowered, cid, minimize, vessel, &rows)? {
                    classes.push((c, v, class));
                }
            }
        }
    }
    let commodities = classes.iter().map(|c| c.0).collect();
    let vessels = classes.iter().map(|c| c.1).collect();
    let classes = classes.into_iter().map(|c| c.2).collect();
    Ok(Problem {
        terms,
        lowered,
        elements,
        layout,
        commodities,
        vessels,
        classes,
    })
}

/// One commodity's demand rows and the order its trips reach the solver.
struct Rows<'a> {
    demand: &'a [DemandRow],
    in_class: &'a (dyn Fn(usize) -> bool + Sync),
    order: &'a TripOrder,
}

/// A commodity's solver classes: one without sea lanes; with them one per
/// vessel class that carries some of its rows, each row going to the class
/// of least zero-load cost for its pair (the first on ties, as `route`
/// keeps the first of equal itineraries), or all to the forced class if
/// the commodity may use it.
fn by_vessel(
    net: &Network,
    lowered: &Lowered,
    cid: CommodityId,
    objective: Objective,
    forced: Option<&'static corridor_model::VesselClass>,
    rows: &Rows,
) -> Result<Vec<(Option<&'static str>, Class)>> {
    let c = &net.commodities[cid.index()];
    // A forced class binds the commodities it may carry; the others (boxes
    // when Capesizes are forced) keep their own choice.
    let forced = forced.filter(|v| corridor_model::vessels_for(c).contains(v));
    let vessels = vessel_classes(lowered, c, forced)?;
    let mut table = ArcTable::new(net, lowered, c, &Avoid::default());
    let trips = |pick: &dyn Fn(usize) -> bool| {
        class_demand(
            lowered,
            rows.demand,
            |r| (rows.in_class)(r) && pick(r),
            rows.order,
        )
    };
    if vessels.is_empty() {
        let w = table.weights(objective, net, c);
        return Ok(vec![(
            None,
            commodity_class(net, lowered, cid, objective, &w, trips(&|_| true))?,
        )]);
    }
    let base = table.vessel_base(lowered);
    let weights: Vec<Vec<f64>> = vessels
        .iter()
        .map(|v| {
            table.set_vessel(net, lowered, &base, v);
            table.weights(objective, net, c)
        })
        .collect();
    let choice = cheapest_vessel(lowered, rows, &weights);
    let mut out = Vec::new();
    for (k, v) in vessels.iter().enumerate() {
        let class = commodity_class(
            net,
            lowered,
            cid,
            objective,
            &weights[k],
            trips(&|r| choice[r] == k),
        )?;
        if !class.demand.origins.is_empty() {
            out.push((Some(v.id), class));
        }
    }
    if out.is_empty() {
        // Nothing to assign (intrazonal rows only): one empty class, as
        // without sea lanes.
        let class = commodity_class(net, lowered, cid, objective, &weights[0], trips(&|_| true))?;
        out.push((Some(vessels[0].id), class));
    }
    Ok(out)
}

/// Per demand row, the index of the vessel class whose weights give its
/// pair the least zero-load cost (0 where none reaches it): one search per
/// origin and class, origins in parallel.
fn cheapest_vessel(lowered: &Lowered, rows: &Rows, weights: &[Vec<f64>]) -> Vec<usize> {
    use rayon::prelude::*;
    let mut origins: Vec<_> = (0..rows.demand.len())
        .filter(|&r| (rows.in_class)(r) && assigned(&rows.demand[r]))
        .map(|r| rows.demand[r].origin)
        .collect();
    origins.sort();
    origins.dedup();
    let zone = |v: Option<VertexIdx>| v.expect("every demand node has a zone");
    let picks: Vec<Vec<(usize, usize)>> = origins
        .par_iter()
        .map_init(
            || ShortestPath::new(lowered.n_vertices()),
            |sp, &o| {
                let mine: Vec<usize> = (0..rows.demand.len())
                    .filter(|&r| {
                        (rows.in_class)(r)
                            && assigned(&rows.demand[r])
                            && rows.demand[r].origin == o
                    })
                    .collect();
                let targets: Vec<VertexIdx> = mine
                    .iter()
                    .map(|&r| zone(lowered.destination_vertex(rows.demand[r].destination)))
                    .collect();
                let mut best = vec![(f64::INFINITY, 0usize); mine.len()];
                for (k, w) in weights.iter().enumerate() {
                    let source = [(zone(lowered.origin_vertex(o)), 0.0)];
                    sp.run_to_all(&lowered.csr, w, &source, &targets);
                    for (b, &t) in best.iter_mut().zip(&targets) {
                        if sp.reached(t) && sp.dist(t) < b.0 {
                            *b = (sp.dist(t), k);
                        }
                    }
                }
                mine.into_iter().zip(best).map(|(r, b)| (r, b.1)).collect()
            },
        )
        .collect();
    let mut choice = vec![0; rows.demand.len()];
    for (r, k) in picks.into_iter().flatten() {
        choice[r] = k;
    }
    choice
}

fn located(source: &Option<SourceRef>) -> String {
    source
        .as_ref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default()
}

/// Each row's commodity under freight terms (an unknown one is an error
/// naming the row); `None` for every row under road terms, whose one
/// class ignores what rows carry.
fn row_commodities(
    net: &Network,
    demand: &[DemandRow],
    terms: CostTerms,
) -> Result<Vec<Option<CommodityId>>> {
    if let CostTerms::Road { .. } = terms {
        return Ok(vec![None; demand.len()]);
    }
    demand
        .iter()
        .map(|r| {
            let c = net.commodity_id(&r.commodity);
            c.map(Some).ok_or_else(|| Error::InvalidQuery {
                field: "demand".into(),
                message: format!(
                    "{}commodity: unknown commodity \"{}\"",
                    located(&r.source),
                    r.commodity
                ),
            })
        })
        .collect()
}

fn check_amounts(
    net: &Network,
    demand: &[DemandRow],
    commodity: &[Option<CommodityId>],
) -> Result<()> {
    for (d, c) in demand.iter().zip(commodity) {
        if !(d.amount.is_finite() && d.amount >= 0.0) {
            return Err(Error::InvalidRequest(format!(
                "demand of {} from \"{}\" to \"{}\": {} {} is not a non-negative number",
                c.map_or(d.commodity.as_str(), |c| {
                    net.commodities[c.index()].source_id.as_str()
                }),
                net.node(d.origin).source_id,
                net.node(d.destination).source_id,
                d.amount,
                net.flow_unit.as_str()
            )));
        }
    }
    Ok(())
}

/// Whether a row is assigned at all.
fn assigned(r: &DemandRow) -> bool {
    r.origin != r.destination && r.amount > 0.0
}

/// The lowering `terms` need: road terms leave closed links out (their
/// costs must be finite) and zone the assigned rows' nodes; freight terms
/// keep closed elements as arcs that weights close, zone every row's
/// nodes and ask for the capacity-element table.
fn lower_config(demand: &[DemandRow], terms: CostTerms) -> LowerConfig {
    let road = matches!(terms, CostTerms::Road { .. });
    let rows = || demand.iter().filter(move |r| !road || assigned(r));
    LowerConfig {
        elements: !road,
        skip_closed_links: road,
        zones: Some(ZoneConfig {
            origins: rows().map(|r| r.origin).collect(),
            destinations: rows().map(|r| r.destination).collect(),
        }),
        ..LowerConfig::default()
    }
}

/// The order a class's trips reach the solver, which fixes the order loads
/// are summed in and so the results to the last bit: kept per terms as it
/// has always been. Trips are sorted by (origin key, destination key) and
/// rows with equal keys summed into one trip.
enum TripOrder {
    /// Origins in node order, each row its own trip in row order (as TNTP
    /// trips files list them).
    ByOriginNode,
    /// Origins and destinations in the order they first appear in the
    /// demand (any commodity), rows of one pair summed. Per node: its rank,
    /// `u32::MAX` where it never appears.
    FirstSeen {
        origin: Vec<u32>,
        destination: Vec<u32>,
    },
}

impl TripOrder {
    fn new(net: &Network, demand: &[DemandRow], terms: CostTerms) -> Self {
        if let CostTerms::Road { .. } = terms {
            return TripOrder::ByOriginNode;
        }
        let mut rank = [vec![u32::MAX; net.n_nodes()], vec![u32::MAX; net.n_nodes()]];
        let mut next = [0u32; 2];
        for d in demand {
            for (i, node) in [d.origin, d.destination].into_iter().enumerate() {
                if rank[i][node.index()] == u32::MAX {
                    rank[i][node.index()] = next[i];
                    next[i] += 1;
                }
            }
        }
        let [origin, destination] = rank;
        TripOrder::FirstSeen {
            origin,
            destination,
        }
    }

    fn key(&self, row: usize, r: &DemandRow) -> (u32, u32) {
        match self {
            TripOrder::ByOriginNode => (r.origin.index() as u32, row as u32),
            TripOrder::FirstSeen {
                origin,
                destination,
            } => (origin[r.origin.index()], destination[r.destination.index()]),
        }
    }
}

/// One class's demand between zone vertices, in `order`.
fn class_demand(
    lowered: &Lowered,
    demand: &[DemandRow],
    in_class: impl Fn(usize) -> bool,
    order: &TripOrder,
) -> Demand {
    let mut trips: Vec<(u32, u32, usize)> = (demand.iter().enumerate())
        .filter(|&(i, r)| in_class(i) && assigned(r))
        .map(|(i, r)| {
            let (o, d) = order.key(i, r);
            (o, d, i)
        })
        .collect();
    // Stable: rows of one pair are summed in row order.
    trips.sort_by_key(|&(o, d, _)| (o, d));
    let zone = |v: Option<_>| v.expect("every demand node has a zone");
    let mut origins: Vec<(_, Vec<(_, f64)>)> = Vec::new();
    let mut last = None;
    for (o, d, i) in trips {
        let r = &demand[i];
        if last.map(|l: (u32, u32)| l.0) != Some(o) {
            origins.push((zone(lowered.origin_vertex(r.origin)), Vec::new()));
        }
        let ds = &mut origins.last_mut().expect("pushed above").1;
        if last == Some((o, d)) {
            ds.last_mut().expect("pushed before").1 += r.amount;
        } else {
            ds.push((zone(lowered.destination_vertex(r.destination)), r.amount));
        }
        last = Some((o, d));
    }
    Demand { origins }
}

/// Volume–delay parameters of one link under road terms; both directions
/// of a two-way link share them.
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
                located(&l.source),
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

/// Road terms: per arc (CSR order) its link's BPR, laid out so that the
/// solver uses these arrays as they are; arcs that are no link are free.
fn road_elements(
    net: &Network,
    lowered: &Lowered,
    toll_factor: f64,
    distance_factor: f64,
) -> Result<Elements> {
    let mut link_vdf = vec![LinkVdf::default(); net.n_links()];
    for (p, l) in link_vdf.iter_mut().zip(&net.links) {
        if l.open {
            *p = LinkVdf::of(net, l, toll_factor, distance_factor)?;
        }
    }
    let n = lowered.n_arcs();
    let mut vdf = Bpr {
        free_flow: Vec::with_capacity(n),
        alpha: Vec::with_capacity(n),
        beta: Vec::with_capacity(n),
        capacity: Vec::with_capacity(n),
        fixed: Vec::with_capacity(n),
    };
    for o in &lowered.arc_origin {
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
    Ok(Elements::per_arc(vdf))
}

/// A border's uncongested time: its longest dwell over the modes.
pub(super) fn border_hours(b: &corridor_model::Border) -> f64 {
    Mode::ALL
        .iter()
        .map(|&m| *b.dwell_hours.get(m))
        .fold(0.0, f64::max)
}

/// Freight terms: the congestible rows of the element table (a link
/// direction, terminal or border that is open and has a capacity) with
/// their BPR parameters, each arc's (the first congestible row it uses),
/// and each one's row.
fn freight_elements(net: &Network, lowered: &Lowered) -> Result<(Elements, ElementLayout)> {
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
    let arc_element = lowered
        .csr
        .arcs()
        .map(|a| {
            table
                .of_arc(a)
                .iter()
                .map(|&r| row_element[r as usize])
                .find(|&e| e != NO_ELEMENT)
                .unwrap_or(NO_ELEMENT)
        })
        .collect();
    Ok((
        Elements {
            arc_element,
            bpr,
            arc_delay_weight: Vec::new(),
        },
        ElementLayout::Rows(element_row),
    ))
}

/// (uncongested hours, BPR alpha, BPR beta, capacity) of a congestible
/// element under freight terms, `None` for the others. Checked once per
/// element (a link on its forward row).
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
            let alpha = l.bpr_alpha.unwrap_or(DEFAULT_BPR_ALPHA);
            let beta = l.bpr_beta.unwrap_or(DEFAULT_BPR_BETA);
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

/// Per arc (CSR order) under freight terms, the weight of delay that every
/// commodity pays on it besides its own value of time: the
/// [`waiting_cost`](corridor_model::ModeDefaults::waiting_cost_per_t_h) of
/// the vehicle held in the queue, money per t·h. The vehicle is the arc's
/// mode: a link's, the layer of a border crossing, and at a terminal the
/// layer the cargo arrives in (the loaded vehicle queues to be unloaded;
/// the one it leaves in waits empty). Zone connectors and other arcs
/// never congest and weigh nothing.
///
/// Only objectives that price money take it: `cost` (whose commodities
/// weigh delay by 0 themselves) and `generalised` (value of time plus
/// waiting cost, both money per t·h). Under `time` the delay weight is 1
/// hour per hour, and adding money to it would mix units; `distance` and
/// `co2` do not price waiting at all. Empty (0 on every arc) then, or when
/// no mode has a waiting cost, so such problems are solved exactly as
/// without it.
pub(super) fn arc_waiting_costs(
    net: &Network,
    lowered: &Lowered,
    objective: Objective,
) -> Vec<f64> {
    let prices_money = matches!(objective, Objective::Cost | Objective::Generalised);
    let wait = |m: Mode| net.defaults.get(m).waiting_cost_per_t_h;
    if !prices_money || Mode::ALL.iter().all(|&m| wait(m) == 0.0) {
        return Vec::new();
    }
    lowered
        .arc_origin
        .iter()
        .map(|&o| match o {
            ArcOrigin::Link { link, .. } => wait(net.link(link).mode),
            ArcOrigin::Border { layer, .. } => wait(lowered.layer(layer).mode),
            ArcOrigin::Transfer { from, .. } => wait(lowered.layer(from).mode),
            _ => 0.0,
        })
        .collect()
}

/// The weight of delay in a commodity's cost under `objective` (its own;
/// [`arc_waiting_costs`] adds the vehicle's per arc).
fn delay_weight(objective: Objective, value_of_time: f64) -> f64 {
    match objective {
        Objective::Time => 1.0,
        Objective::Generalised => value_of_time,
        Objective::Cost | Objective::Distance | Objective::Co2 => 0.0,
    }
}

/// One commodity's class under freight terms: `route`'s weights (of one
/// vessel class on sea lanes) and the capacity factors per arc (zone
/// connectors are free and load nothing).
fn commodity_class(
    net: &Network,
    lowered: &Lowered,
    cid: CommodityId,
    objective: Objective,
    weights: &[f64],
    demand: Demand,
) -> Result<Class> {
    let c = &net.commodities[cid.index()];
    let factor_of = |m: Mode| *c.capacity_factor.get(m);
    let mut fixed = Vec::with_capacity(lowered.n_arcs());
    let mut factor = Vec::with_capacity(lowered.n_arcs());
    for (&o, &w) in lowered.arc_origin.iter().zip(weights) {
        let phi = match o {
            ArcOrigin::Link { link, .. } => factor_of(net.link(link).mode),
            ArcOrigin::Border { layer, .. } => factor_of(lowered.layer(layer).mode),
            ArcOrigin::Transfer { from, to, .. } => {
                factor_of(lowered.layer(from).mode).max(factor_of(lowered.layer(to).mode))
            }
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
        demand,
    })
}
