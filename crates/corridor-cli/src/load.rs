//! Loading what commands name on the command line: a `NETWORK` argument in
//! whatever format it is (warnings to stderr, refused with every error
//! listed) and `--scenario` files. Applying scenarios is the library's
//! (`corridor_engine::answer::with_scenarios`).

use anyhow::{Context, Result, anyhow, bail};
use corridor_engine::Lowered;
use corridor_model::{Network, Scenario, Vehicles};
use std::path::{Path, PathBuf};

/// How many warnings to print before summarising the rest.
const MAX_WARNINGS: usize = 20;

/// Reads a network and fails (listing every error diagnostic) if it has
/// errors. Warnings go to stderr.
pub fn network(path: &Path) -> Result<Network> {
    loaded(path).map(|l| l.network)
}

/// [`network`] with the warnings kept (what `corridor build` stores).
pub fn loaded(path: &Path) -> Result<corridor_io::Loaded> {
    let loaded = corridor_io::read_network(path)
        .with_context(|| format!("cannot read network {}", path.display()))?;
    checked(path, loaded)
}

/// Warnings printed, errors refused.
fn checked(path: &Path, loaded: corridor_io::Loaded) -> Result<corridor_io::Loaded> {
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
    Ok(loaded)
}

/// Reads a network for routes and flows: one without commodities gets
/// `general` (see `corridor_engine::answer::ensure_commodity`).
pub fn network_with_commodity(path: &Path) -> Result<Network> {
    let mut net = network(path)?;
    corridor_engine::answer::ensure_commodity(&mut net)?;
    Ok(net)
}

/// [`network_with_commodity`] and, when `path` is a compiled file that
/// stores them, its routing lowering, so a route need not lower the network
/// again (`None` for other formats, and for a file whose lowering follows
/// other lowering rules: routes then lower as usual), and the
/// nested-dissection order of that lowering (`corridor build --cch`) for
/// the contraction hierarchy. An order that does not fit the lowering
/// (or without a lowering) is not used: a warning says so and the
/// hierarchy orders the network afresh when asked for.
pub fn network_for_routes_with_order(
    path: &Path,
) -> Result<(
    Network,
    Option<Lowered>,
    Option<Vec<corridor_engine::hierarchy::VertexIdx>>,
)> {
    if corridor_io::detect_format(path).ok() != Some(corridor_io::Format::Compiled) {
        return Ok((network_with_commodity(path)?, None, None));
    }
    let (loaded, (lowered, order)) =
        corridor_io::compiled::read_with_stored(path, |net, stored| {
            let lowered = match stored.lowering {
                Some(b) => Lowered::from_stored(b, net),
                None => Ok(None),
            };
            let order = match (stored.cch_order, &lowered) {
                (None, _) => None,
                (Some(b), Ok(Some(l))) => Some(corridor_engine::hierarchy::stored_order(b, l)),
                (Some(_), _) => Some(Err("the file keeps no routing lowering it fits".into())),
            };
            (lowered, order)
        })
        .with_context(|| format!("cannot read network {}", path.display()))?;
    let lowered = lowered.map_err(|problem| {
        anyhow!(
            "{}: damaged compiled network (its stored lowering: {problem}); build it \
             again with `corridor build`",
            path.display()
        )
    })?;
    let order = order.and_then(|o| {
        o.map_err(|problem| {
            eprintln!(
                "warning: {}: stored CCH order ignored ({problem}); the hierarchy orders \
                 the network afresh; build the file again with `corridor build --cch`",
                path.display()
            )
        })
        .ok()
    });
    let mut net = checked(path, loaded)?.network;
    corridor_engine::answer::ensure_commodity(&mut net)?;
    Ok((net, lowered, order))
}

/// Reads scenario files in the order given (vehicle counts in them use the
/// network's payloads).
pub fn scenarios(paths: &[PathBuf], vehicles: &Vehicles) -> Result<Vec<Scenario>> {
    paths
        .iter()
        .map(|s| {
            corridor_io::read_scenario(s, vehicles)
                .with_context(|| format!("cannot read scenario {}", s.display()))
        })
        .collect()
}

/// The scenarios' names, in order: what a query says to apply.
pub fn names(scenarios: &[Scenario]) -> Vec<String> {
    scenarios.iter().map(|s| s.name.clone()).collect()
}
