//! The `corridor` binary: parses the command line, runs one command and
//! turns its outcome into an exit code. Exit 0 on success, 1 on bad input
//! or no route, 2 on usage errors (clap's own code), 130 when ctrl-c
//! stopped a long question (`progress.rs`).
//!
//! Each command lives in `commands/<name>.rs` with its clap `Args` and a
//! `run` function that parses arguments, builds a query, calls
//! `corridor_engine::answer` and picks a `corridor_io::report` writer; this
//! file only dispatches. Only this crate knows clap, terminals and exit
//! codes.

mod choices;
mod commands;
mod load;
mod output;
mod progress;

use clap::{Parser, Subcommand};

/// mimalloc (feature `mimalloc`): see docs/benchmarks.md for what it saves.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// Corridor: multimodal freight network planner.
#[derive(Debug, Parser)]
#[command(name = "corridor", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a network: counts by mode and gauge, every problem with file:line:field.
    Check(commands::check::Args),
    /// Summarise a network: nodes, links by mode and gauge, terminals, borders, commodities.
    Info(commands::info::Args),
    /// Best multimodal itinerary for a shipment (or every cost/time trade-off with --pareto).
    Route(commands::route::Args),
    /// Origin–destination matrix of route totals for one tonne (cost, hours, km, CO2).
    Skim(commands::skim::Args),
    /// How much a corridor can carry from origins to destinations, and what limits it.
    Capacity(commands::capacity::Args),
    /// Base network versus scenarios: capacity ratio, bottlenecks, best route, flow changes.
    Compare(commands::compare::Args),
    /// N−1: close each element in turn; maximum flow lost, cost change, connectivity, ranked.
    Criticality(commands::criticality::Args),
    /// Capacity with each scenario (or every combination, --grid) for every commodity.
    Sweep(commands::sweep::Args),
    /// Investment screening: capacity each project adds, and the best set within a budget.
    Invest(commands::invest::Args),
    /// Write a network as GeoJSON (for QGIS), TOML or a CSV bundle.
    Export(commands::export::Args),
    /// Build a network from open data (OpenStreetMap, sea lanes, port lists).
    Import(commands::import::Args),
    /// Stitch networks together, joining ports and terminals to land and sea layers.
    Merge(commands::merge::Args),
    /// Traffic assignment: user-equilibrium link flows for a demand (TNTP or Corridor networks).
    Assign(commands::assign::Args),
    /// Compile a network into one binary file (FILE.corridor) that every command loads fast.
    Build(commands::build::Args),
    /// Serve networks over HTTP: the JSON API and the map page.
    Serve(commands::serve::Args),
    /// System optimum: the cheapest way to move a demand within hard capacities, and what binds.
    Optimise(commands::optimise::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(a) => commands::check::run(a),
        Command::Info(a) => commands::info::run(a),
        Command::Route(a) => commands::route::run(a),
        Command::Skim(a) => commands::skim::run(a),
        Command::Export(a) => commands::export::run(a),
        Command::Import(a) => commands::import::run(a),
        Command::Merge(a) => commands::merge::run(a),
        Command::Assign(a) => commands::assign::run(a),
        Command::Optimise(a) => commands::optimise::run(a),
        Command::Capacity(a) => commands::capacity::run(a),
        Command::Compare(a) => commands::compare::run(a),
        Command::Criticality(a) => commands::criticality::run(a),
        Command::Sweep(a) => commands::sweep::run(a),
        Command::Invest(a) => commands::invest::run(a),
        Command::Serve(a) => commands::serve::run(a),
        Command::Build(a) => commands::build::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            // 128 + SIGINT, as a shell reports a command ctrl-c stopped.
            if e.is::<progress::Interrupted>() {
                ExitCode::from(130)
            } else if e.is::<output::Usage>() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
