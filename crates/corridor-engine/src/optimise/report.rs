//! A solved system optimum in users' ids: [`OptimiseReport`] (the problem,
//! its flows, the LP's size) and [`OptimiseReport::to_result`], the
//! model's [`OptimiseResult`]: cost and unserved demand per commodity and
//! pair, the shadow prices of binding capacities, and the flow of every
//! commodity through every link, terminal, border and node with a
//! capacity. Numbers are rounded to 9 significant digits and solver noise
//! below 1e-9 of the demand is 0, so two solvers' answers print alike.

use super::lp::Flows;
use super::problem::Problem;
use crate::arc_origin::{ArcOrigin, Element};
use crate::capacity::round;
use crate::cost::Objective;
use corridor_model::Network;
use corridor_model::results::{
    CommodityOptimum, ElementOptimum, LpSize, OptimiseResult, ShadowPrice, UnservedDemand,
};
use std::collections::BTreeMap;

/// A solved problem.
#[derive(Clone, Debug)]
pub struct OptimiseReport {
    pub problem: Problem,
    pub flows: Flows,
    pub lp: LpSize,
    /// Column generation's statistics (`paths` only): rounds and where
    /// the time went, for the benchmark.
    pub paths: Option<super::PathStats>,
    /// Why the solve stopped (`Optimal` unless column generation was
    /// stopped early by `OptimiseConfig::gap` or `time_limit_seconds`).
    pub stopped: super::Stopped,
    /// The best lower bound on the optimum when not optimal.
    pub bound: Option<f64>,
    pub seconds: f64,
}

/// The unit of the objective per tonne.
pub fn unit(net: &Network, minimize: Objective) -> String {
    match minimize {
        Objective::Cost | Objective::Generalised => net.currency.clone(),
        Objective::Time => "h".into(),
        Objective::Distance => "km".into(),
        Objective::Co2 => "kg CO2".into(),
    }
}

/// Per capacity row: load (capacity-equivalent t/day).
fn row_loads(p: &Problem, net: &Network, f: &Flows) -> Vec<f64> {
    let mut load = vec![0.0; p.rows.len()];
    for (k, flow) in f.flow.iter().enumerate() {
        for a in p.lowered.csr.arcs() {
            let x = flow[a.index()];
            if x > 0.0 {
                for u in p.uses(a) {
                    load[u.row as usize] += p.factor(net, k, *u) * x;
                }
            }
        }
    }
    for g in &p.groups {
        if let Some(u) = g.origin_row {
            let served: f64 = g.ods.clone().map(|j| p.ods[j].demand - f.unserved[j]).sum();
            load[u.row as usize] += p.factor(net, g.commodity, u) * served;
        }
    }
    load
}

/// Per element kind, per element, per commodity: t/day (links per
/// direction: index 2 × link + backward).
struct Tonnes {
    link: Vec<Vec<f64>>,
    terminal: Vec<Vec<f64>>,
    border: Vec<Vec<f64>>,
    /// Nodes with a capacity: per row of theirs.
    node: BTreeMap<u32, Vec<f64>>,
}

fn tonnes(p: &Problem, net: &Network, f: &Flows) -> Tonnes {
    let k = p.commodities.len();
    let mut t = Tonnes {
        link: vec![vec![0.0; k]; 2 * net.n_links()],
        terminal: vec![vec![0.0; k]; net.terminals.len()],
        border: vec![vec![0.0; k]; net.borders.len()],
        node: BTreeMap::new(),
    };
    for (ci, flow) in f.flow.iter().enumerate() {
        for (a, &o) in p.lowered.csr.arcs().zip(&p.lowered.arc_origin) {
            let x = flow[a.index()];
            if x <= 0.0 {
                continue;
            }
            match o {
                ArcOrigin::Link { link, forward } => {
                    t.link[2 * link.index() + usize::from(!forward)][ci] += x
                }
                ArcOrigin::Transfer { terminal, .. } => t.terminal[terminal.index()][ci] += x,
                ArcOrigin::Border { border, .. } => t.border[border.index()][ci] += x,
                _ => {}
            }
            for u in p.uses(a) {
                if let Element::Node(_) = p.rows[u.row as usize].element {
                    t.node.entry(u.row).or_insert_with(|| vec![0.0; k])[ci] += x;
                }
            }
        }
    }
    for g in &p.groups {
        if let Some(u) = g.origin_row {
            let served: f64 = g.ods.clone().map(|j| p.ods[j].demand - f.unserved[j]).sum();
            t.node.entry(u.row).or_insert_with(|| vec![0.0; k])[g.commodity] += served;
        }
    }
    t
}

impl OptimiseReport {
    /// The model's result on `net` (the network the problem was built on).
    pub fn to_result(&self, net: &Network) -> OptimiseResult {
        let p = &self.problem;
        let f = &self.flows;
        let total_demand: f64 = p.ods.iter().map(|o| o.demand).sum();
        let eps = 1e-9 * (1.0 + total_demand);
        let clean = |x: f64| if x.abs() <= eps { 0.0 } else { round(x) };
        let names: Vec<String> = (p.commodities.iter())
            .map(|c| net.commodities[c.index()].source_id.clone())
            .collect();
        let by_commodity: Vec<CommodityOptimum> = (0..p.commodities.len())
            .map(|k| {
                let ods = p
                    .ods
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| p.groups[o.group].commodity == k);
                let (demand, unserved) = ods.fold((0.0, 0.0), |(d, u), (j, o)| {
                    (d + o.demand, u + f.unserved[j])
                });
                let cost: f64 = (f.flow[k].iter().zip(&p.weight[k]))
                    .filter(|(x, _)| **x > 0.0)
                    .map(|(x, w)| x * w)
                    .sum();
                let served = clean(demand - unserved);
                CommodityOptimum {
                    commodity: names[k].clone(),
                    demand_t_per_day: round(demand),
                    served_t_per_day: served,
                    unserved_t_per_day: clean(unserved),
                    total_cost: clean(cost),
                    cost_per_t: if served > 0.0 {
                        round(cost / served)
                    } else {
                        0.0
                    },
                }
            })
            .collect();
        let mut unserved: Vec<UnservedDemand> = (p.ods.iter().zip(&f.unserved))
            .filter(|(_, u)| clean(**u) > 0.0)
            .map(|(o, &u)| UnservedDemand {
                origin: net.node(p.groups[o.group].origin).source_id.to_string(),
                destination: net.node(o.destination).source_id.to_string(),
                commodity: names[p.groups[o.group].commodity].clone(),
                demand_t_per_day: round(o.demand),
                unserved_t_per_day: clean(u),
            })
            .collect();
        unserved.sort_by(|a, b| {
            (b.unserved_t_per_day.total_cmp(&a.unserved_t_per_day)).then_with(|| {
                (&a.origin, &a.destination, &a.commodity).cmp(&(
                    &b.origin,
                    &b.destination,
                    &b.commodity,
                ))
            })
        });
        let total_cost: f64 = by_commodity.iter().map(|c| c.total_cost).sum();
        let unserved_total: f64 = by_commodity.iter().map(|c| c.unserved_t_per_day).sum();
        let loads = row_loads(p, net, f);
        let objective = round(total_cost + p.penalty * unserved_total);
        let lower_bound = self.bound.map_or(objective, |b| round(b.min(objective)));
        OptimiseResult {
            network: net.name.clone(),
            minimize: p.minimize.as_str().to_string(),
            unit: unit(net, p.minimize),
            unserved_penalty: p.penalty,
            penalty_source: if p.penalty_given { "given" } else { "default" }.into(),
            total_cost: round(total_cost),
            objective,
            status: self.stopped.as_str().into(),
            lower_bound,
            gap: round(super::relative_gap(objective, lower_bound)),
            demand_t_per_day: round(total_demand),
            served_t_per_day: clean(total_demand - unserved_total),
            unserved_t_per_day: clean(unserved_total),
            by_commodity,
            unserved,
            shadow_prices: shadow_prices(p, net, f, &loads, eps),
            elements: elements(p, net, &tonnes(p, net, f), &names, &loads, &clean),
            lp: self.lp.clone(),
            demand_rows: p.demand_rows,
            seconds: self.seconds,
        }
    }
}

/// What a capacity row is, in users' ids: kind, id, name, a link
/// direction's ends.
fn describe(net: &Network, e: Element) -> (String, String, String, Option<String>, Option<String>) {
    let node = |n: corridor_model::NodeId| net.node(n).source_id.to_string();
    match e {
        Element::Link { link, forward } => {
            let l = net.link(link);
            let (a, b) = if forward {
                (l.from, l.to)
            } else {
                (l.to, l.from)
            };
            let name = format!("{} – {} ({})", net.node(a).name, net.node(b).name, l.mode);
            (
                "link".into(),
                l.source_id.to_string(),
                name,
                Some(node(a)),
                Some(node(b)),
            )
        }
        Element::Terminal(t) => {
            let t = &net.terminals[t.index()];
            (
                "terminal".into(),
                t.source_id.clone(),
                t.name.clone(),
                None,
                None,
            )
        }
        Element::Border(b) => {
            let b = &net.borders[b.index()];
            (
                "border".into(),
                b.source_id.clone(),
                b.name.clone(),
                None,
                None,
            )
        }
        Element::Node(n) | Element::Supply(n) | Element::Absorption(n) => (
            "node".into(),
            node(n),
            net.node(n).name.to_string(),
            None,
            None,
        ),
    }
}

/// Binding capacities (full, carrying flow, or priced), highest price
/// first.
fn shadow_prices(
    p: &Problem,
    net: &Network,
    f: &Flows,
    loads: &[f64],
    eps: f64,
) -> Vec<ShadowPrice> {
    let price_eps = 1e-9 * (1.0 + p.penalty);
    let mut out: Vec<ShadowPrice> = (p.rows.iter().enumerate())
        .filter(|&(r, row)| {
            let tight = loads[r] > eps && loads[r] >= row.capacity - 1e-7 * (1.0 + row.capacity);
            tight || f.price[r] > price_eps
        })
        .map(|(r, row)| {
            let (kind, id, name, from, to) = describe(net, row.element);
            ShadowPrice {
                kind,
                id,
                name,
                from,
                to,
                capacity_t_per_day: round(row.capacity),
                load_t_per_day: round(loads[r]),
                shadow_price: if f.price[r] > price_eps {
                    round(f.price[r])
                } else {
                    0.0
                },
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (b.shadow_price.total_cmp(&a.shadow_price))
            .then_with(|| (&a.kind, &a.id, &a.from).cmp(&(&b.kind, &b.id, &b.from)))
    });
    out
}

/// Every link, terminal, border and node with a capacity.
fn elements(
    p: &Problem,
    net: &Network,
    t: &Tonnes,
    names: &[String],
    loads: &[f64],
    clean: &dyn Fn(f64) -> f64,
) -> Vec<ElementOptimum> {
    // Load and capacity per element by its capacity rows.
    let mut by_element: BTreeMap<Element, (f64, f64)> = BTreeMap::new();
    for (r, row) in p.rows.iter().enumerate() {
        by_element.insert(row.element, (loads[r], row.capacity));
    }
    let by = |x: &[f64]| -> BTreeMap<String, f64> {
        names
            .iter()
            .zip(x)
            .map(|(n, &v)| (n.clone(), clean(v)))
            .collect()
    };
    let row = |e: Element| by_element.get(&e).copied();
    let make =
        |kind: &str, id: &str, tonnes: Vec<f64>, load: f64, cap: Option<f64>| ElementOptimum {
            kind: kind.into(),
            id: id.into(),
            from: None,
            to: None,
            node: None,
            flow: clean(tonnes.iter().sum()),
            flow_by_commodity: by(&tonnes),
            load: clean(load),
            capacity_t_per_day: cap,
            utilisation: cap.map(|c| if c > 0.0 { round(clean(load) / c) } else { 0.0 }),
        };
    let mut out = Vec::new();
    for (i, l) in net.links.iter().enumerate() {
        let link = corridor_model::LinkId::from_index(i);
        let both: Vec<f64> = (0..names.len())
            .map(|k| t.link[2 * i][k] + t.link[2 * i + 1][k])
            .collect();
        let load = [true, false]
            .iter()
            .filter_map(|&forward| row(Element::Link { link, forward }).map(|x| x.0))
            .fold(0.0, f64::max);
        out.push(ElementOptimum {
            from: Some(net.node(l.from).source_id.to_string()),
            to: Some(net.node(l.to).source_id.to_string()),
            ..make("link", &l.source_id, both, load, l.capacity_t_per_day)
        });
    }
    for (i, x) in net.terminals.iter().enumerate() {
        let e = Element::Terminal(corridor_model::TerminalId::from_index(i));
        out.push(ElementOptimum {
            node: Some(net.node(x.node).source_id.to_string()),
            ..make(
                "terminal",
                &x.source_id,
                t.terminal[i].clone(),
                row(e).map_or(0.0, |r| r.0),
                x.capacity_t_per_day,
            )
        });
    }
    for (i, x) in net.borders.iter().enumerate() {
        let e = Element::Border(corridor_model::BorderId::from_index(i));
        out.push(ElementOptimum {
            node: Some(net.node(x.node).source_id.to_string()),
            ..make(
                "border",
                &x.source_id,
                t.border[i].clone(),
                row(e).map_or(0.0, |r| r.0),
                x.capacity_t_per_day,
            )
        });
    }
    for (r, row) in p.rows.iter().enumerate() {
        if let Element::Node(n) = row.element {
            let tonnes = t
                .node
                .get(&(r as u32))
                .cloned()
                .unwrap_or_else(|| vec![0.0; names.len()]);
            out.push(ElementOptimum {
                node: Some(net.node(n).source_id.to_string()),
                ..make(
                    "node",
                    &net.node(n).source_id,
                    tonnes,
                    loads[r],
                    Some(row.capacity),
                )
            });
        }
    }
    out
}
