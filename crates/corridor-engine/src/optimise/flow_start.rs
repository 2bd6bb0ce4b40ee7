//! Column generation's first columns from maximum flows (`paths.rs`):
//! group after group (origin and commodity), the cheapest maximum flow
//! from its origin to its destinations on its commodity's arcs within the
//! capacity the groups before it left (each arc alone under each row it
//! uses, as the maximum-flow bound relaxes them: `cut_bound.rs`),
//! decomposed into paths.
//!
//! With the default penalty a group alone serves what it can at least
//! cost. Where the groups hardly compete (100k links and 10 groups: the
//! per-group maximum flows are within 0.02 % of the optimum) these paths
//! carry nearly the optimal plan before the first master solve, where
//! pricing one path or a dozen a round needed hundreds of solves to build
//! a group's tens of parallel paths (docs/optimise.md, "Size limits").
//! Each group's flow independently of the others (not within what the
//! ones before left) was tried first: the flows overlapped on the cheap
//! corridors and the first master served far less. Only columns: the
//! master decides the flows and pricing proves the optimum.

use super::pricing::path_entries;
use super::problem::{Problem, RowUse};
use crate::{Error, Result};
use corridor_graph::min_cost_flow::min_cost_max_flow;
use corridor_graph::{ArcIdx, Csr, VertexIdx};
use corridor_model::Network;
use std::collections::HashMap;
use std::time::Instant;

/// Most paths one group's decomposition gives (a guard: a flow on m arcs
/// decomposes into at most m paths).
pub const FLOW_PATHS_PER_GROUP: usize = 2_000;

/// Most arcs the maximum flows of one run may span, summed over the
/// groups (each group's usable arcs): the groups past it get no flow
/// columns. 100 groups on 100k links had not finished their flows after
/// 74 CPU seconds (14 minutes on a busy machine) before the first master
/// solve; 10 groups on 100k links (about 2.2M) and 100 on 10k stay
/// within it.
pub const FLOW_START_MAX_ARCS: usize = 4_000_000;

/// Most groups for which the maximum flows are worth it: with 100 groups
/// the ones routed first took the room the others needed (on 10k links
/// they placed 274,076 t/day, the greedy routing alone 283,173), the
/// first master doubled, and after 300 s wall (28 and 31 CPU seconds)
/// the run stood at 7.306e10 against 6.915e10 without them (11,009
/// links, busy machine; docs/optimise.md, "Size limits"). With 10 groups they cut the master
/// solves by a third (10k links) to two thirds (100k links).
pub const FLOW_START_MAX_GROUPS: usize = 32;

/// One path of a group's flow: its pair, arcs and t/day.
pub(super) type FlowPath = (usize, Vec<ArcIdx>, f64);

/// Per group, in turn, the paths of its cheapest maximum flow within the
/// capacity the groups before it left (`capacity − load`). Each path's
/// t/day is cut to what fits its rows before its load counts (a row
/// several arcs share, a node's throughput say, is relaxed in the flow),
/// so the paths' t/day together respect every capacity: a plan the master
/// can at least match. None beyond [`FLOW_START_MAX_GROUPS`] groups;
/// groups past [`FLOW_START_MAX_ARCS`] or not begun by `deadline` get
/// none (`--time-limit` bounds the whole run).
pub(super) fn flow_paths(
    p: &Problem,
    net: &Network,
    deadline: Option<Instant>,
) -> Result<Vec<FlowPath>> {
    let tails = p.lowered.csr.tails();
    let n_od = p.ods.len();
    let mut load = vec![0.0; p.rows.len()];
    let mut out = Vec::new();
    let usable: Vec<usize> = (p.weight.iter())
        .map(|w| w.iter().filter(|x| x.is_finite()).count())
        .collect();
    let mut spanned = 0;
    if p.groups.len() > FLOW_START_MAX_GROUPS {
        return Ok(Vec::new());
    }
    for gi in 0..p.groups.len() {
        spanned += usable[p.groups[gi].commodity];
        if spanned > FLOW_START_MAX_ARCS || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let room = |r: usize| p.rows[r].capacity - load[r];
        let paths = group_paths(p, net, &tails, gi, &room)?;
        for (od, arcs, x) in paths {
            let entries = path_entries(p, net, od, &arcs);
            let caps = || entries.iter().filter(|e| e.0 >= n_od && e.1 > 0.0);
            let fits = caps()
                .map(|&(r, v)| (p.rows[r - n_od].capacity - load[r - n_od]).max(0.0) / v)
                .fold(x, f64::min);
            caps().for_each(|&(r, v)| load[r - n_od] += fits * v);
            out.push((od, arcs, fits));
        }
    }
    Ok(out)
}

/// The t/day arc (or start) `uses` can carry for commodity `k` under each
/// row's room alone.
fn arc_room(
    p: &Problem,
    net: &Network,
    k: usize,
    uses: &[RowUse],
    room: &dyn Fn(usize) -> f64,
) -> f64 {
    uses.iter().fold(f64::INFINITY, |c, &u| {
        let f = p.factor(net, k, u);
        if f > 0.0 {
            c.min(room(u.row as usize).max(0.0) / f)
        } else {
            c
        }
    })
}

/// The flow network of one group: the lowered arcs it may use (input
/// index = position in `arcs`) and their flows.
struct GroupFlow {
    arcs: Vec<ArcIdx>,
    flow: Vec<f64>,
}

/// Group `gi`'s cheapest maximum flow within `room` (capacity-equivalent
/// t/day per capacity row), decomposed into paths. Vertices beyond the
/// lowered graph: a super source, a super sink, and per pair one vertex
/// between its sink and the super sink.
fn group_paths(
    p: &Problem,
    net: &Network,
    tails: &[VertexIdx],
    gi: usize,
    room: &dyn Fn(usize) -> f64,
) -> Result<Vec<FlowPath>> {
    let g = &p.groups[gi];
    let ods = g.ods.clone();
    let demand: f64 = p.ods[ods.clone()].iter().map(|o| o.demand).sum();
    if demand <= 0.0 {
        return Ok(Vec::new());
    }
    let csr = &p.lowered.csr;
    let n = csr.n_vertices();
    let (s, t) = (VertexIdx::from_index(n), VertexIdx::from_index(n + 1));
    let w = &p.weight[g.commodity];
    let (mut ends, mut cap, mut cost, mut arcs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for a in csr.arcs() {
        let c = arc_room(p, net, g.commodity, p.uses(a), room);
        if w[a.index()].is_finite() && c > 0.0 {
            ends.push((tails[a.index()], csr.head(a)));
            cap.push(c);
            cost.push(w[a.index()].max(0.0));
            arcs.push(a);
        }
    }
    let start = (g.origin_row.iter())
        .map(|&u| arc_room(p, net, g.commodity, &[u], room))
        .fold(demand, f64::min);
    ends.push((s, g.source));
    cap.push(start);
    cost.push(0.0);
    for (k, od) in p.ods[ods.clone()].iter().enumerate() {
        let tk = VertexIdx::from_index(n + 2 + k);
        ends.extend([(od.sink, tk), (tk, t)]);
        cap.extend([od.demand, od.demand]);
        cost.extend([0.0, 0.0]);
    }
    let (fg, order) = Csr::from_arcs(n + 2 + ods.len(), &ends);
    let cap: Vec<f64> = order.iter().map(|&i| cap[i as usize]).collect();
    let cost: Vec<f64> = order.iter().map(|&i| cost[i as usize]).collect();
    let graph = |e: corridor_graph::Error| Error::InvalidRequest(e.to_string());
    let r = min_cost_max_flow(&fg, &cap, &cost, s, t).map_err(graph)?;
    let mut flow = vec![0.0; ends.len()];
    for (a2, &i) in order.iter().enumerate() {
        flow[i as usize] = r.max_flow.flow[a2];
    }
    let m = arcs.len();
    let mut sink_left: HashMap<VertexIdx, (usize, f64)> = HashMap::new();
    for (k, j) in ods.enumerate() {
        let e = sink_left.entry(p.ods[j].sink).or_insert((j, 0.0));
        e.1 += flow[m + 1 + 2 * k];
    }
    let gf = GroupFlow {
        arcs,
        flow: flow[..m].to_vec(),
    };
    Ok(decompose(gf, (tails, csr), g.source, flow[m], sink_left))
}

/// Splits a flow from `source` (sending `out`) into paths ending at sinks
/// with flow left (`sink_left`: pair and t/day), cancelling any cycle met
/// on the way (a cheapest flow may hold cycles of cost 0).
fn decompose(
    mut gf: GroupFlow,
    (tails, csr): (&[VertexIdx], &Csr),
    source: VertexIdx,
    mut out: f64,
    mut sink_left: HashMap<VertexIdx, (usize, f64)>,
) -> Vec<FlowPath> {
    let eps = 1e-9 * out.max(1.0);
    // Per vertex, its input arcs carrying flow (consumed from the back).
    let mut leaving: HashMap<VertexIdx, Vec<usize>> = HashMap::new();
    for (i, a) in gf.arcs.iter().enumerate() {
        if gf.flow[i] > eps {
            leaving.entry(tails[a.index()]).or_default().push(i);
        }
    }
    let mut paths = Vec::new();
    while out > eps && paths.len() < FLOW_PATHS_PER_GROUP {
        // The walk: input arcs, and per vertex on it its position.
        let mut walk: Vec<usize> = Vec::new();
        let mut at: HashMap<VertexIdx, usize> = HashMap::from([(source, 0)]);
        let mut v = source;
        let end = loop {
            if let Some(&(j, left)) = sink_left.get(&v)
                && left > eps
            {
                break Some(j);
            }
            let Some(next) = leaving.get_mut(&v).and_then(|l| {
                while l.last().is_some_and(|&i| gf.flow[i] <= eps) {
                    l.pop();
                }
                l.last().copied()
            }) else {
                break None;
            };
            let h = csr.head(gf.arcs[next]);
            walk.push(next);
            if let Some(&k) = at.get(&h) {
                // A cycle: cancel it and walk on from h.
                let c = walk[k..]
                    .iter()
                    .map(|&i| gf.flow[i])
                    .fold(f64::INFINITY, f64::min);
                walk[k..].iter().for_each(|&i| gf.flow[i] -= c);
                for &i in &walk[k..] {
                    at.remove(&csr.head(gf.arcs[i]));
                }
                walk.truncate(k);
                at.insert(h, k);
            } else {
                at.insert(h, walk.len());
            }
            v = h;
        };
        let Some(j) = end else {
            break; // rounding left a trickle: no path to a sink
        };
        let left = &mut sink_left.get_mut(&v).expect("found above").1;
        let x = walk
            .iter()
            .map(|&i| gf.flow[i])
            .fold(out.min(*left), f64::min);
        walk.iter().for_each(|&i| gf.flow[i] -= x);
        *left -= x;
        out -= x;
        if !walk.is_empty() {
            paths.push((j, walk.iter().map(|&i| gf.arcs[i]).collect(), x));
        }
    }
    paths
}
