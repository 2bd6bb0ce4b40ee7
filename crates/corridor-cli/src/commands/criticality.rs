//! `corridor criticality NETWORK --from ... --to ...`: N−1 analysis. Each
//! element (or each of the chosen kinds) is closed in turn and the
//! capacity question asked again: maximum flow lost, change in the
//! cheapest cost, whether the origins still reach the destinations;
//! ranked, most critical first.

use crate::choices::PLACE_FORMS;
use crate::commands::capacity::QueryArgs;
use crate::load;
use crate::output::{TableFormat, emit};
use anyhow::Result;
use corridor_engine::answer;
use corridor_io::report;
use corridor_model::CriticalityQuery;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_long_help = PLACE_FORMS)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    #[command(flatten)]
    pub query: QueryArgs,
    /// Kinds of element to close, comma-separated: links, terminals,
    /// borders, nodes (default: all four).
    #[arg(long, value_delimiter = ',')]
    pub elements: Vec<String>,
    /// Apply this scenario file first (repeatable; applied in order).
    #[arg(long)]
    pub scenario: Vec<PathBuf>,
    /// Threads closing elements side by side (default: all cores); the
    /// result does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// How to print the result (CSV: every element, ranked).
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
        inputs.extend(args.scenario.iter().map(|p| p.as_path()));
        crate::output::refuse_overwrite(&inputs, &[("--out", out)])?;
    }
    let base = load::network_with_commodity(&args.network)?;
    let scenarios = load::scenarios(&args.scenario, &base.vehicles)?;
    let q = args.query.query(&base.vehicles, load::names(&scenarios))?;
    let query = CriticalityQuery {
        from: q.from,
        to: q.to,
        commodity: q.commodity,
        minimize: q.minimize,
        elements: args.elements,
        scenarios: q.scenarios,
        threads: args.threads,
        part: None,
    };
    let net = answer::with_scenarios(&base, &scenarios, &query.scenarios)?;
    let result = crate::progress::counted("criticality", "elements closed", |progress| {
        answer::criticality(&net, &query, progress)
    })?;
    let text = match args.format {
        TableFormat::Text => report::criticality::text(&result, &net.currency),
        TableFormat::Json => report::json(&result)?,
        TableFormat::Csv => report::criticality::csv(&result)?,
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
