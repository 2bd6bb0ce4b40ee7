//! `corridor compare NETWORK --scenario S... --from ... --to ...`: the base
//! network and the network with the scenarios applied, side by side:
//! capacity and its ratio, bottlenecks that appeared or disappeared, the
//! best route before and after, the elements whose flow changed most.

use crate::choices::PLACE_FORMS;
use crate::commands::capacity::QueryArgs;
use crate::load;
use crate::output::{Format, emit};
use anyhow::Result;
use corridor_engine::answer;
use corridor_io::report;
use corridor_model::CompareQuery;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_long_help = PLACE_FORMS)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder or a TNTP `_net.tntp` file.
    pub network: PathBuf,
    /// Scenario file (repeatable; applied in order on top of each other).
    #[arg(long, required = true)]
    pub scenario: Vec<PathBuf>,
    #[command(flatten)]
    pub query: QueryArgs,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(out) = &args.out {
        let mut inputs = vec![args.network.as_path()];
        inputs.extend(args.scenario.iter().map(|p| p.as_path()));
        crate::output::refuse_overwrite(&inputs, &[("--out", out)])?;
    }
    let base = load::network_with_commodity(&args.network)?;
    let scenarios = load::scenarios(&args.scenario, &base.vehicles)?;
    let q = args.query.query(&base.vehicles, load::names(&scenarios))?;
    let query = CompareQuery {
        from: q.from,
        to: q.to,
        commodity: q.commodity,
        minimize: q.minimize,
        scenarios: q.scenarios,
    };
    let result = answer::compare(&base, &scenarios, &query)?;
    let text = match args.format {
        Format::Text => report::compare::text(&result, &base.currency),
        Format::Json => report::json(&result)?,
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
