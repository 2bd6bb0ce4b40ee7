//! `corridor invest NETWORK --projects projects.toml --budget B --from ...
//! --to ...`: what each candidate project (a scenario with a cost) adds
//! to the capacity alone and per unit of cost, and the set within the
//! budget that adds most, with the method that found it.

use crate::choices::PLACE_FORMS;
use crate::commands::capacity::QueryArgs;
use crate::load;
use crate::output::{TableFormat, emit};
use anyhow::{Context, Result, bail};
use corridor_engine::answer;
use corridor_io::report;
use corridor_model::{InvestQuery, ProjectEntry, Scenario};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_long_help = PLACE_FORMS)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    /// The candidate projects: `[[projects]]` tables with name, scenario
    /// (a scenario file, relative to this file), cost and note.
    #[arg(long)]
    pub projects: PathBuf,
    /// The most the chosen projects may cost together (in the projects
    /// file's unit).
    #[arg(long, allow_negative_numbers = true)]
    pub budget: f64,
    #[command(flatten)]
    pub query: QueryArgs,
    /// Threads evaluating sets of projects side by side (default: all
    /// cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// How to print the result (CSV: one row per project).
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    super::one_thread_here(args.threads);
    let file = corridor_io::read_projects(&args.projects)
        .with_context(|| format!("cannot read projects {}", args.projects.display()))?;
    if let Some(out) = &args.out {
        let mut inputs = vec![args.network.as_path(), args.projects.as_path()];
        inputs.extend(file.projects.iter().map(|p| p.scenario.as_path()));
        crate::output::refuse_overwrite(&inputs, &[("--out", out)])?;
    }
    let base = load::network_with_commodity(&args.network)?;
    let paths: Vec<PathBuf> = file.projects.iter().map(|p| p.scenario.clone()).collect();
    let scenarios = load::scenarios(&paths, &base.vehicles)?;
    // Projects name their scenario by the name it has; two different
    // files of one name could not be told apart.
    for (i, (a, pa)) in scenarios.iter().zip(&paths).enumerate() {
        if let Some((_, pb)) = scenarios[..i]
            .iter()
            .zip(&paths)
            .find(|(b, pb)| b.name == a.name && *pb != pa)
        {
            bail!(
                "{} and {} are both scenario \"{}\"; give them distinct names ([scenario] name = ...)",
                pb.display(),
                pa.display(),
                a.name
            );
        }
    }
    let q = args.query.query(&base.vehicles, Vec::new())?;
    let query = InvestQuery {
        from: q.from,
        to: q.to,
        commodity: q.commodity,
        minimize: q.minimize,
        projects: file
            .projects
            .iter()
            .zip(&scenarios)
            .map(|(p, s): (_, &Scenario)| ProjectEntry {
                name: p.name.clone(),
                scenario: s.name.clone(),
                cost: p.cost,
                note: p.note.clone(),
            })
            .collect(),
        budget: args.budget,
        cost_unit: file.cost_unit,
        threads: args.threads,
    };
    let result = crate::progress::counted(
        "investment screening",
        "sets of projects evaluated",
        |progress| answer::invest(&base, &scenarios, &query, progress),
    )?;
    let text = match args.format {
        TableFormat::Text => report::invest::text(&result),
        TableFormat::Json => report::json(&result)?,
        TableFormat::Csv => report::invest::csv(&result)?,
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
