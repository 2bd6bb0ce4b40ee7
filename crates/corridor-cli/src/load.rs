//! Loading a `NETWORK` argument for any command: read it in whatever
//! format it is, show warnings on stderr, refuse it with every error listed;
//! then apply `--scenario` files in order.

use anyhow::{Context, Result, bail};
use corridor_model::scenario::apply_all;
use corridor_model::{Commodity, CommodityClass, Network};
use std::path::{Path, PathBuf};

/// How many warnings to print before summarising the rest.
const MAX_WARNINGS: usize = 20;

/// Reads a network and fails (listing every error diagnostic) if it has
/// errors. Warnings go to stderr.
pub fn network(path: &Path) -> Result<Network> {
    let loaded = corridor_io::read_network(path)
        .with_context(|| format!("cannot read network {}", path.display()))?;
    let warnings: Vec<_> = loaded.warnings().collect();
    for w in warnings.iter().take(MAX_WARNINGS) {
        eprintln!("{w}");
    }
    if warnings.len() > MAX_WARNINGS {
        eprintln!(
            "... and {} more warnings (run `corridor check {}` to see all)",
            warnings.len() - MAX_WARNINGS,
            path.display()
        );
    }
    if loaded.has_errors() {
        let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
        bail!(
            "{} has {} error(s):\n{}",
            path.display(),
            errors.len(),
            errors.join("\n")
        );
    }
    Ok(loaded.network)
}

/// Applies scenario files to `base` in the order given. Returns the edited
/// network (a copy: the base is never changed) and the scenarios' names.
/// Fails on a scenario that does not read, and on an edited network with
/// errors (e.g. a terminal left claiming a layer whose links were removed).
pub fn apply_scenarios(base: &Network, scenarios: &[PathBuf]) -> Result<(Network, Vec<String>)> {
    let mut read = Vec::new();
    for s in scenarios {
        read.push(
            corridor_io::read_scenario(s, &base.vehicles)
                .with_context(|| format!("cannot read scenario {}", s.display()))?,
        );
    }
    let edited = apply_all(base, &read)?;
    let problems: Vec<String> = edited
        .validate()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    if !problems.is_empty() {
        bail!(
            "the network after the scenarios has {} error(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    Ok((edited, read.into_iter().map(|s| s.name).collect()))
}

/// Gives a network without commodities one, `general`, so that routes and
/// flows still run on it (e.g. a network imported from OpenStreetMap).
pub fn ensure_commodity(net: &mut Network) -> Result<()> {
    if net.commodities.is_empty() {
        net.add_commodity(Commodity::new("general", CommodityClass::General, 0.0))?;
    }
    Ok(())
}
