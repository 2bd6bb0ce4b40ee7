//! `corridor assign NETWORK --demand FILE ...`: user-equilibrium traffic
//! assignment (all-or-nothing, Frank–Wolfe, conjugate and bi-conjugate
//! Frank–Wolfe, Algorithm B) with a summary as text or JSON, flows as CSV,
//! freight flows on the network map as GeoJSON or a GeoPackage and the
//! convergence as an SVG plot.
//!
//! Road-like networks (TNTP, veh/h) and freight networks (t/day, one class
//! per commodity) differ only inside the library
//! (`corridor_engine::answer::assign_rows`); this file reads the demand,
//! draws the progress bar on a terminal only and writes the outputs.

use crate::choices;
use crate::load;
use crate::output::{MapFormat, commit, emit, emit_with, gpkg_out, refuse_overwrite};
use anyhow::{Context, Result, bail};
use corridor_engine::answer;
use corridor_io::{Outputs, report};
use corridor_model::results::{AssignResult, IterationRecord};
use corridor_model::{AssignQuery, FlowUnit, Network, Objective};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    /// Demand: a TNTP `_trips.tntp` file or a CSV `origin,destination,commodity,t_per_day`.
    #[arg(long)]
    pub demand: PathBuf,
    /// The equilibrium algorithm.
    #[arg(long, default_value = "bfw", value_parser = choices::method())]
    pub method: String,
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
    /// Freight networks: each commodity's cost, as `route --minimize`
    /// defines it (only `time` and `generalised` feel congestion; default
    /// generalised).
    #[arg(long, alias = "objective", value_parser = choices::objective())]
    pub minimize: Option<Objective>,
    /// Freight networks with sea lanes: sail every sea leg with this vessel
    /// class (as `route --vessel`); default: per origin–destination pair the
    /// class `route` picks at zero load.
    #[arg(long)]
    pub vessel: Option<String>,
    /// Road-like networks: generalised cost weight of the toll (TNTP
    /// networks' READMEs give it; most use 0).
    #[arg(long, default_value_t = 0.0)]
    pub toll_factor: f64,
    /// Road-like networks: generalised cost weight of the length.
    #[arg(long, default_value_t = 0.0)]
    pub distance_factor: f64,
    /// Write one row per link `from,to,flow,cost` (input order) to this CSV
    /// (freight networks: `kind,id,from,to,flow,cost,...` per link, terminal
    /// and border with a column per commodity).
    #[arg(long)]
    pub flows: Option<PathBuf>,
    /// How to print the summary (`geojson`, `gpkg`: freight networks only,
    /// the network map with flows in the properties or columns).
    #[arg(long, value_enum, default_value_t = MapFormat::Text)]
    pub format: MapFormat,
    /// Write the summary to this file instead of stdout (required for
    /// `--format gpkg`); it lands together with --flows and --plot or not
    /// at all.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Draw the relative gap against iteration and seconds (log scale) as SVG.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    super::one_thread_here(args.threads);
    let query = AssignQuery {
        demand: Vec::new(),
        method: args.method.clone(),
        gap: args.gap,
        max_iter: args.max_iter,
        threads: args.threads,
        minimize: args.minimize,
        toll_factor: args.toll_factor,
        distance_factor: args.distance_factor,
        scenarios: Vec::new(),
        vessel: args.vessel.clone(),
    };
    answer::check_assign_knobs(&query)?;
    if args.format == MapFormat::Gpkg {
        gpkg_out(args.out.as_deref())?;
    }
    let mut inputs = vec![args.network.as_path(), args.demand.as_path()];
    inputs.extend(args.scenario.iter().map(|p| p.as_path()));
    let outputs: Vec<(&str, &Path)> = [
        ("--flows", &args.flows),
        ("--plot", &args.plot),
        ("--out", &args.out),
    ]
    .into_iter()
    .filter_map(|(flag, p)| p.as_deref().map(|p| (flag, p)))
    .collect();
    refuse_overwrite(&inputs, &outputs)?;
    let base = load::network(&args.network)?;
    let scenarios = load::scenarios(&args.scenario, &base.vehicles)?;
    let query = AssignQuery {
        scenarios: load::names(&scenarios),
        ..query
    };
    let net = answer::with_scenarios(&base, &scenarios, &query.scenarios)?;
    // The demand file names the edited network's nodes (a scenario may add some).
    let rows = corridor_io::demand::read_demand(&args.demand, &net)
        .with_context(|| format!("cannot read demand {}", args.demand.display()))?;
    answer::check_assign_network(&net, &query)?;
    let map = match args.format {
        MapFormat::Geojson => Some("geojson"),
        MapFormat::Gpkg => Some("gpkg"),
        MapFormat::Text | MapFormat::Json => None,
    };
    if let Some(map) = map
        && net.flow_unit != FlowUnit::TonnesPerDay
    {
        bail!("--format {map} needs a freight network (links without coordinates cannot be drawn)");
    }
    // A spinner with the latest gap, on a terminal only (quiet when piped).
    let bar = crate::progress::spinner("{spinner} {elapsed} {msg}");
    let mut progress = |s: &IterationRecord| {
        if let Some(b) = &bar {
            b.set_message(format!(
                "iteration {} relative gap {:.3e} objective {:.6e}",
                s.iteration, s.relative_gap, s.objective
            ));
            b.tick();
        }
    };
    let result = answer::assign_rows(&net, &query, &rows, &mut progress)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    write_outputs(&args, &result, &net)?;
    // The process ends here: freeing the result's rows, the demand rows
    // and the network one allocation at a time is work nobody waits for
    // (1.0 M instructions of a 70 M Anaheim run to 1e-4); the OS takes the
    // pages back at exit.
    std::mem::forget(result);
    std::mem::forget(rows);
    std::mem::forget(net);
    std::mem::forget(base);
    Ok(ExitCode::SUCCESS)
}

/// The flows CSV, the gap plot and the summary (text, JSON, GeoJSON or
/// GeoPackage): every file lands, or none.
fn write_outputs(args: &Args, result: &AssignResult, net: &Network) -> Result<()> {
    let mut out = Outputs::new();
    if let Some(path) = &args.flows {
        out.file_with(path, |w| {
            report::assign::write_flows_csv(result, w).map_err(std::io::Error::other)
        })
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.plot {
        let svg = report::assign::gap_svg(result.history(), result.method())?;
        out.file(path, svg.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let text = || -> Result<String> {
        Ok(match args.format {
            MapFormat::Text => report::assign::text(result, net),
            MapFormat::Json => report::json(result)?,
            MapFormat::Geojson => report::assign::geojson(result, net)?,
            MapFormat::Gpkg => return Err(crate::output::GPKG_NEEDS_OUT.into()),
        })
    };
    // The map grows with the network: streamed, never whole in memory.
    let map = |w: &mut dyn std::io::Write| {
        report::assign::write_geojson(result, net, w).map_err(std::io::Error::other)
    };
    match &args.out {
        Some(path) => {
            let staged = match args.format {
                MapFormat::Gpkg => out.file(path, &corridor_io::gpkg::assign(result, net)?),
                MapFormat::Geojson => out.file_with(path, map),
                _ => out.file(path, text()?.as_bytes()),
            };
            staged.with_context(|| format!("cannot write {}", path.display()))?;
            commit(out)?;
        }
        None if args.format == MapFormat::Geojson => {
            commit(out)?;
            emit_with(map)?;
        }
        None => {
            commit(out)?;
            emit(None, &text()?)?;
        }
    }
    Ok(())
}
