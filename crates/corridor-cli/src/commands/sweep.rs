//! `corridor sweep NETWORK --scenarios S1,S2,... --from ... --to ...`: the
//! capacity question with each scenario alone (or, with `--grid`, every
//! combination, the base included) for every commodity; one row each with
//! the capacity, its ratio to the base and the first bottleneck.

use crate::choices::{self, PLACE_FORMS};
use crate::commands::capacity::endpoints;
use crate::load;
use crate::output::{TableFormat, emit};
use anyhow::Result;
use corridor_engine::answer;
use corridor_io::report;
use corridor_model::{Objective, SweepQuery};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_long_help = PLACE_FORMS)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    /// Scenario files, comma-separated (or repeated); with `--grid`
    /// combinations apply them in this order.
    #[arg(long, value_delimiter = ',', required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Every combination of the scenarios (at most 12 of them: 4096
    /// combinations), the base included, instead of each one alone.
    #[arg(long)]
    pub grid: bool,
    /// Origins, comma-separated places; `PLACE=LIMIT` caps an origin's
    /// supply.
    #[arg(long, value_delimiter = ',', required = true)]
    pub from: Vec<String>,
    /// Destinations, comma-separated places; `PLACE=LIMIT` caps what one
    /// absorbs.
    #[arg(long, value_delimiter = ',', required = true)]
    pub to: Vec<String>,
    /// Commodity ids, comma-separated (default: the network's first).
    #[arg(long, value_delimiter = ',')]
    pub commodity: Vec<String>,
    /// The cost that picks the cheapest among maximum flows.
    #[arg(long, default_value = "cost", value_parser = choices::objective())]
    pub minimize: Objective,
    /// Threads answering rows side by side (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    super::one_thread_here(args.threads);
    if let Some(out) = &args.out {
        let mut inputs = vec![args.network.as_path()];
        inputs.extend(args.scenarios.iter().map(|p| p.as_path()));
        crate::output::refuse_overwrite(&inputs, &[("--out", out)])?;
    }
    let base = load::network_with_commodity(&args.network)?;
    let scenarios = load::scenarios(&args.scenarios, &base.vehicles)?;
    let query = SweepQuery {
        from: endpoints(&args.from, &base.vehicles)?,
        to: endpoints(&args.to, &base.vehicles)?,
        commodities: args
            .commodity
            .into_iter()
            .filter(|c| !c.trim().is_empty())
            .collect(),
        minimize: args.minimize,
        scenarios: load::names(&scenarios),
        grid: args.grid,
        threads: args.threads,
        part: None,
    };
    let result = crate::progress::counted("sweep", "rows", |progress| {
        answer::sweep(&base, &scenarios, &query, progress)
    })?;
    let text = match args.format {
        TableFormat::Text => report::sweep::text(&result),
        TableFormat::Json => report::json(&result)?,
        TableFormat::Csv => report::sweep::csv(&result)?,
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
