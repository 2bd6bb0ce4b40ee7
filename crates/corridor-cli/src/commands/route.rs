//! `corridor route NETWORK --from A --to B ...`: the best itinerary for one
//! shipment, or with `--pareto` every itinerary not both dearer and slower
//! than another.

use crate::load;
use crate::output::{Format, emit};
use anyhow::{Result, anyhow, bail};
use corridor_engine::{Avoid, LowerConfig, Objective, RouteRequest, lower, route};
use corridor_model::{Network, NodeId};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder or a TNTP `_net.tntp` file.
    pub network: PathBuf,
    /// Origin: a node id or a node name.
    #[arg(long)]
    pub from: String,
    /// Destination: a node id or a node name.
    #[arg(long)]
    pub to: String,
    /// Commodity name (default: the network's first commodity).
    #[arg(long)]
    pub commodity: Option<String>,
    /// Shipment size in tonnes; money and CO2 totals are for all of it.
    #[arg(long, default_value_t = 1.0)]
    pub tonnes: f64,
    /// What to minimise.
    #[arg(long, default_value = "cost", value_parser = parse_objective)]
    pub minimize: Objective,
    /// List every non-dominated (cost, time) itinerary.
    #[arg(long)]
    pub pareto: bool,
    /// Pass through this node (repeatable, in order).
    #[arg(long)]
    pub via: Vec<String>,
    /// Never use this node, link, terminal, border or country code (repeatable).
    #[arg(long)]
    pub avoid: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Apply this scenario file first (repeatable; applied in order).
    #[arg(long)]
    pub scenario: Vec<PathBuf>,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn parse_objective(s: &str) -> Result<Objective, String> {
    s.parse()
}

/// Finds a node by id, then by id or name ignoring case.
pub fn resolve_node(net: &Network, s: &str) -> Result<NodeId> {
    if let Some(n) = net.node_id(s) {
        return Ok(n);
    }
    // `lat,lon` or a UN/LOCODE tag: snapped by corridor_engine::snap.
    if let Some((n, _)) = snapped(net, s) {
        return Ok(n);
    }
    let hits: Vec<NodeId> = (0..net.nodes.len())
        .map(NodeId::from_index)
        .filter(|&n| {
            let node = net.node(n);
            node.source_id.eq_ignore_ascii_case(s) || node.name.eq_ignore_ascii_case(s)
        })
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => {
            let lower = s.to_lowercase();
            let mut near: Vec<&str> = net
                .nodes
                .iter()
                .filter(|n| {
                    n.source_id.to_lowercase().contains(&lower)
                        || n.name.to_lowercase().contains(&lower)
                })
                .map(|n| n.source_id.as_str())
                .take(8)
                .collect();
            near.sort_unstable();
            if near.is_empty() {
                bail!("unknown node \"{s}\"")
            } else {
                bail!("unknown node \"{s}\" (did you mean {}?)", near.join(", "))
            }
        }
        many => {
            let ids: Vec<&str> = many
                .iter()
                .map(|&n| net.node(n).source_id.as_str())
                .collect();
            bail!(
                "\"{s}\" names several nodes ({}); give a node id",
                ids.join(", ")
            )
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut net = load::network(&args.network)?;
    load::ensure_commodity(&mut net)?;
    if !args.scenario.is_empty() {
        net = load::apply_scenarios(&net, &args.scenario)?.0;
    }
    let commodity = match &args.commodity {
        Some(c) => net.commodity_id(c).ok_or_else(|| {
            let known: Vec<&str> = net
                .commodities
                .iter()
                .map(|c| c.source_id.as_str())
                .collect();
            anyhow!(
                "unknown commodity \"{c}\" (this network has {})",
                known.join(", ")
            )
        })?,
        None => corridor_model::CommodityId(0),
    };
    let req = RouteRequest {
        from: resolve_node(&net, &args.from)?,
        to: resolve_node(&net, &args.to)?,
        commodity,
        tonnes: args.tonnes,
        objective: args.minimize,
        via: args
            .via
            .iter()
            .map(|v| resolve_node(&net, v))
            .collect::<Result<_>>()?,
        avoid: Avoid::resolve(&net, &args.avoid)?,
        pareto: args.pareto,
    };
    let lowered = lower(&net, &LowerConfig::default());
    let mut result = route(&net, &lowered, &req)?;
    let snap = [&args.from, &args.to].map(|p| snapped(&net, p).map(|x| x.1));
    if snap.iter().any(Option::is_some) {
        for it in &mut result.itineraries {
            it.snap_km = Some(snap.map(|k| k.unwrap_or(0.0)));
        }
    }
    let its = &result.itineraries;
    let text = match args.format {
        Format::Text => {
            let parts: Vec<String> = its
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    let head = if its.len() > 1 {
                        format!("itinerary {} of {}\n", i + 1, its.len())
                    } else {
                        String::new()
                    };
                    head + &corridor_io::itinerary_text(it, &net.currency)
                })
                .collect();
            parts.join("\n")
        }
        Format::Json => {
            let v = if args.pareto {
                corridor_io::itineraries_json(its)
            } else {
                corridor_io::itinerary_json(&its[0])
            };
            serde_json::to_string_pretty(&v)?
        }
        Format::Geojson => {
            let mut all = corridor_io::itinerary_geojson(&net, &its[0]);
            for (i, it) in its.iter().enumerate().skip(1) {
                let more = corridor_io::itinerary_geojson(&net, it);
                for mut f in more.features {
                    f.set_property("itinerary", i);
                    all.features.push(f);
                }
            }
            if its.len() > 1 {
                for f in all
                    .features
                    .iter_mut()
                    .take_while(|f| !f.contains_property("itinerary"))
                {
                    f.set_property("itinerary", 0);
                }
            }
            all.to_string()
        }
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// A place that only snapping resolves (`lat,lon`, a UN/LOCODE carried as
/// a tag), with the snap distance in km; `None` for node ids and names.
fn snapped(net: &Network, s: &str) -> Option<(NodeId, f64)> {
    if net.node_id(s).is_some() {
        return None;
    }
    let by_name = net
        .nodes
        .iter()
        .any(|n| n.source_id.eq_ignore_ascii_case(s) || n.name.eq_ignore_ascii_case(s));
    if by_name {
        return None;
    }
    corridor_engine::snap::resolve_place(net, s).ok()
}
