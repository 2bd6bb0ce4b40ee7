//! `corridor merge DIR... --out DIR [--snap-km 5]`: stitch imported
//! networks (OSM extracts, sea lanes, ports) into one, joining ports and
//! terminals to the layers of the other inputs within the snapping
//! distance, and report what was joined and what was left unconnected.
//!
//! The stitching is `corridor_engine::merge`; this file loads, labels,
//! writes and prints.

use crate::load;
use crate::output::{Format, emit};
use anyhow::Result;
use corridor_engine::merge::{MergeConfig, merge};
use corridor_io::report;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Networks to merge (CSV bundle folders, `.toml` files, ...).
    #[arg(required = true, num_args = 2..)]
    pub inputs: Vec<PathBuf>,
    /// Output folder (CSV bundle + network.geojson).
    #[arg(long)]
    pub out: PathBuf,
    /// Join a port or terminal to rail and road vertices within this many km.
    #[arg(long, default_value_t = 5.0)]
    pub snap_km: f64,
    /// Join a port to the nearest sea-lane vertex within this many km (sea
    /// lanes run offshore, so this reach is longer).
    #[arg(long, default_value_t = 100.0)]
    pub sea_snap_km: f64,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let paths: Vec<&std::path::Path> = args.inputs.iter().map(|p| p.as_path()).collect();
    crate::output::refuse_overwrite(&paths, &[("--out", &args.out)])?;
    let mut inputs = Vec::new();
    for p in &args.inputs {
        let label = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string());
        inputs.push((label, load::network(p)?));
    }
    let cfg = MergeConfig {
        snap_km: args.snap_km,
        sea_snap_km: args.sea_snap_km,
        ..MergeConfig::default()
    };
    let (net, result) = merge(inputs, &cfg)?;
    super::import::write(&net, &args.out)?;
    let text = match args.format {
        Format::Text => report::merge::text(&result, &args.out.display().to_string()),
        Format::Json => report::json(&result)?,
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
