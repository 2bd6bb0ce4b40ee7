//! `corridor import tntp NET.tntp --out DIR`: a TNTP network (and its
//! `_trips.tntp` sibling, when present) as a Corridor CSV bundle plus a
//! demand CSV `demand.csv` (`origin,destination,commodity,t_per_day`,
//! amounts in the network's flow unit, veh/h). Reading and the model mapping
//! live in `corridor_io::tntp`; this file only wires the command.

use crate::output::{Format, emit};
use anyhow::{Context, Result};
use corridor_io::{report, tntp};
use corridor_model::results::{ImportSummary, TntpSummary};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct TntpArgs {
    /// A TNTP `_net.tntp` file.
    pub file: PathBuf,
    /// Output folder (CSV bundle + demand.csv).
    #[arg(long)]
    pub out: PathBuf,
    /// How to print the summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(a: TntpArgs) -> Result<ExitCode> {
    let net = crate::load::network(&a.file)?;
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    corridor_io::write_csv_bundle(&net, &a.out)
        .with_context(|| format!("cannot write {}", a.out.display()))?;
    let mut rows = 0;
    if let Some(trips) = tntp::sibling(&a.file, "trips").filter(|p| p.is_file()) {
        let demand = corridor_io::demand::read_demand(&trips, &net)?;
        corridor_io::demand::write_demand_csv(&demand, &net, &a.out.join("demand.csv"))?;
        rows = demand.len();
    }
    let summary = ImportSummary::Tntp(TntpSummary {
        network: net.name.clone(),
        nodes: net.n_nodes(),
        links: net.n_links(),
        demand_rows: rows,
        out: a.out.display().to_string(),
    });
    let text = match a.format {
        Format::Text => report::import::text(&summary),
        Format::Json => report::json(&summary)?,
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
