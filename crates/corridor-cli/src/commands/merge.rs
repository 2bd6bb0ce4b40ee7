//! `corridor merge DIR... --out DIR [--max-sea-km 100] [--max-rail-km 5]
//! [--max-road-km 5] [--countries FILE | --no-land-test] [--report FILE]`: stitch imported networks (OSM
//! extracts, sea lanes, ports) into one, joining ports and terminals to the
//! layers of the other inputs by connectors no longer than each mode's
//! limit, and report what was joined, at what length, and what was not.
//!
//! The stitching is `corridor_engine::merge`; this file loads, labels,
//! writes and prints.

use crate::load;
use crate::output::{Format, MERGE_REPORT_FILE as REPORT_FILE, emit};
use anyhow::{Result, bail};
use corridor_engine::merge::{ConnectorLimits, Land, MergeConfig, merge};
use corridor_io::countries::CountryIndex;
use corridor_io::report;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Networks to merge (CSV bundle folders, `.toml` files, ...).
    #[arg(required = true, num_args = 2..)]
    pub inputs: Vec<PathBuf>,
    /// Output folder (CSV bundle + network.geojson).
    #[arg(long)]
    pub out: PathBuf,
    /// Longest connector from a port to a sea lane, km (to the nearest
    /// point on a lane; lanes run offshore).
    #[arg(long, alias = "sea-snap-km", default_value_t = ConnectorLimits::default().sea_km)]
    pub max_sea_km: f64,
    /// Longest connector from a port to a river or canal, km (to the
    /// nearest point on a river link).
    #[arg(long, default_value_t = ConnectorLimits::default().river_km)]
    pub max_river_km: f64,
    /// Longest connector from a port or terminal to a rail vertex, km.
    #[arg(long, default_value_t = ConnectorLimits::default().rail_km)]
    pub max_rail_km: f64,
    /// Longest connector from a port or terminal to a road vertex, km.
    #[arg(long, default_value_t = ConnectorLimits::default().road_km)]
    pub max_road_km: f64,
    /// Country polygons a sea connector must not cross (Natural Earth
    /// admin-0 GeoJSON; default: the shipped world layer).
    #[arg(long, value_name = "FILE")]
    pub countries: Option<PathBuf>,
    /// Join ports to sea lanes without testing the connector against land.
    #[arg(long, conflicts_with = "countries")]
    pub no_land_test: bool,
    /// How many km of land a sea connector may cross (ports lie on, or a
    /// little inside, coarse coast lines); where a straight one is refused,
    /// a connector that follows the water may cross as much at the port's
    /// end, and its length along the water counts against --max-sea-km.
    #[arg(long, default_value_t = corridor_engine::merge::DEFAULT_COAST_KM)]
    pub coast_km: f64,
    /// Sets both --max-rail-km and --max-road-km.
    #[arg(long, conflicts_with_all = ["max_rail_km", "max_road_km"])]
    pub snap_km: Option<f64>,
    /// Where to write the report of connectors and of what was not joined
    /// (`.csv`, or `.json` for the whole report; default
    /// `OUT/merge-report.csv`).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn is_json(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

pub fn run(args: Args) -> Result<ExitCode> {
    let paths: Vec<&Path> = args.inputs.iter().map(|p| p.as_path()).collect();
    crate::output::refuse_overwrite(&paths, &[("--out", &args.out)])?;
    if let Some(r) = &args.report {
        crate::output::refuse_overwrite(&paths, &[("--report", r)])?;
        if r.parent().is_some_and(|d| d == args.out) {
            bail!(
                "--report {}: the --out folder gets {REPORT_FILE} already; write the report elsewhere or leave --report out",
                r.display()
            );
        }
    }
    let limits = ConnectorLimits {
        sea_km: args.max_sea_km,
        river_km: args.max_river_km,
        rail_km: args.snap_km.unwrap_or(args.max_rail_km),
        road_km: args.snap_km.unwrap_or(args.max_road_km),
    };
    for (flag, km) in [
        ("--max-sea-km", limits.sea_km),
        ("--max-river-km", limits.river_km),
        ("--max-rail-km", limits.rail_km),
        ("--max-road-km", limits.road_km),
        ("--coast-km", args.coast_km),
    ] {
        if !(km.is_finite() && km >= 0.0) {
            bail!("{flag} {km}: expected a length in km, 0 or more");
        }
    }
    let mut inputs = Vec::new();
    for p in &args.inputs {
        let label = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string());
        inputs.push((label, load::network(p)?));
    }
    let land = if args.no_land_test {
        None
    } else {
        let countries = match &args.countries {
            Some(p) => CountryIndex::from_path(p)?,
            None => CountryIndex::shipped(),
        };
        Some(Arc::new(Land::new(
            countries
                .countries()
                .iter()
                .flat_map(|c| c.shape.0.iter().cloned()),
        )))
    };
    let cfg = MergeConfig {
        limits,
        land,
        coast_km: args.coast_km,
        ..MergeConfig::default()
    };
    let (net, result) = merge(inputs, &cfg)?;
    // The report goes into the output folder unless --report says where.
    let mut extra = Vec::new();
    let mut elsewhere = None;
    match &args.report {
        Some(p) if is_json(p) => elsewhere = Some((p, report::json(&result)?)),
        Some(p) => elsewhere = Some((p, report::merge::csv(&result)?)),
        None => extra.push((REPORT_FILE, report::merge::csv(&result)?)),
    }
    super::import::write_with(&net, &args.out, &extra, |staged| match &elsewhere {
        Some((p, body)) => staged.file(p, body.as_bytes()),
        None => Ok(()),
    })?;
    let text = match args.format {
        Format::Text => report::merge::text(&result, &args.out.display().to_string()),
        Format::Json => report::json(&result)?,
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
