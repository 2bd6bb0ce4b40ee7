//! `corridor route NETWORK --from A --to B ...`: the best itinerary for one
//! shipment, or with `--pareto` every itinerary not both dearer and slower
//! than another.

use crate::choices::{self, PLACE_FORMS};
use crate::load;
use crate::output::{MapFormat, emit, emit_file, gpkg_out};
use anyhow::Result;
use corridor_engine::answer;
use corridor_io::report;
use corridor_model::{Objective, RouteQuery, RoutingEngine};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_long_help = PLACE_FORMS)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    /// Origin: a node id, a node name, a UN/LOCODE or `lat,lon`.
    #[arg(long)]
    pub from: String,
    /// Destination: a node id, a node name, a UN/LOCODE or `lat,lon`.
    #[arg(long)]
    pub to: String,
    /// Commodity id (default: the network's first commodity).
    #[arg(long)]
    pub commodity: Option<String>,
    /// Shipment size in tonnes; money and CO2 totals are for all of it.
    #[arg(long, default_value_t = 1.0)]
    pub tonnes: f64,
    /// What to minimise.
    #[arg(long, default_value = "cost", value_parser = choices::objective())]
    pub minimize: Objective,
    /// List every non-dominated (cost, time) itinerary, sorted by cost.
    #[arg(long)]
    pub pareto: bool,
    /// Pass through this place (repeatable, in order; same forms as --from).
    #[arg(long)]
    pub via: Vec<String>,
    /// Never use this node, link, terminal or border id, or any node of
    /// this country code (repeatable).
    #[arg(long)]
    pub avoid: Vec<String>,
    /// Sail every sea leg with this vessel class (handysize, supramax,
    /// panamax, capesize, feeder-container, large-container, river-sea);
    /// default: the best class the commodity may use. Only on sea lanes.
    #[arg(long)]
    pub vessel: Option<String>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = MapFormat::Text)]
    pub format: MapFormat,
    /// Apply this scenario file first (repeatable; applied in order).
    #[arg(long)]
    pub scenario: Vec<PathBuf>,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Search engine: `dijkstra`, `cch` (a customizable contraction
    /// hierarchy: orders and contracts the network, or contracts it in the
    /// order a file from `corridor build --cch` keeps, then customizes it
    /// for the commodity and objective) or `auto` (`dijkstra`: for one
    /// route the customization costs more than the search it saves).
    #[arg(long, default_value = "auto", value_parser = crate::commands::skim::engine_choice())]
    pub engine: RoutingEngine,
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
    let (base, stored, order) = load::network_for_routes_with_order(&args.network)?;
    let scenarios = load::scenarios(&args.scenario, &base.vehicles)?;
    let query = RouteQuery {
        from: args.from,
        to: args.to,
        commodity: args.commodity,
        tonnes: args.tonnes,
        minimize: args.minimize,
        pareto: args.pareto,
        via: args.via,
        avoid: args.avoid,
        scenarios: load::names(&scenarios),
        vessel: args.vessel,
        engine: args.engine,
    };
    let net = answer::with_scenarios(&base, &scenarios, &query.scenarios)?;
    let result = answer::route_with_stored_order(&base, stored.as_ref(), order, &net, &query)?;
    let text = match args.format {
        MapFormat::Text => report::route::text(&result, &net.currency),
        MapFormat::Json => report::json(&result)?,
        MapFormat::Geojson => report::route::geojson(&result, &net),
        MapFormat::Gpkg => {
            let bytes = corridor_io::gpkg::route(&result, &net)?;
            emit_file(gpkg_out(args.out.as_deref())?, &bytes)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    emit(args.out.as_deref(), &text)?;
    // The answer is written (and flushed): the process ends now, and
    // freeing a country-scale network and its lowering row by row (tens
    // of millions of small frees, about 3 % of a compiled 2M-link route)
    // only delays the exit; the kernel takes the pages back at once.
    std::mem::forget(net);
    std::mem::forget((base, stored));
    Ok(ExitCode::SUCCESS)
}
