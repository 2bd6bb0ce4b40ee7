//! The shortest-path total of the gap pass by RPHAST on a CCH, for demands
//! with many origins: a quick order ([`crate::cch::level_set_order`]),
//! contraction and customization at the costs being measured, then per origin an upward
//! search and a linear sweep over the destinations' elimination-tree
//! ancestors ([`crate::cch::Rphast`]), instead of one Dijkstra per origin.
//!
//! Zones that may not be passed through need nothing special here: the
//! caller lowers such a zone into an origin vertex with out-arcs only and
//! a destination vertex with in-arcs only, and a CCH's paths, like a
//! Dijkstra's, are made of input arcs, so none passes through either.
//!
//! The distances are a Dijkstra's within rounding (sums over the same arcs
//! in another order), so `sptt` is the Dijkstra pass's within about 1e-15
//! relative, not to the bit; the sums over destinations and blocks are in
//! the same fixed order, so `sptt` does not depend on the thread count.

use super::problem::Demand;
use crate::cch::{Cch, Rphast, RphastQuery, level_set_order};
use crate::csr::{Csr, VertexIdx};
use crate::shortest_path::INFINITY;
use rayon::prelude::*;

/// Origins swept together. The chains of a batch share their tops (the
/// big separators, which hold most of the upward edges), and the sweep
/// reads each edge once for the whole batch, the lanes vectorised. Sweeps
/// and upward searches of Berlin-Center's 865 origins, in instructions:
/// 8 lanes 437 million, 16 lanes 375 million (with the nested-dissection
/// order, before the upward searches were batched: 1 lane 602 million, 8
/// lanes 255 million). More lanes would outgrow the L2 cache: 16 lanes of
/// the selection's distances are 0.7 MB there.
const LANES: usize = 16;

/// The shortest-path total cost and the unreachable demand of `demand`
/// at arc costs `cost` (non-negative; infinite or NaN closes an arc), by
/// RPHAST: what [`super::aon::shortest_path_total`] returns with many
/// origins. The origins run in `blocks` blocks on the rayon pool, summed
/// in block order (fixed, so the sums do not depend on the threads).
pub(super) fn shortest_path_total_rphast(
    g: &Csr,
    cost: &[f64],
    demand: &Demand,
    blocks: usize,
) -> (f64, f64) {
    // The full nested dissection costs more than all the sweeps save
    // (1.7 billion instructions on Berlin-Center, against 1.0 billion for
    // the Dijkstras); the level-set order with flow cuts in big cells
    // costs 174 million.
    let cch = Cch::new(g, &level_set_order(g));
    let metric = cch.customize(cost);
    let mut targets: Vec<VertexIdx> = demand
        .origins
        .iter()
        .flat_map(|(o, dests)| {
            dests
                .iter()
                .filter(move |&&(d, f)| f > 0.0 && d != *o)
                .map(|&(d, _)| d)
        })
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let rphast = Rphast::new(&metric, &targets);
    sweep_all::<LANES>(&rphast, demand, blocks)
}

/// Every origin's shortest-path total and unreachable demand, `K` origins
/// per sweep.
fn sweep_all<const K: usize>(rphast: &Rphast<'_>, demand: &Demand, blocks: usize) -> (f64, f64) {
    let per_block = demand.origins.len().div_ceil(blocks.max(1)).max(1);
    let blocks: Vec<(f64, f64)> = demand
        .origins
        .par_chunks(per_block)
        .map_init(
            || (RphastQuery::<K>::default(), Vec::with_capacity(K)),
            |(q, batch), chunk| {
                let (mut sptt, mut lost) = (0.0, 0.0);
                let wanted = chunk
                    .iter()
                    .filter(|(o, dests)| dests.iter().any(|&(d, f)| f > 0.0 && d != *o));
                let mut wanted = wanted.peekable();
                while wanted.peek().is_some() {
                    batch.clear();
                    batch.extend(wanted.by_ref().take(K));
                    let sources: Vec<VertexIdx> = batch.iter().map(|(o, _)| *o).collect();
                    rphast.run(q, &sources);
                    for (lane, (o, dests)) in batch.iter().enumerate() {
                        for &(d, f) in dests.iter() {
                            if f.is_nan() || f <= 0.0 || d == *o {
                                continue;
                            }
                            let dist = rphast.dist(q, lane, d);
                            if dist < INFINITY {
                                sptt += f * dist;
                            } else {
                                lost += f;
                            }
                        }
                    }
                }
                (sptt, lost)
            },
        )
        .collect();
    let (mut sptt, mut lost) = (0.0, 0.0);
    for (s, l) in blocks {
        sptt += s;
        lost += l;
    }
    (sptt, lost)
}
