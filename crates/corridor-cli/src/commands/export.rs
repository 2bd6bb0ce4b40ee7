//! `corridor export NETWORK --format geojson|toml|csv|gpkg --out PATH`:
//! write a network in another format (GeoJSON for QGIS and geojson.io, a
//! GeoPackage for QGIS and GDAL).

use crate::load;
use crate::output::{commit, refuse_overwrite};
use anyhow::{Context, Result};
use corridor_io::Outputs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Geojson,
    Toml,
    Csv,
    Gpkg,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    #[arg(long, value_enum, default_value_t = ExportFormat::Geojson)]
    pub format: ExportFormat,
    /// Output file (a folder for `csv`).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode> {
    refuse_overwrite(&[&args.network], &[("--out", &args.out)])?;
    let net = load::network(&args.network)?;
    let mut out = Outputs::new();
    let staged = match args.format {
        // Streamed feature by feature: memory does not grow with the map.
        ExportFormat::Geojson => {
            out.file_with(&args.out, |w| corridor_io::write_network_geojson(&net, w))
        }
        ExportFormat::Toml => {
            out.file(&args.out, corridor_io::network_toml_string(&net).as_bytes())
        }
        ExportFormat::Gpkg => {
            corridor_io::gpkg::network(&net).and_then(|b| out.file(&args.out, &b))
        }
        ExportFormat::Csv => out
            .dir(&args.out, &corridor_io::BUNDLE_FILES)
            .and_then(|dir| corridor_io::write_csv_bundle(&net, &dir)),
    };
    staged.with_context(|| format!("cannot write {}", args.out.display()))?;
    commit(out)?;
    eprintln!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
