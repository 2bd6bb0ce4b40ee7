//! Loading a `NETWORK` argument for any command: read it in whatever
//! format it is, show warnings on stderr, refuse it with every error listed.

use anyhow::{Context, Result, bail};
use corridor_model::Network;
use std::path::Path;

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
