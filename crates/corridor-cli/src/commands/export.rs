//! `corridor export NETWORK --format geojson|toml|csv --out PATH`: write a
//! network in another format (GeoJSON for QGIS and geojson.io).

use crate::load;
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Geojson,
    Toml,
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder or a TNTP `_net.tntp` file.
    pub network: PathBuf,
    #[arg(long, value_enum, default_value_t = ExportFormat::Geojson)]
    pub format: ExportFormat,
    /// Output file (a folder for `csv`).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let net = load::network(&args.network)?;
    match args.format {
        ExportFormat::Geojson => {
            let fc = corridor_io::network_geojson(&net);
            crate::output::emit(Some(&args.out), &fc.to_string())?;
        }
        ExportFormat::Toml => corridor_io::write_toml(&net, &args.out)
            .with_context(|| format!("cannot write {}", args.out.display()))?,
        ExportFormat::Csv => corridor_io::write_csv_bundle(&net, &args.out)
            .with_context(|| format!("cannot write {}", args.out.display()))?,
    }
    eprintln!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
