//! `corridor import tntp NET.tntp --out DIR`: a TNTP network (and its
//! `_trips.tntp` sibling, when present) as a Corridor CSV bundle plus a
//! demand CSV `demand.csv` (`origin,destination,commodity,t_per_day`,
//! amounts in the network's flow unit, veh/h). Reading and the model mapping
//! live in `corridor_io::tntp`; this file only wires the command.

use crate::output::{Format, bundle_files, commit, emit, refuse_overwrite};
use anyhow::{Context, Result};
use corridor_io::{Outputs, report, tntp};
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
    let trips = tntp::sibling(&a.file, "trips").filter(|p| p.is_file());
    let mut inputs: Vec<&std::path::Path> = vec![&a.file];
    inputs.extend(trips.as_deref());
    refuse_overwrite(&inputs, &[("--out", &a.out)])?;
    let net = crate::load::network(&a.file)?;
    // Everything is read before anything is written, and the folder only
    // lands once the bundle and the demand are both in it.
    let demand = match &trips {
        Some(t) => Some(corridor_io::demand::read_demand(t, &net)?),
        None => None,
    };
    let mut out = Outputs::new();
    let build = |out: &mut Outputs| -> corridor_io::Result<()> {
        let dir = out.dir(&a.out, &bundle_files())?;
        corridor_io::write_csv_bundle(&net, &dir)?;
        if let Some(d) = &demand {
            corridor_io::demand::write_demand_csv(d, &net, &dir.join("demand.csv"))?;
        }
        Ok(())
    };
    build(&mut out).with_context(|| format!("cannot write {}", a.out.display()))?;
    commit(out)?;
    let rows = demand.as_ref().map_or(0, Vec::len);
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
