//! `corridor compare NETWORK --scenario S... --from ... --to ...`: the base
//! network and the network with the scenarios applied, side by side:
//! capacity and its ratio, bottlenecks that appeared or disappeared, the
//! best route before and after, the elements whose flow changed most; with
//! `--demand`, the system optimum of that demand before and after.

use crate::choices::PLACE_FORMS;
use crate::commands::capacity::QueryArgs;
use crate::load;
use crate::output::{emit, emit_file, gpkg_out};
use anyhow::{Context, Result};
use corridor_engine::answer;
use corridor_io::report;
use corridor_model::{CompareQuery, OptimiseQuery};
use std::path::PathBuf;
use std::process::ExitCode;

/// What `compare` writes: the readable comparison, its JSON, or a
/// GeoPackage of the flows before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// Readable text tables.
    Text,
    /// The result as JSON (the same bytes the HTTP API and Python return).
    Json,
    /// A GeoPackage for QGIS and GDAL: flows before and after on the
    /// elements, the bottlenecks that changed, both routes (needs --out
    /// FILE.gpkg).
    Gpkg,
}

#[derive(Debug, clap::Args)]
#[command(after_long_help = PLACE_FORMS)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    /// Scenario file (repeatable; applied in order on top of each other).
    #[arg(long, required = true)]
    pub scenario: Vec<PathBuf>,
    #[command(flatten)]
    pub query: QueryArgs,
    /// Also compare the system optimum of this demand (CSV
    /// `origin,destination,commodity,t_per_day`; see `corridor optimise`),
    /// minimising `--minimize`.
    #[arg(long)]
    pub demand: Option<PathBuf>,
    /// With `--demand`: cost of one t/day left unserved (default: the
    /// larger of the two networks' defaults).
    #[arg(long, requires = "demand")]
    pub unserved_penalty: Option<f64>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The demand file as an optimise query in users' words (node ids), so
/// it is resolved again on the edited network.
fn optimum_query(
    args: &Args,
    base: &corridor_model::Network,
    path: &std::path::Path,
    minimize: corridor_model::Objective,
) -> Result<OptimiseQuery> {
    let rows = corridor_io::demand::read_demand(path, base)
        .with_context(|| format!("cannot read demand {}", path.display()))?;
    let demand = rows.into_iter().map(|r| r.into_entry(base)).collect();
    Ok(OptimiseQuery {
        demand,
        minimize,
        unserved_penalty: args.unserved_penalty,
        ..OptimiseQuery::default()
    })
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.format == CompareFormat::Gpkg {
        gpkg_out(args.out.as_deref())?;
    }
    if let Some(out) = &args.out {
        let mut inputs = vec![args.network.as_path()];
        inputs.extend(args.scenario.iter().map(|p| p.as_path()));
        inputs.extend(args.demand.as_deref());
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
        optimise: match &args.demand {
            Some(path) => Some(optimum_query(&args, &base, path, q.minimize)?),
            None => None,
        },
    };
    let result = answer::compare(&base, &scenarios, &query)?;
    let text = match args.format {
        CompareFormat::Text => report::compare::text(&result, &base.currency),
        CompareFormat::Json => report::json(&result)?,
        CompareFormat::Gpkg => {
            // The scenario's elements are drawn where the edited network has them.
            let edited = answer::with_scenarios(&base, &scenarios, &query.scenarios)?;
            let bytes = corridor_io::gpkg::compare(&result, &base, &edited)?;
            emit_file(gpkg_out(args.out.as_deref())?, &bytes)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
