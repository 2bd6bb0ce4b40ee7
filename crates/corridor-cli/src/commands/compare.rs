//! `corridor compare NETWORK --scenario S... --from ... --to ...`: the base
//! network and the network with the scenarios applied, side by side:
//! capacity and its ratio, bottlenecks that appeared or disappeared, the
//! best route before and after, the elements whose flow changed most.

use crate::commands::capacity::{QueryArgs, network_with_scenarios, thousands};
use crate::output::emit;
use anyhow::Result;
use corridor_engine::compare::RouteOutcome;
use corridor_engine::{Bottleneck, CompareReport, compare};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder or a TNTP `_net.tntp` file.
    pub network: PathBuf,
    /// Scenario file (repeatable; applied in order on top of each other).
    #[arg(long, required = true)]
    pub scenario: Vec<PathBuf>,
    #[command(flatten)]
    pub query: QueryArgs,
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let (base, edited, names) = network_with_scenarios(&args.network, &args.scenario)?;
    let query = args.query.resolve(&base)?;
    let report = compare(&base, &edited, &names, &query)?;
    let text = match args.format {
        CompareFormat::Text => compare_text(&report, &base.currency),
        CompareFormat::Json => serde_json::to_string_pretty(&report)?,
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn bottleneck_line(b: &Bottleneck, unit: &str) -> String {
    format!(
        "    {} {} ({}): {} {unit}, {:.1}% of the cut\n",
        b.kind,
        b.id,
        b.name,
        thousands(b.capacity),
        b.share * 100.0
    )
}

fn route_line(r: &RouteOutcome, currency: &str) -> String {
    match (&r.itinerary, &r.no_route) {
        (Some(it), _) => {
            let via: Vec<String> = it
                .legs
                .iter()
                .map(|l| match l.gauge {
                    Some(g) => format!("{} {g} {}→{}", l.mode, l.from, l.to),
                    None => format!("{} {}→{}", l.mode, l.from, l.to),
                })
                .collect();
            format!(
                "{:.2} {currency}/t, {:.1} h, {:.0} km: {}",
                it.totals.cost,
                it.totals.hours,
                it.totals.km,
                via.join(", ")
            )
        }
        (None, Some(why)) => format!("none ({why})"),
        (None, None) => "none".to_string(),
    }
}

/// The readable comparison.
pub fn compare_text(r: &CompareReport, currency: &str) -> String {
    let unit = &r.base.unit;
    let mut s = format!(
        "compare {} for {} from {} to {}\n",
        if r.scenarios.is_empty() {
            "base".to_string()
        } else {
            format!("base vs {}", r.scenarios.join(" + "))
        },
        r.base.commodity,
        r.base.from.join(", "),
        r.base.to.join(", ")
    );
    s += &format!(
        "  capacity: {} -> {} {unit}",
        thousands(r.base.max_flow),
        thousands(r.scenario.max_flow)
    );
    if let (Some(a), Some(b)) = (r.base.max_flow_mt_per_year, r.scenario.max_flow_mt_per_year) {
        s += &format!(" ({a:.2} -> {b:.2} Mt/year)");
    }
    match r.ratio {
        Some(x) => s += &format!("  × {x:.2}\n"),
        None => s += "  (the base carries nothing)\n",
    }
    for n in r
        .base
        .notes
        .iter()
        .map(|n| ("base", n))
        .chain(r.scenario.notes.iter().map(|n| ("scenario", n)))
    {
        s += &format!("  note ({}): {}\n", n.0, n.1);
    }
    if r.bottlenecks_appeared.is_empty() && r.bottlenecks_disappeared.is_empty() {
        s += "\nbottlenecks: unchanged\n";
    } else {
        if !r.bottlenecks_disappeared.is_empty() {
            s += "\nbottlenecks relieved (in the base cut, not in the scenario's)\n";
            for b in &r.bottlenecks_disappeared {
                s += &bottleneck_line(b, unit);
            }
        }
        if !r.bottlenecks_appeared.is_empty() {
            s += "\nnew bottlenecks (in the scenario's cut)\n";
            for b in &r.bottlenecks_appeared {
                s += &bottleneck_line(b, unit);
            }
        }
    }
    s += &format!(
        "\nbest route {} -> {} by {}\n  before: {}\n  after:  {}\n",
        r.base.from.first().map_or("", String::as_str),
        r.base.to.first().map_or("", String::as_str),
        r.base.minimize,
        route_line(&r.route_before, currency),
        route_line(&r.route_after, currency)
    );
    if !r.flow_changes.is_empty() {
        s += &format!("\nlargest flow changes ({unit})\n");
        for c in &r.flow_changes {
            s += &format!(
                "  {:>12}  {} {} ({}): {} -> {}\n",
                format!(
                    "{}{}",
                    if c.change > 0.0 { "+" } else { "" },
                    thousands(c.change)
                ),
                c.kind,
                c.id,
                c.name,
                thousands(c.before),
                thousands(c.after)
            );
        }
    }
    s
}
