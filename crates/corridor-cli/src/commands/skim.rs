//! `corridor skim NETWORK --from A,B,... --to C,D,...`: the origin–
//! destination matrix of route totals for one tonne, as CSV or JSON.
//! Place lists are comma-separated or `@FILE` (one place per line), and an
//! unknown place is reported where it was written (the file and line).

use crate::choices;
use crate::load;
use crate::output::emit;
use anyhow::{Context, Result, anyhow, bail};
use corridor_engine::{Error, answer};
use corridor_io::report;
use corridor_model::{Objective, RoutingEngine, SkimQuery};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How to print the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SkimFormat {
    /// `from,to,cost,hours,km,co2_kg`, one row per pair; empty cells for
    /// an unreachable pair.
    Csv,
    /// The result as JSON (the same bytes the HTTP API and Python return).
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file (`corridor build`).
    pub network: PathBuf,
    /// Origins: `A,B,...` (node ids, names or UN/LOCODEs) or `@FILE` with
    /// one place per line (`lat,lon` places only in a file).
    #[arg(long)]
    pub from: String,
    /// Destinations, in the same forms as --from.
    #[arg(long)]
    pub to: String,
    /// Commodity id (default: the network's first commodity).
    #[arg(long)]
    pub commodity: Option<String>,
    /// What each pair's path minimises.
    #[arg(long, default_value = "cost", value_parser = choices::objective())]
    pub minimize: Objective,
    /// Apply this scenario file first (repeatable; applied in order).
    #[arg(long)]
    pub scenario: Vec<PathBuf>,
    /// Search engine: `dijkstra` (one search per origin, no preparation),
    /// `cch` (a customizable contraction hierarchy: prepares the network,
    /// then the whole matrix by buckets) or `auto` (`cch` from 200
    /// origins on, else `dijkstra`).
    #[arg(long, default_value = "dijkstra", value_parser = engine_choice())]
    pub engine: RoutingEngine,
    /// Sail every sea leg with this vessel class (as `route --vessel`);
    /// default: per pair the best class the commodity may use.
    #[arg(long)]
    pub vessel: Option<String>,
    /// How to print the matrix.
    #[arg(long, value_enum, default_value_t = SkimFormat::Csv)]
    pub format: SkimFormat,
    /// Write the matrix to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `--engine`'s values, by [`RoutingEngine::as_str`].
pub(crate) fn engine_choice() -> impl clap::builder::TypedValueParser<Value = RoutingEngine> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["dijkstra", "cch", "auto"]).map(|s| {
        match s.as_str() {
            "cch" => RoutingEngine::Cch,
            "auto" => RoutingEngine::Auto,
            _ => RoutingEngine::Dijkstra,
        }
    })
}

/// Places of one list, each with where it was written (for errors).
struct Places {
    names: Vec<String>,
    written: Vec<String>,
}

/// `A,B,...` or `@FILE`: one place per line, blank lines and `#` comments
/// skipped, a first line `place` or `id` taken as a header, quotes around
/// a place removed.
fn places(arg: &str, flag: &str) -> Result<Places> {
    let mut p = Places {
        names: Vec::new(),
        written: Vec::new(),
    };
    if let Some(file) = arg.strip_prefix('@') {
        let path = Path::new(file);
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {flag} list {}", path.display()))?;
        for (i, line) in text.lines().enumerate() {
            let place = line.trim().trim_matches('"').trim();
            let header = p.names.is_empty()
                && (place.eq_ignore_ascii_case("place") || place.eq_ignore_ascii_case("id"));
            if place.is_empty() || place.starts_with('#') || header {
                continue;
            }
            p.names.push(place.to_string());
            p.written.push(format!("{}:{}", path.display(), i + 1));
        }
        if p.names.is_empty() {
            bail!("{}: {flag} lists no place", path.display());
        }
    } else {
        for (i, place) in arg.split(',').enumerate() {
            let place = place.trim();
            if place.is_empty() {
                bail!("{flag}: place {} of \"{arg}\" is empty", i + 1);
            }
            p.names.push(place.to_string());
            p.written.push(format!("{flag} place {}", i + 1));
        }
    }
    Ok(p)
}

/// An engine error about `from[i]`/`to[i]` located where that place was written.
fn locate(e: Error, from: &Places, to: &Places) -> anyhow::Error {
    if let Error::InvalidQuery { field, message } = &e {
        let at = |list: &Places, prefix: &str| {
            field
                .strip_prefix(prefix)
                .and_then(|s| s.strip_suffix(']'))
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| list.written.get(i).cloned())
        };
        if let Some(w) = at(from, "from[").or_else(|| at(to, "to[")) {
            return anyhow!("{w}: {message}");
        }
    }
    e.into()
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(out) = &args.out {
        let mut inputs = vec![args.network.as_path()];
        inputs.extend(args.scenario.iter().map(|p| p.as_path()));
        crate::output::refuse_overwrite(&inputs, &[("--out", out)])?;
    }
    let from = places(&args.from, "--from")?;
    let to = places(&args.to, "--to")?;
    let base = load::network_with_commodity(&args.network)?;
    let scenarios = load::scenarios(&args.scenario, &base.vehicles)?;
    let query = SkimQuery {
        from: from.names.clone(),
        to: to.names.clone(),
        commodity: args.commodity,
        minimize: args.minimize,
        scenarios: load::names(&scenarios),
        engine: args.engine,
        vessel: args.vessel,
    };
    let net = answer::with_scenarios(&base, &scenarios, &query.scenarios)?;
    let result = answer::skim(&net, &query).map_err(|e| locate(e, &from, &to))?;
    let text = match args.format {
        SkimFormat::Csv => report::skim::csv(&result)?,
        SkimFormat::Json => report::json(&result)?,
    };
    emit(args.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
