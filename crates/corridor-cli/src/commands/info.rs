//! `corridor info NETWORK`: what a network holds, in a planner's terms.

use crate::load;
use crate::output::emit;
use anyhow::Result;
use corridor_model::{Mode, Network};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder or a TNTP `_net.tntp` file.
    pub network: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let net = load::network(&args.network)?;
    emit(None, &summary(&net)?)?;
    Ok(ExitCode::SUCCESS)
}

fn summary(net: &Network) -> Result<String> {
    let mut s = String::new();
    let unit = net.flow_unit.as_str();
    writeln!(
        s,
        "network {} (money in {}, capacities in {unit})",
        net.name, net.currency
    )?;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &net.nodes {
        *kinds.entry(n.kind.as_str()).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let closed = net.nodes.iter().filter(|n| !n.open).count();
    writeln!(
        s,
        "nodes: {} ({}){}",
        net.nodes.len(),
        kinds.join(", "),
        closed_note(closed)
    )?;
    writeln!(
        s,
        "links: {}{}",
        net.links.len(),
        closed_note(net.links.iter().filter(|l| !l.open).count())
    )?;
    writeln!(
        s,
        "  {:<10} {:>8} {:>12} {:>18}",
        "layer", "links", "km", "capacity (min-max)"
    )?;
    for (layer, (n, km)) in net.links_by_layer() {
        let caps: Vec<f64> = net
            .links
            .iter()
            .filter(|l| l.layer() == layer)
            .filter_map(|l| l.capacity_t_per_day)
            .collect();
        let cap = if caps.is_empty() {
            "-".to_string()
        } else {
            let (lo, hi) = caps
                .iter()
                .fold((f64::INFINITY, 0.0f64), |(a, b), &c| (a.min(c), b.max(c)));
            format!("{}-{}", fmt_num(lo), fmt_num(hi))
        };
        writeln!(
            s,
            "  {:<10} {:>8} {:>12.1} {:>18}",
            layer.to_string(),
            n,
            km,
            cap
        )?;
    }
    writeln!(
        s,
        "terminals: {}{}",
        net.terminals.len(),
        closed_note(net.terminals.iter().filter(|t| !t.open).count())
    )?;
    for t in &net.terminals {
        let pairs: Vec<String> = t
            .transfers
            .iter()
            .map(|(a, b)| format!("{a} <-> {b}"))
            .collect();
        writeln!(
            s,
            "  {:<28} at {:<20} {}; {} {}/t, {} h{}{}",
            t.source_id,
            net.node(t.node).source_id,
            pairs.join(", "),
            fmt_num(t.handling_cost_per_t),
            net.currency,
            fmt_num(t.hours),
            t.capacity_t_per_day
                .map(|c| format!(", {} {unit}", fmt_num(c)))
                .unwrap_or_default(),
            if t.open { "" } else { " [closed]" }
        )?;
    }
    writeln!(
        s,
        "borders: {}{}",
        net.borders.len(),
        closed_note(net.borders.iter().filter(|b| !b.open).count())
    )?;
    for b in &net.borders {
        let dwell: Vec<String> = Mode::ALL
            .iter()
            .filter(|m| *b.dwell_hours.get(**m) > 0.0)
            .map(|m| format!("{m} {} h", fmt_num(*b.dwell_hours.get(*m))))
            .collect();
        writeln!(
            s,
            "  {:<28} at {:<20} {}–{}; dwell {}; fee {} {}/t{}{}",
            b.source_id,
            net.node(b.node).source_id,
            b.countries[0],
            b.countries[1],
            if dwell.is_empty() {
                "0 h".to_string()
            } else {
                dwell.join(", ")
            },
            fmt_num(b.fee_per_t),
            net.currency,
            b.capacity_t_per_day
                .map(|c| format!(", {} {unit}", fmt_num(c)))
                .unwrap_or_default(),
            if b.open { "" } else { " [closed]" }
        )?;
    }
    let coms: Vec<String> = net
        .commodities
        .iter()
        .map(|c| {
            format!(
                "{} ({}, value of time {} {}/t·h)",
                c.source_id,
                c.class,
                fmt_num(c.value_of_time_per_t_h),
                net.currency
            )
        })
        .collect();
    write!(
        s,
        "commodities: {}",
        if coms.is_empty() {
            "none".to_string()
        } else {
            coms.join(", ")
        }
    )?;
    Ok(s)
}

fn closed_note(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {n} closed")
    }
}

/// Numbers without noise: integers plain, others to 2 decimals.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}
