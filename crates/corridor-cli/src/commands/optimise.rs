//! `corridor optimise NETWORK --demand FILE ...`: the system optimum, the
//! cheapest way to move a demand within hard capacities, with what cannot
//! move and what one more t/day of each binding capacity is worth; as
//! text, JSON, the flows CSV or the network map. The library
//! (`corridor_engine::answer::optimise_rows_traced`) does the work; this file
//! reads the demand and writes the outputs.

use crate::choices;
use crate::load;
use crate::output::{commit, emit, emit_with, refuse_overwrite};
use anyhow::{Context, Result};
use corridor_engine::answer;
use corridor_io::{Outputs, report};
use corridor_model::{Formulation, Objective, OptimiseQuery};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `optimise` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OptimiseFormat {
    /// Readable text tables.
    Text,
    /// The result as JSON (the same bytes the HTTP API and Python return).
    Json,
    /// The flows per element and commodity (what `--flows` writes).
    Csv,
    /// The network map with flows and shadow prices in the properties.
    Geojson,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file or a CSV bundle folder (a freight network).
    pub network: PathBuf,
    /// Demand: a CSV `origin,destination,commodity,t_per_day`.
    #[arg(long)]
    pub demand: PathBuf,
    /// Each commodity's cost per tonne, as `route --minimize` defines it.
    #[arg(long, alias = "objective", default_value = "generalised", value_parser = choices::objective())]
    pub minimize: Objective,
    /// Scenario files to apply, in order, before lowering (repeatable).
    #[arg(long)]
    pub scenario: Vec<PathBuf>,
    /// Cost of one t/day left unserved (default: a power of ten above any
    /// path's cost, so demand is left only where it cannot fit).
    #[arg(long)]
    pub unserved_penalty: Option<f64>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = OptimiseFormat::Text)]
    pub format: OptimiseFormat,
    /// Also write the flows per element and commodity to this CSV.
    #[arg(long)]
    pub flows: Option<PathBuf>,
    /// Which LP: the arc-node LP, path columns by column generation, or
    /// `auto` (arc-node while small, paths beyond; docs/optimise.md).
    #[arg(long, alias = "method", default_value = "auto", value_parser = choices::formulation())]
    pub formulation: Formulation,
    /// Stop column generation once (objective − lower bound) / |objective|
    /// is at most REL (e.g. 0.01): a feasible plan, not proven optimal
    /// (default: solve to the optimum; the arc-node LP always is).
    #[arg(long, value_name = "REL")]
    pub gap: Option<f64>,
    /// Stop column generation after the first master solve past this many
    /// seconds (default: no limit); the result says the gap reached.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Run this many steps of a Lagrangian ascent beside each master solve
    /// of column generation, for a tighter lower bound (and `--gap` proven
    /// sooner) when many origin–commodity groups share the capacities
    /// (default 0: the master's own bound; docs/optimise.md).
    #[arg(long, value_name = "N")]
    pub bound_steps: Option<usize>,
    /// Smooth column generation's prices towards those of the best lower
    /// bound so far, starting at weight ALPHA in [0, 1) (e.g. 0.5; default
    /// none): fewer master solves to a good plan when many
    /// origin–commodity groups share the capacities (docs/optimise.md).
    #[arg(long, value_name = "ALPHA")]
    pub smoothing: Option<f64>,
    /// Write the arc-node LP as arrays into this folder and stop
    /// (`bench/optimise.py` solves it with scipy).
    #[arg(long, hide = true)]
    pub write_lp: Option<PathBuf>,
    /// Print one line per solve of column generation's master to stderr
    /// (its columns, rows, simplex iterations, objective and bound).
    #[arg(long, short)]
    pub verbose: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let query = OptimiseQuery {
        demand: Vec::new(),
        minimize: args.minimize,
        unserved_penalty: args.unserved_penalty,
        formulation: args.formulation,
        gap: args.gap,
        time_limit_seconds: args.time_limit,
        bound_steps: args.bound_steps,
        smoothing: args.smoothing,
        scenarios: Vec::new(),
    };
    answer::optimise_config(&query)?;
    let mut inputs = vec![args.network.as_path(), args.demand.as_path()];
    inputs.extend(args.scenario.iter().map(|p| p.as_path()));
    let outputs: Vec<(&str, &Path)> = [("--flows", &args.flows), ("--write-lp", &args.write_lp)]
        .into_iter()
        .filter_map(|(flag, p)| p.as_deref().map(|p| (flag, p)))
        .collect();
    refuse_overwrite(&inputs, &outputs)?;
    let base = load::network(&args.network)?;
    let scenarios = load::scenarios(&args.scenario, &base.vehicles)?;
    let query = OptimiseQuery {
        scenarios: load::names(&scenarios),
        ..query
    };
    let net = answer::with_scenarios(&base, &scenarios, &query.scenarios)?;
    let rows = corridor_io::demand::read_demand(&args.demand, &net)
        .with_context(|| format!("cannot read demand {}", args.demand.display()))?;
    if let Some(dir) = &args.write_lp {
        let lp = answer::optimise_lp(&net, &query, &rows)?;
        lp.write_arrays(dir)
            .with_context(|| format!("cannot write {}", dir.display()))?;
        eprintln!(
            "wrote the arc-node LP ({} columns, {} rows, {} nonzeros) to {}",
            lp.n_cols(),
            lp.n_rows(),
            lp.nonzeros(),
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let result = answer::optimise_rows_traced(&net, &query, &rows, args.verbose)?;
    let mut out = Outputs::new();
    if let Some(path) = &args.flows {
        out.file_with(path, |w| {
            report::optimise::write_flows_csv(&result, w).map_err(std::io::Error::other)
        })
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    commit(out)?;
    let text = match args.format {
        OptimiseFormat::Text => report::optimise::text(&result, &net),
        OptimiseFormat::Json => report::json(&result)?,
        OptimiseFormat::Csv => report::optimise::flows_csv(&result)?,
        // The map grows with the network: streamed, never whole in memory.
        OptimiseFormat::Geojson => {
            return emit_with(|w| {
                report::optimise::write_geojson(&result, &net, w).map_err(std::io::Error::other)
            })
            .map(|()| ExitCode::SUCCESS);
        }
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
