//! A lower bound on the system optimum from maximum flows: how much
//! demand the capacities can let through at all, so how much must go
//! unserved at the penalty. Column generation's Lagrangian bounds do not
//! see that on large cases (their prices are 0 or the master's duals), so
//! with the default penalty their certified gap stayed near 100 % while
//! most of the objective was P × unserved (docs/optimise.md, "Stopping
//! early").
//!
//! Relaxations, each an upper bound on the tonnes served:
//! - **all groups together** (commodity identities dropped): one maximum
//!   flow from a super source (an arc to each group's source, capacity its
//!   demand) to a super sink (an arc from each pair's sink, capacity its
//!   demand) over every arc some commodity may use;
//! - **per commodity** (its groups together) and **per group** (origin and
//!   commodity): the same over that commodity's arcs only.
//!
//! A capacity row shared by several arcs (a node's throughput, say) is
//! relaxed to each arc alone: arc `a` may carry `capacity_r / f` for each
//! row `r` it uses, `f` the smallest capacity factor of the commodities
//! considered that may use `a`. So the flows overestimate what can move.
//!
//! The sets (all ⊃ commodity ⊃ group ⊃ pair) are laminar, so the most a
//! plan can save against leaving everything unserved, max Σ_j (P − c_j) x_j
//! with x_j ≤ D_j and each set's Σ x_j ≤ its flow (c_j: pair j's cheapest
//! path ignoring capacities, every served tonne pays at least that), is
//! found greedily, largest saving first (a polymatroid). The bound is
//! Σ_j P D_j less that saving; with infinite flows it is the Lagrangian
//! bound of prices 0.

use super::problem::Problem;
use crate::{Error, Result};
use corridor_graph::max_flow::max_flow;
use corridor_graph::{Csr, VertexIdx};
use corridor_model::Network;
use rayon::prelude::*;

/// The maximum-flow bound of `p` given each pair's cheapest cost ignoring
/// capacities (`cheapest[j]`, at most the penalty; the penalty when
/// unreachable), and capacity prices on the all-groups flow's minimum cut
/// ([`cut_prices`]).
pub(super) fn cut_bound(p: &Problem, net: &Network, cheapest: &[f64]) -> Result<(f64, Vec<f64>)> {
    let n_k = p.commodities.len();
    // Sets: all pairs, then each commodity with more than one group, then
    // each group; each with the flow that caps it. `within[g]`: the sets
    // group g's pairs lie in.
    let mut sets: Vec<(Vec<usize>, Vec<usize>)> =
        vec![((0..n_k).collect(), (0..p.groups.len()).collect())];
    let mut within: Vec<Vec<usize>> = vec![vec![0]; p.groups.len()];
    for k in 0..n_k {
        let gs: Vec<usize> = (0..p.groups.len())
            .filter(|&g| p.groups[g].commodity == k)
            .collect();
        if gs.len() > 1 {
            gs.iter().for_each(|&g| within[g].push(sets.len()));
            sets.push((vec![k], gs));
        }
    }
    for (g, group) in p.groups.iter().enumerate() {
        within[g].push(sets.len());
        sets.push((vec![group.commodity], vec![g]));
    }
    let flows: Vec<(f64, Vec<f64>)> = (sets.par_iter().enumerate())
        .map(|(i, (ks, gs))| served_at_most(p, net, ks, gs, i == 0))
        .collect::<Result<_>>()?;
    let mut prices = flows[0].1.clone();
    prices.resize(p.rows.len(), 0.0);
    let mut room: Vec<f64> = flows.iter().map(|f| f.0).collect();
    let mut order: Vec<usize> = (0..p.ods.len()).collect();
    order.sort_by(|&a, &b| cheapest[a].total_cmp(&cheapest[b]));
    let mut bound: f64 = p.ods.iter().map(|o| o.demand * p.penalty).sum();
    for j in order {
        let saving = p.penalty - cheapest[j].min(p.penalty);
        if saving <= 0.0 {
            continue;
        }
        let mine = &within[p.ods[j].group];
        let x = (mine.iter().map(|&s| room[s])).fold(p.ods[j].demand, f64::min);
        if x <= 0.0 {
            continue;
        }
        for &s in mine {
            room[s] -= x;
        }
        bound -= saving * x;
    }
    Ok((bound, prices))
}

/// The maximum flow from the sources of groups `gs` to their pairs'
/// sinks over the arcs commodities `ks` may use, each arc alone under
/// each capacity row it uses (see the module notes); with `priced`, also
/// the prices of its minimum cut ([`cut_prices`]; else none).
fn served_at_most(
    p: &Problem,
    net: &Network,
    ks: &[usize],
    gs: &[usize],
    priced: bool,
) -> Result<(f64, Vec<f64>)> {
    let n = p.lowered.n_vertices();
    let (source, sink) = (VertexIdx(n as u32), VertexIdx(n as u32 + 1));
    let mut arcs = Vec::new();
    let mut cap = Vec::new();
    let tails = p.lowered.csr.tails();
    for a in p.lowered.csr.arcs() {
        let usable: Vec<usize> = (ks.iter().copied())
            .filter(|&k| p.weight[k][a.index()].is_finite())
            .collect();
        if usable.is_empty() {
            continue;
        }
        let c = room_on(p, net, &usable, p.uses(a));
        if c > 0.0 {
            arcs.push((tails[a.index()], p.lowered.csr.head(a)));
            cap.push(c);
        }
    }
    let mut demand = 0.0;
    for &g in gs {
        let group = &p.groups[g];
        let d: f64 = p.ods[group.ods.clone()].iter().map(|o| o.demand).sum();
        demand += d;
        let start = group.origin_row.map_or(f64::INFINITY, |u| {
            room_on(p, net, &[group.commodity], std::slice::from_ref(&u))
        });
        arcs.push((source, group.source));
        cap.push(d.min(start));
        for od in &p.ods[group.ods.clone()] {
            arcs.push((od.sink, sink));
            cap.push(od.demand);
        }
    }
    if demand <= 0.0 {
        return Ok((0.0, Vec::new()));
    }
    let (g, order) = Csr::from_arcs(n + 2, &arcs);
    let cap: Vec<f64> = order.iter().map(|&i| cap[i as usize]).collect();
    let graph = |e: corridor_graph::Error| Error::InvalidRequest(e.to_string());
    let flow = max_flow(&g, &cap, source, sink).map_err(graph)?;
    let prices = if priced {
        cut_prices(p, net, (ks, gs), &flow.source_side)
    } else {
        Vec::new()
    };
    Ok((flow.value, prices))
}

/// Capacity prices from a minimum cut (`source_side` per lowered vertex,
/// the super source and sink after them) of the flow of groups `gs` over
/// commodities `ks`: P / f on the capacity rows of every arc from the
/// source side to the other (f the smallest factor of the commodities
/// that may use it) and on the starts of the groups cut off, so that every
/// path of a pair whose origin lies on the source side and destination on
/// the other pays at least the penalty (a start is priced only where its
/// room, not the demand, cut the group off). L at these prices (column
/// generation evaluates it once) is about P × (demand − the maximum flow)
/// plus the costs of the pairs the cut does not separate: a Lagrangian
/// bound that can beat the maximum-flow bound where costs are small next
/// to P.
fn cut_prices(
    p: &Problem,
    net: &Network,
    (ks, gs): (&[usize], &[usize]),
    side: &[bool],
) -> Vec<f64> {
    let mut y = vec![0.0_f64; p.rows.len()];
    let mut price = |u: &super::problem::RowUse, ks: &[usize]| {
        let f = (ks.iter().map(|&k| p.factor(net, k, *u))).fold(f64::INFINITY, f64::min);
        if f > 0.0 && f.is_finite() {
            let r = u.row as usize;
            y[r] = y[r].max(p.penalty / f);
        }
    };
    let tails = p.lowered.csr.tails();
    for a in p.lowered.csr.arcs() {
        let (t, h) = (tails[a.index()].index(), p.lowered.csr.head(a).index());
        if !side[t] || side[h] {
            continue;
        }
        let usable: Vec<usize> = (ks.iter().copied())
            .filter(|&k| p.weight[k][a.index()].is_finite())
            .collect();
        if usable.is_empty() {
            continue;
        }
        for u in p.uses(a) {
            price(u, &usable);
        }
    }
    for &g in gs {
        let group = &p.groups[g];
        let demand: f64 = p.ods[group.ods.clone()].iter().map(|o| o.demand).sum();
        if let Some(u) = &group.origin_row
            && !side[group.source.index()]
            && room_on(p, net, &[group.commodity], std::slice::from_ref(u)) < demand
        {
            price(u, &[group.commodity]);
        }
    }
    y
}

/// The tonnes one arc (or start) could carry under each capacity row it
/// uses alone, for the most favourable of commodities `ks`.
fn room_on(p: &Problem, net: &Network, ks: &[usize], uses: &[super::problem::RowUse]) -> f64 {
    uses.iter().fold(f64::INFINITY, |c, &u| {
        let f = (ks.iter().map(|&k| p.factor(net, k, u))).fold(f64::INFINITY, f64::min);
        let row = p.rows[u.row as usize].capacity;
        if f > 0.0 { c.min(row / f) } else { c }
    })
}
