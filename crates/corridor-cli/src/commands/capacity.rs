//! `corridor capacity NETWORK --from A[,B...] --to C[,D...]`: how much the
//! network can carry from the origins to the destinations, what limits it
//! (the bottlenecks of a minimum cut) and how the cheapest maximum flow
//! spreads over the elements. Also the `--from`/`--to` flags `compare`
//! shares.

use crate::choices::{self, PLACE_FORMS};
use crate::load;
use crate::output::{MapFormat, emit, emit_file, gpkg_out};
use anyhow::{Result, anyhow};
use corridor_engine::answer;
use corridor_io::report;
use corridor_model::{CapacityQuery, Endpoint, Objective, Vehicles};
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
    /// Apply this scenario file first (repeatable; applied in order).
    #[arg(long)]
    pub scenario: Vec<PathBuf>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = MapFormat::Text)]
    pub format: MapFormat,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What `capacity` and `compare` ask of a network: between which places,
/// for which commodity, and which cost picks among maximum flows.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// Origins, comma-separated places; `PLACE=LIMIT` caps an
    /// origin's supply (e.g. `vinnytsia=2Mt/year`).
    #[arg(long, value_delimiter = ',', required = true)]
    pub from: Vec<String>,
    /// Destinations, comma-separated places; `PLACE=LIMIT` caps what one
    /// absorbs.
    #[arg(long, value_delimiter = ',', required = true)]
    pub to: Vec<String>,
    /// Commodity id (default: the network's first commodity).
    #[arg(long)]
    pub commodity: Option<String>,
    /// The cost that picks the cheapest among maximum flows (and, for
    /// `compare`, the best route).
    #[arg(long, default_value = "cost", value_parser = choices::objective())]
    pub minimize: Objective,
}

impl QueryArgs {
    /// The flags as a query in users' words; limits are read in planners'
    /// units with the network's vehicle payloads.
    pub fn query(&self, vehicles: &Vehicles, scenarios: Vec<String>) -> Result<CapacityQuery> {
        Ok(CapacityQuery {
            from: endpoints(&self.from, vehicles)?,
            to: endpoints(&self.to, vehicles)?,
            commodity: self.commodity.clone(),
            minimize: self.minimize,
            scenarios,
        })
    }
}

/// Turns `--from`/`--to` items (`place` or `place=LIMIT`) into endpoints.
pub(crate) fn endpoints(items: &[String], vehicles: &Vehicles) -> Result<Vec<Endpoint>> {
    items
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|item| match item.split_once('=') {
            Some((place, limit)) => {
                let limit = corridor_io::units::parse_capacity(limit, vehicles)
                    .map_err(|e| anyhow!("\"{item}\": limit: {e}"))?;
                Ok(Endpoint {
                    place: place.trim().to_string(),
                    limit: Some(limit),
                })
            }
            None => Ok(Endpoint::new(item.trim())),
        })
        .collect()
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.format == MapFormat::Gpkg {
        gpkg_out(args.out.as_deref())?;
    }
    if let Some(out) = &args.out {
        let mut inputs = vec![args.network.as_path()];
        inputs.extend(args.scenario.iter().map(|p| p.as_path()));
        crate::output::refuse_overwrite(&inputs, &[("--out", out)])?;
    }
    let base = load::network_with_commodity(&args.network)?;
    let scenarios = load::scenarios(&args.scenario, &base.vehicles)?;
    let query = args.query.query(&base.vehicles, load::names(&scenarios))?;
    let net = answer::with_scenarios(&base, &scenarios, &query.scenarios)?;
    let result = answer::capacity(&net, &query)?;
    let text = match args.format {
        MapFormat::Text => report::capacity::text(&result, &net.currency),
        MapFormat::Json => report::json(&result)?,
        MapFormat::Geojson => report::capacity::geojson(&result, &net),
        MapFormat::Gpkg => {
            let bytes = corridor_io::gpkg::capacity(&result, &net)?;
            emit_file(gpkg_out(args.out.as_deref())?, &bytes)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
