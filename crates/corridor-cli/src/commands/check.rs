//! `corridor check NETWORK`: validate a network and list every problem.
//! Exit 1 when it has errors.

use crate::output::{Format, emit};
use anyhow::{Context, Result};
use corridor_io::report;
use corridor_model::results::CheckReport;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Same as `--format json` (kept for scripts written before `--format`).
    #[arg(long, hide = true)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let loaded = corridor_io::read_network(&args.network)
        .with_context(|| format!("cannot read network {}", args.network.display()))?;
    let result = CheckReport::new(
        &args.network.display().to_string(),
        &loaded.network,
        &loaded.diagnostics,
    );
    let text = if args.json || args.format == Format::Json {
        report::json(&result)?
    } else {
        report::check::text(&result)
    };
    emit(None, &text)?;
    Ok(if result.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
