//! `corridor info NETWORK`: what a network holds, in a planner's terms.

use crate::load;
use crate::output::{Format, emit};
use anyhow::Result;
use corridor_io::report;
use corridor_model::results::InfoReport;
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
}

pub fn run(args: Args) -> Result<ExitCode> {
    let net = load::network(&args.network)?;
    let result = InfoReport::new(&net);
    let text = match args.format {
        Format::Text => report::info::text(&result),
        Format::Json => report::json(&result)?,
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
