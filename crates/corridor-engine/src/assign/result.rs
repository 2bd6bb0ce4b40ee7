//! An [`AssignReport`] in users' ids: the model's [`AssignResult`], whose
//! JSON every face writes. Road terms give the road-like shape (flow and
//! cost per link), freight terms the per-commodity and per-element one;
//! both shapes are as they always were.

use super::config::CostTerms;
use super::report::{AssignReport, ElementFlows};
use corridor_graph::assignment::IterationStat;
use corridor_model::Network;
use corridor_model::results::{
    AssignResult, CommodityLoad, ElementLoad, FreightAssignResult, IterationRecord, LinkLoad,
    RoadAssignResult,
};

/// One iteration as data (what progress bars and `--plot` show).
pub fn iteration_record(s: &IterationStat) -> IterationRecord {
    IterationRecord {
        iteration: s.iteration,
        objective: s.objective,
        relative_gap: s.relative_gap,
        seconds: s.seconds,
    }
}

impl AssignReport {
    /// The model's result for this report on `net`; `target_gap` and
    /// `demand_rows` are what the run was asked (the text summary shows
    /// them).
    pub fn to_result(&self, net: &Network, target_gap: f64, demand_rows: usize) -> AssignResult {
        match self.terms {
            CostTerms::Road { .. } => {
                AssignResult::Road(self.road_result(net, target_gap, demand_rows))
            }
            CostTerms::Freight { minimize, .. } => {
                AssignResult::Freight(self.freight_result(net, minimize, target_gap, demand_rows))
            }
        }
    }

    fn road_result(&self, net: &Network, target_gap: f64, demand_rows: usize) -> RoadAssignResult {
        RoadAssignResult {
            history: self.history.iter().map(iteration_record).collect(),
            iterations: self.iterations,
            method: self.method.as_str().to_string(),
            objective: self.objective,
            relative_gap: self.relative_gap,
            seconds: self.seconds,
            converged: self.converged,
            unreachable_demand: self.classes.first().map_or(0.0, |c| c.unreachable),
            links: (net.links.iter().enumerate())
                .map(|(i, l)| LinkLoad {
                    id: l.source_id.to_string(),
                    from: net.node(l.from).source_id.to_string(),
                    to: net.node(l.to).source_id.to_string(),
                    flow: self.links.total[i],
                    cost: self.link_cost[0][i],
                })
                .collect(),
            target_gap,
            demand_rows,
        }
    }

    fn freight_result(
        &self,
        net: &Network,
        minimize: corridor_model::Objective,
        target_gap: f64,
        demand_rows: usize,
    ) -> FreightAssignResult {
        let names: Vec<String> = (self.classes.iter())
            .map(|c| {
                c.commodity.map_or_else(String::new, |c| {
                    net.commodities[c.index()].source_id.clone()
                })
            })
            .collect();
        let node = |n| Some(net.node(n).source_id.to_string());
        FreightAssignResult {
            borders: (net.borders.iter().enumerate())
                .map(|(i, b)| ElementLoad {
                    node: node(b.node),
                    ..element(&self.borders, i, &names, &b.source_id)
                })
                .collect(),
            commodities: commodity_loads(&self.classes, &names),
            converged: self.converged,
            history: self.history.iter().map(iteration_record).collect(),
            iterations: self.iterations,
            links: (net.links.iter().enumerate())
                .map(|(i, l)| ElementLoad {
                    from: node(l.from),
                    to: node(l.to),
                    ..element(&self.links, i, &names, &l.source_id)
                })
                .collect(),
            method: self.method.as_str().to_string(),
            minimize,
            objective: self.objective,
            relative_gap: self.relative_gap,
            seconds: self.seconds,
            symmetric: self.symmetric,
            terminals: (net.terminals.iter().enumerate())
                .map(|(i, t)| ElementLoad {
                    node: node(t.node),
                    ..element(&self.terminals, i, &names, &t.source_id)
                })
                .collect(),
            target_gap,
            demand_rows,
        }
    }
}

/// One row per commodity, in class order: the classes of one commodity
/// (one per vessel class on sea lanes) summed, the worst gap kept.
fn commodity_loads(classes: &[super::report::ClassReport], names: &[String]) -> Vec<CommodityLoad> {
    let mut out: Vec<CommodityLoad> = Vec::new();
    for (c, n) in classes.iter().zip(names) {
        let i = match out.iter().position(|l| &l.commodity == n) {
            Some(i) => i,
            None => {
                out.push(CommodityLoad {
                    commodity: n.clone(),
                    relative_gap: c.relative_gap,
                    t_per_day: 0.0,
                    total_cost: 0.0,
                    unreachable_t_per_day: 0.0,
                    vessels: Default::default(),
                });
                out.len() - 1
            }
        };
        let l = &mut out[i];
        l.relative_gap = l.relative_gap.max(c.relative_gap);
        l.t_per_day += c.demand;
        l.total_cost += c.total_cost;
        l.unreachable_t_per_day += c.unreachable;
        if let Some(v) = c.vessel {
            *l.vessels.entry(v.to_string()).or_insert(0.0) += c.demand;
        }
    }
    out
}

/// One element's row: its ids come from the caller, its numbers from `f`.
fn element(f: &ElementFlows, i: usize, names: &[String], id: &str) -> ElementLoad {
    ElementLoad {
        capacity_t_per_day: f.capacity[i],
        flow: f.total[i],
        // A commodity split by vessel class has several classes: summed.
        flow_by_commodity: names.iter().enumerate().fold(
            std::collections::BTreeMap::new(),
            |mut m, (k, n)| {
                *m.entry(n.clone()).or_insert(0.0) += f.by_class[k][i];
                m
            },
        ),
        from: None,
        hours: f.hours[i],
        id: id.to_string(),
        load: f.load[i],
        node: None,
        to: None,
        utilisation: f.utilisation[i],
    }
}
