//! `corridor assign NETWORK --demand FILE ...`: user-equilibrium traffic
//! assignment (all-or-nothing, Frank–Wolfe, conjugate and bi-conjugate
//! Frank–Wolfe, Algorithm B) with link flows as CSV, a summary as text or JSON and the
//! convergence as an SVG plot.
//!
//! Road-like networks (TNTP, flow unit veh/h) are assigned as one class of
//! vehicles; freight networks (t/day) as one class per commodity on the
//! multimodal lowering, sharing the capacities of links, terminals and
//! borders (`assign_freight.rs` formats those results).
//!
//! The algorithms live in `corridor-graph` and the lowering in
//! `corridor-engine`; this file maps flags, draws the progress bar on a
//! terminal only and writes outputs (atomically).

use super::assign_freight;
use crate::load;
use crate::output::emit;
use anyhow::{Context, Result, bail};
use corridor_engine::Objective;
use corridor_engine::assign::{AssignOptions, AssignReport, assign};
use corridor_engine::assign_freight::{FreightOptions, assign_freight};
use corridor_graph::assignment::{IterationStat, Method};
use corridor_model::{FlowUnit, Network};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder or a TNTP `_net.tntp` file.
    pub network: PathBuf,
    /// Demand: a TNTP `_trips.tntp` file or a CSV `origin,destination,commodity,t_per_day`.
    #[arg(long)]
    pub demand: PathBuf,
    #[arg(long, value_enum, default_value_t = MethodArg::Bfw)]
    pub method: MethodArg,
    /// Stop at this relative gap.
    #[arg(long, default_value_t = 1e-5)]
    pub gap: f64,
    /// Stop after this many iterations (all-or-nothing loads).
    #[arg(long, default_value_t = 1000)]
    pub max_iter: usize,
    /// Threads for the shortest-path trees (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Scenario files to apply, in order, before lowering (repeatable).
    #[arg(long)]
    pub scenario: Vec<PathBuf>,
    /// Freight networks: each commodity's cost, as `route --minimize` defines
    /// it (generalised = money + value of time × hours + carbon price × CO2;
    /// only `time` and `generalised` feel congestion).
    /// (default: generalised).
    #[arg(long, alias = "objective", value_parser = parse_objective)]
    pub minimize: Option<Objective>,
    /// Generalised cost weight of the toll (TNTP networks' READMEs give it; most use 0).
    #[arg(long, default_value_t = 0.0)]
    pub toll_factor: f64,
    /// Generalised cost weight of the length.
    #[arg(long, default_value_t = 0.0)]
    pub distance_factor: f64,
    /// Write one row per link `from,to,flow,cost` (input order) to this CSV
    /// (freight networks: `kind,id,from,to,flow,cost,...` per link, terminal
    /// and border with a column per commodity).
    #[arg(long)]
    pub flows: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    /// Draw the relative gap against iteration and seconds (log scale) as SVG.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// All-or-nothing at free-flow cost.
    Aon,
    /// Frank–Wolfe.
    Fw,
    /// Conjugate Frank–Wolfe.
    Cfw,
    /// Bi-conjugate Frank–Wolfe.
    Bfw,
    /// Algorithm B (Dial 2006), bush-based: reaches far smaller gaps.
    Algb,
}

impl MethodArg {
    fn method(self) -> Method {
        match self {
            MethodArg::Aon => Method::AllOrNothing,
            MethodArg::Fw => Method::FrankWolfe,
            MethodArg::Cfw => Method::ConjugateFrankWolfe,
            MethodArg::Bfw => Method::BiconjugateFrankWolfe,
            MethodArg::Algb => Method::AlgorithmB,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
    /// Freight networks only: the network map with flows in the properties.
    Geojson,
}

fn parse_objective(s: &str) -> Result<Objective, String> {
    s.parse()
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.gap.is_nan() || args.gap < 0.0 {
        bail!("--gap {} must be a non-negative number", args.gap);
    }
    if args.threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    let mut net = load::network(&args.network)?;
    if !args.scenario.is_empty() {
        net = load::apply_scenarios(&net, &args.scenario)?.0;
    }
    let rows = corridor_io::demand::read_demand(&args.demand, &net)
        .with_context(|| format!("cannot read demand {}", args.demand.display()))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .expect("static template"),
        );
        b
    });
    let mut progress = |s: &IterationStat| {
        if let Some(b) = &bar {
            b.set_message(format!(
                "iteration {} relative gap {:.3e} objective {:.6e}",
                s.iteration, s.relative_gap, s.objective
            ));
            b.tick();
        }
    };
    if net.flow_unit == FlowUnit::TonnesPerDay {
        if args.toll_factor != 0.0 || args.distance_factor != 0.0 {
            bail!(
                "--toll-factor and --distance-factor weigh road-like (veh/h) networks; a freight network's costs come from --minimize"
            );
        }
        let demand = assign_freight::demand(&net, &rows)?;
        let opts = FreightOptions {
            method: args.method.method(),
            gap: args.gap,
            max_iter: args.max_iter,
            threads: args.threads,
            objective: args.minimize.unwrap_or(Objective::Generalised),
        };
        let report = assign_freight(&net, &demand, &opts, &mut progress)?;
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        if let Some(path) = &args.flows {
            emit(Some(path), &assign_freight::flows_csv(&net, &report))?;
        }
        if let Some(path) = &args.plot {
            emit(Some(path), &gap_svg(&report.history, opts.method)?)?;
        }
        let text = match args.format {
            SummaryFormat::Json => assign_freight::summary_json(&net, &report),
            SummaryFormat::Geojson => assign_freight::summary_geojson(&net, &report)?,
            SummaryFormat::Text => {
                assign_freight::summary_text(&net, &report, args.gap, rows.len())
            }
        };
        emit(None, &text)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(m) = args.minimize {
        bail!(
            "--minimize {m} applies to freight networks (t/day); this network's flow unit is {} and its cost is time + --toll-factor × toll + --distance-factor × length",
            net.flow_unit.as_str()
        );
    }
    if args.format == SummaryFormat::Geojson {
        bail!(
            "--format geojson needs a freight network (links without coordinates cannot be drawn)"
        );
    }
    let od: Vec<_> = rows
        .iter()
        .map(|r| (r.origin, r.destination, r.amount))
        .collect();
    let opts = AssignOptions {
        method: args.method.method(),
        gap: args.gap,
        max_iter: args.max_iter,
        threads: args.threads,
        toll_factor: args.toll_factor,
        distance_factor: args.distance_factor,
    };
    let report = assign(&net, &od, &opts, &mut progress)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Some(path) = &args.flows {
        emit(Some(path), &flows_csv(&net, &report))?;
    }
    if let Some(path) = &args.plot {
        emit(Some(path), &gap_svg(&report.history, opts.method)?)?;
    }
    let text = match args.format {
        SummaryFormat::Json => serde_json::json!({
            "method": opts.method.as_str(),
            "iterations": report.iterations,
            "relative_gap": report.relative_gap,
            "objective": report.objective,
            "seconds": report.seconds,
            "history": history_json(&report.history),
        })
        .to_string(),
        SummaryFormat::Text | SummaryFormat::Geojson => {
            summary_text(&net, &report, &opts, rows.len())
        }
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// The convergence as data (what `--plot` draws): one object per iteration
/// with the measured relative gap, the Beckmann objective and the seconds
/// since the start, so runs and methods can be compared without the SVG.
pub fn history_json(history: &[IterationStat]) -> serde_json::Value {
    history
        .iter()
        .map(|s| {
            serde_json::json!({
                "iteration": s.iteration,
                "relative_gap": s.relative_gap,
                "objective": s.objective,
                "seconds": s.seconds,
            })
        })
        .collect()
}

fn summary_text(net: &Network, r: &AssignReport, opts: &AssignOptions, n_rows: usize) -> String {
    let unit = match net.flow_unit {
        FlowUnit::VehiclesPerHour => "veh/h",
        FlowUnit::TonnesPerDay => "t/day",
    };
    let per_iter = if r.iterations > 0 {
        r.history.last().map_or(0.0, |s| s.seconds) / r.iterations as f64
    } else {
        0.0
    };
    let mut s = format!(
        "network {} ({} nodes, {} links), {n_rows} demand rows\nmethod {}: {} iterations, relative gap {:.3e} ({}), Beckmann objective {:.6}\n{:.3} s in total, {:.4} s per iteration",
        net.name,
        net.n_nodes(),
        net.n_links(),
        opts.method.as_str(),
        r.iterations,
        r.relative_gap,
        if r.converged {
            format!("target {:.0e} reached", opts.gap)
        } else {
            format!("target {:.0e} NOT reached", opts.gap)
        },
        r.objective,
        r.seconds,
        per_iter,
    );
    if r.unreachable_demand > 0.0 {
        s.push_str(&format!(
            "\nwarning: {:.3} {unit} of demand has no path and was not assigned",
            r.unreachable_demand
        ));
    }
    s
}

/// Quotes a CSV cell when it needs it.
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `from,to,flow,cost` per link in network order; networks that are not
/// TNTP (whose links are named by number) also get the link id first.
fn flows_csv(net: &Network, r: &AssignReport) -> String {
    let with_id = net.flow_unit != FlowUnit::VehiclesPerHour;
    let mut out = String::from(if with_id {
        "link,from,to,flow,cost\n"
    } else {
        "from,to,flow,cost\n"
    });
    for (i, l) in net.links.iter().enumerate() {
        if with_id {
            out.push_str(&cell(&l.source_id));
            out.push(',');
        }
        let cost = r.link_cost[i];
        out.push_str(&format!(
            "{},{},{},{}\n",
            cell(&net.node(l.from).source_id),
            cell(&net.node(l.to).source_id),
            r.link_flow[i],
            if cost.is_finite() {
                cost.to_string()
            } else {
                String::new()
            }
        ));
    }
    out
}

/// Relative gap against iteration (left) and seconds (right), log scale.
fn gap_svg(history: &[IterationStat], method: Method) -> Result<String> {
    use plotters::prelude::*;
    let pts: Vec<&IterationStat> = history.iter().filter(|s| s.relative_gap > 0.0).collect();
    let lo = pts
        .iter()
        .map(|s| s.relative_gap)
        .fold(f64::INFINITY, f64::min)
        .min(1e-1);
    let hi = pts
        .iter()
        .map(|s| s.relative_gap)
        .fold(0.0, f64::max)
        .max(lo * 10.0);
    let max_iter = pts.last().map_or(1.0, |s| s.iteration as f64).max(2.0);
    let max_sec = pts.last().map_or(1.0, |s| s.seconds).max(1e-3);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 420)).into_drawing_area();
        let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot draw the plot: {e}");
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (left, right) = root.split_horizontally(500);
        let panels: [(&DrawingArea<SVGBackend, _>, &str, f64); 2] =
            [(&left, "iteration", max_iter), (&right, "seconds", max_sec)];
        for (i, (area, xlabel, xmax)) in panels.into_iter().enumerate() {
            let mut chart = ChartBuilder::on(area)
                .caption(
                    format!("{} relative gap vs {xlabel}", method.as_str()),
                    ("sans-serif", 16),
                )
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(64)
                .build_cartesian_2d(0f64..xmax, (lo / 2.0..hi * 2.0).log_scale())
                .map_err(|e| err(&e))?;
            chart
                .configure_mesh()
                .x_desc(xlabel)
                .y_desc("relative gap")
                .y_label_formatter(&|v| format!("{v:.0e}"))
                .draw()
                .map_err(|e| err(&e))?;
            let series = pts.iter().map(|s| {
                let x = if i == 0 {
                    s.iteration as f64
                } else {
                    s.seconds
                };
                (x, s.relative_gap)
            });
            chart
                .draw_series(LineSeries::new(series.clone(), &BLUE))
                .map_err(|e| err(&e))?;
            chart
                .draw_series(series.map(|p| Circle::new(p, 3, BLUE.filled())))
                .map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}
