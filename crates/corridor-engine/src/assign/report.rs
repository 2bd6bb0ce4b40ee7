//! The solution mapped back to the model, whatever the network: flows of
//! every class through every link, terminal and border (network order),
//! their loads, capacities and hours to pass at the equilibrium, each
//! link's cost per class and what each class shipped and paid
//! ([`AssignReport`]). The mapping reads only arc origins and the problem's
//! elements; which model result a face gets is `result.rs`'s business.

use super::config::CostTerms;
use super::problem::{Problem, border_hours};
use crate::lower::{ArcOrigin, Element};
use corridor_graph::assignment::{Assignment, IterationStat, Method};
use corridor_model::{CommodityId, Network};
use std::time::Instant;

/// Flows through one kind of element (links, terminals or borders), in
/// network order, in the network's flow unit.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ElementFlows {
    /// `by_class[k][i]`: flow of class `k` (both directions of a link).
    pub by_class: Vec<Vec<f64>>,
    /// Per element: flow of all classes.
    pub total: Vec<f64>,
    /// Per element: load in capacity units (a link's busier direction),
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
            by_class: vec![vec![0.0; n]; k],
            total: vec![0.0; n],
            load: vec![0.0; n],
            capacity: vec![None; n],
            utilisation: vec![f64::NAN; n],
            hours: vec![f64::NAN; n],
        }
    }
}

/// What one class shipped and paid.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassReport {
    /// Its commodity; `None` for the one class of a road-like network.
    pub commodity: Option<CommodityId>,
    /// The vessel class of its sea legs (freight on sea lanes only).
    pub vessel: Option<&'static str>,
    /// Demand in the network's flow unit (intrazonal rows excluded).
    pub demand: f64,
    /// Demand with no path (not assigned).
    pub unreachable: f64,
    /// Σ flow × cost, in the class's cost unit per unit of time.
    pub total_cost: f64,
    pub relative_gap: f64,
    /// Its own delay weight (1 on a road-like network; a freight
    /// commodity's value of time, 1 for `time`, 0 under `cost`,
    /// `distance` and `co2`). Under `cost` and `generalised` each arc adds
    /// its vehicle's waiting cost on top (`Elements::arc_delay_weight`),
    /// so a 0 here does not make the cost independent of flow.
    pub delay_weight: f64,
}

/// What an assignment produced, in model terms: one type whatever the
/// network.
#[derive(Clone, Debug, PartialEq)]
pub struct AssignReport {
    pub method: Method,
    pub terms: CostTerms,
    /// Per class, as [`Problem::commodities`] orders them.
    pub classes: Vec<ClassReport>,
    pub links: ElementFlows,
    pub terminals: ElementFlows,
    pub borders: ElementFlows,
    /// `link_cost[k][i]`: class `k`'s cost on link `i` in the link's own
    /// direction at the equilibrium; NaN where the lowering left the link
    /// out (a closed link under road terms).
    pub link_cost: Vec<Vec<f64>>,
    pub iterations: usize,
    pub relative_gap: f64,
    /// The objective of [`corridor_graph::assignment`]: Beckmann's for a
    /// road-like network, the (value-of-time normalised) one of shared
    /// elements for freight, in hours-equivalent per day.
    pub objective: f64,
    pub converged: bool,
    /// True when the equilibrium is the minimum of `objective` (see
    /// `docs/assignment.md`).
    pub symmetric: bool,
    /// Wall time including lowering, seconds.
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

    /// Flow per class and in total, and loads of every element with a
    /// capacity or not (a link per direction, then its busier one): flow ×
    /// factor, as the capacity elements count them.
    fn add_arc_flows(&mut self, net: &Network, problem: &Problem, r: &Assignment) {
        let mut link_dir_load = vec![[0.0f64; 2]; net.links.len()];
        for (a, &o) in problem.lowered.arc_origin.iter().enumerate() {
            let Some((target, i)) = self.of(o) else {
                continue;
            };
            for (ci, x) in r.flow.iter().enumerate() {
                target.by_class[ci][i] += x[a];
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
    fn add_hours(&mut self, net: &Network, problem: &Problem, r: &Assignment) {
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
        for (e, &load) in r.load.iter().enumerate() {
            let Some(element) = problem.element(e) else {
                continue;
            };
            let d = problem.elements.delay(e, load);
            match element {
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

/// Per class: its cost on each link's own direction (NaN without an arc).
fn link_costs(net: &Network, problem: &Problem, r: &Assignment) -> Vec<Vec<f64>> {
    let mut cost = vec![vec![f64::NAN; net.links.len()]; r.cost.len()];
    for (a, o) in problem.lowered.arc_origin.iter().enumerate() {
        if let ArcOrigin::Link {
            link,
            forward: true,
        } = *o
        {
            for (k, c) in r.cost.iter().enumerate() {
                cost[k][link.index()] = c[a];
            }
        }
    }
    cost
}

/// Maps an arc-level solution back to links, terminals and borders;
/// `start` is when the assignment began (lowering included).
pub fn report(
    net: &Network,
    problem: &Problem,
    r: Assignment,
    method: Method,
    start: Instant,
) -> AssignReport {
    let mut flows = Flows::new(net, problem.classes.len());
    flows.add_arc_flows(net, problem, &r);
    flows.add_hours(net, problem, &r);
    let classes = (problem.commodities.iter().zip(&problem.classes))
        .enumerate()
        .map(|(k, (&commodity, c))| ClassReport {
            commodity,
            vessel: problem.vessels[k],
            demand: c.demand.total(),
            unreachable: r.unreachable_demand[k],
            total_cost: r.flow[k]
                .iter()
                .zip(&r.cost[k])
                .filter(|(x, _)| **x != 0.0)
                .map(|(x, c)| x * c)
                .sum(),
            relative_gap: r.class_gap[k],
            delay_weight: c.delay_weight,
        })
        .collect();
    AssignReport {
        method,
        terms: problem.terms,
        classes,
        link_cost: link_costs(net, problem, &r),
        links: flows.links,
        terminals: flows.terminals,
        borders: flows.borders,
        iterations: r.history.len(),
        relative_gap: r.relative_gap,
        objective: r.objective,
        converged: r.converged,
        symmetric: r.symmetry.symmetric,
        seconds: start.elapsed().as_secs_f64(),
        history: r.history,
    }
}
