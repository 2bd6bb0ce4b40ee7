//! `assign` in users' words, one entry whatever the network: demand rows
//! (inline or read from a file), the method by its short name and the knobs
//! checked, then road-like networks (veh/h) go to [`crate::assign::assign`]
//! and freight networks (t/day) to [`crate::assign_freight::assign_freight`];
//! both answers come back as one [`AssignResult`] in users' ids.

use super::place::resolve_node;
use crate::assign::{AssignOptions, AssignReport};
use crate::assign_freight::{ElementFlows, FreightDemand, FreightOptions, FreightReport};
use crate::{Error, IterationStat, Method, Objective, Result};
use corridor_model::demand::DemandRow;
use corridor_model::results::{
    AssignResult, CommodityLoad, ElementLoad, FreightAssignResult, IterationRecord, LinkLoad,
    RoadAssignResult,
};
use corridor_model::{AssignQuery, DemandEntry, FlowUnit, Network};

/// Every method by its short name, with one line for help texts.
pub const METHODS: [(&str, &str); 5] = [
    ("aon", "all-or-nothing at free-flow cost"),
    ("fw", "Frank–Wolfe"),
    ("cfw", "conjugate Frank–Wolfe"),
    ("bfw", "bi-conjugate Frank–Wolfe"),
    (
        "algb",
        "Algorithm B (Dial 2006), bush-based: reaches far smaller gaps (road-like networks)",
    ),
];

/// What sees each iteration as it ends (progress bars).
pub type ProgressFn<'a> = &'a mut (dyn FnMut(&IterationRecord) + Send);

fn method(name: &str) -> Result<Method> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "aon" => Method::AllOrNothing,
        "fw" => Method::FrankWolfe,
        "cfw" => Method::ConjugateFrankWolfe,
        "bfw" => Method::BiconjugateFrankWolfe,
        "algb" => Method::AlgorithmB,
        _ => {
            return Err(Error::InvalidQuery {
                field: "method".into(),
                message: format!("unknown method \"{name}\" (expected aon, fw, cfw, bfw, algb)"),
            });
        }
    })
}

/// Checks what needs no network: the method, the gap and the threads.
pub fn check_assign_knobs(query: &AssignQuery) -> Result<()> {
    method(&query.method)?;
    if query.gap.is_nan() || query.gap < 0.0 {
        return Err(Error::InvalidQuery {
            field: "gap".into(),
            message: format!("--gap {} must be a non-negative number", query.gap),
        });
    }
    if query.threads == Some(0) {
        return Err(Error::InvalidQuery {
            field: "threads".into(),
            message: "--threads must be at least 1".into(),
        });
    }
    Ok(())
}

/// Checks the knobs that apply to one kind of network only.
pub fn check_assign_network(net: &Network, query: &AssignQuery) -> Result<()> {
    if net.flow_unit == FlowUnit::TonnesPerDay {
        if query.toll_factor != 0.0 || query.distance_factor != 0.0 {
            return Err(Error::InvalidQuery {
                field: "toll_factor".into(),
                message: "--toll-factor and --distance-factor weigh road-like (veh/h) networks; a freight network's costs come from --minimize".into(),
            });
        }
    } else if let Some(m) = query.minimize {
        return Err(Error::InvalidQuery {
            field: "minimize".into(),
            message: format!(
                "--minimize {m} applies to freight networks (t/day); this network's flow unit is {} and its cost is time + --toll-factor × toll + --distance-factor × length",
                net.flow_unit.as_str()
            ),
        });
    }
    Ok(())
}

/// Inline demand resolved against `net`: places as everywhere, the
/// commodity by id (default: the first; TNTP networks have none).
pub fn demand_rows(net: &Network, entries: &[DemandEntry]) -> Result<Vec<DemandRow>> {
    entries
        .iter()
        .map(|e| {
            if !(e.amount.is_finite() && e.amount >= 0.0) {
                return Err(Error::InvalidQuery {
                    field: "demand".into(),
                    message: format!(
                        "{} -> {}: amount {} must be a non-negative number",
                        e.origin, e.destination, e.amount
                    ),
                });
            }
            let commodity = match &e.commodity {
                Some(c) => c.clone(),
                None => net
                    .commodities
                    .first()
                    .map_or_else(|| "vehicles".to_string(), |c| c.source_id.clone()),
            };
            Ok(DemandRow {
                origin: resolve_node(net, &e.origin, "demand")?,
                destination: resolve_node(net, &e.destination, "demand")?,
                commodity,
                amount: e.amount,
                source: None,
            })
        })
        .collect()
}

/// Assigns the query's inline demand on `net`, the network with the
/// query's scenarios already applied (see [`super::with_scenarios`]).
pub fn assign(net: &Network, query: &AssignQuery, progress: ProgressFn) -> Result<AssignResult> {
    check_assign_knobs(query)?;
    let rows = demand_rows(net, &query.demand)?;
    assign_rows(net, query, &rows, progress)
}

/// Assigns demand rows already resolved against `net` (e.g. read from a
/// demand file with file and line per row) instead of `query.demand`.
pub fn assign_rows(
    net: &Network,
    query: &AssignQuery,
    rows: &[DemandRow],
    progress: ProgressFn,
) -> Result<AssignResult> {
    check_assign_knobs(query)?;
    check_assign_network(net, query)?;
    let method = method(&query.method)?;
    let mut on_iteration = |s: &IterationStat| progress(&record(s));
    if net.flow_unit == FlowUnit::TonnesPerDay {
        let demand = freight_demand(net, rows)?;
        let opts = FreightOptions {
            method,
            gap: query.gap,
            max_iter: query.max_iter,
            threads: query.threads,
            objective: query.minimize.unwrap_or(Objective::Generalised),
        };
        let r = crate::assign_freight::assign_freight(net, &demand, &opts, &mut on_iteration)?;
        return Ok(AssignResult::Freight(freight_result(
            net,
            &r,
            query,
            rows.len(),
        )));
    }
    let od: Vec<_> = rows
        .iter()
        .map(|r| (r.origin, r.destination, r.amount))
        .collect();
    let opts = AssignOptions {
        method,
        gap: query.gap,
        max_iter: query.max_iter,
        threads: query.threads,
        toll_factor: query.toll_factor,
        distance_factor: query.distance_factor,
    };
    let r = crate::assign::assign(net, &od, &opts, &mut on_iteration)?;
    Ok(AssignResult::Road(road_result(net, &r, query, rows.len())))
}

fn record(s: &IterationStat) -> IterationRecord {
    IterationRecord {
        iteration: s.iteration,
        objective: s.objective,
        relative_gap: s.relative_gap,
        seconds: s.seconds,
    }
}

/// Demand rows (checked against the network's commodities by the reader,
/// or not at all when inline) as engine demand.
fn freight_demand(net: &Network, rows: &[DemandRow]) -> Result<Vec<FreightDemand>> {
    rows.iter()
        .map(|r| {
            let commodity = net
                .commodity_id(&r.commodity)
                .ok_or_else(|| Error::InvalidQuery {
                    field: "demand".into(),
                    message: format!(
                        "{}commodity: unknown commodity \"{}\"",
                        r.source
                            .as_ref()
                            .map(|s| format!("{s}: "))
                            .unwrap_or_default(),
                        r.commodity
                    ),
                })?;
            Ok(FreightDemand {
                origin: r.origin,
                destination: r.destination,
                commodity,
                tonnes: r.amount,
            })
        })
        .collect()
}

fn road_result(
    net: &Network,
    r: &AssignReport,
    query: &AssignQuery,
    demand_rows: usize,
) -> RoadAssignResult {
    RoadAssignResult {
        history: r.history.iter().map(record).collect(),
        iterations: r.iterations,
        method: r.method.as_str().to_string(),
        objective: r.objective,
        relative_gap: r.relative_gap,
        seconds: r.seconds,
        converged: r.converged,
        unreachable_demand: r.unreachable_demand,
        links: net
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| LinkLoad {
                id: l.source_id.clone(),
                from: net.node(l.from).source_id.clone(),
                to: net.node(l.to).source_id.clone(),
                flow: r.link_flow[i],
                cost: r.link_cost[i],
            })
            .collect(),
        target_gap: query.gap,
        demand_rows,
    }
}

/// One element's row: its ids come from the caller, its numbers from `f`.
fn element(f: &ElementFlows, i: usize, names: &[String], id: &str) -> ElementLoad {
    ElementLoad {
        capacity_t_per_day: f.capacity[i],
        flow: f.total[i],
        flow_by_commodity: names
            .iter()
            .enumerate()
            .map(|(k, n)| (n.clone(), f.by_commodity[k][i]))
            .collect(),
        from: None,
        hours: f.hours[i],
        id: id.to_string(),
        load: f.load[i],
        node: None,
        to: None,
        utilisation: f.utilisation[i],
    }
}

fn freight_result(
    net: &Network,
    r: &FreightReport,
    query: &AssignQuery,
    demand_rows: usize,
) -> FreightAssignResult {
    let names: Vec<String> = r
        .commodities
        .iter()
        .map(|c| net.commodities[c.commodity.index()].source_id.clone())
        .collect();
    let node = |n| Some(net.node(n).source_id.clone());
    FreightAssignResult {
        borders: (net.borders.iter().enumerate())
            .map(|(i, b)| ElementLoad {
                node: node(b.node),
                ..element(&r.borders, i, &names, &b.source_id)
            })
            .collect(),
        commodities: r
            .commodities
            .iter()
            .zip(&names)
            .map(|(c, n)| CommodityLoad {
                commodity: n.clone(),
                relative_gap: c.relative_gap,
                t_per_day: c.tonnes,
                total_cost: c.total_cost,
                unreachable_t_per_day: c.unreachable,
            })
            .collect(),
        converged: r.converged,
        history: r.history.iter().map(record).collect(),
        iterations: r.iterations,
        links: (net.links.iter().enumerate())
            .map(|(i, l)| ElementLoad {
                from: node(l.from),
                to: node(l.to),
                ..element(&r.links, i, &names, &l.source_id)
            })
            .collect(),
        method: r.method.as_str().to_string(),
        minimize: r.objective,
        objective: r.beckmann,
        relative_gap: r.relative_gap,
        seconds: r.seconds,
        symmetric: r.symmetric,
        terminals: (net.terminals.iter().enumerate())
            .map(|(i, t)| ElementLoad {
                node: node(t.node),
                ..element(&r.terminals, i, &names, &t.source_id)
            })
            .collect(),
        target_gap: query.gap,
        demand_rows,
    }
}
