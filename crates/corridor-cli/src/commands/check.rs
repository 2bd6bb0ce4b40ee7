//! `corridor check NETWORK`: validate a network and list every problem.

use crate::output::emit;
use anyhow::{Context, Result};
use corridor_model::{Network, Severity};
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder or a TNTP `_net.tntp` file.
    pub network: PathBuf,
    /// Print the findings as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// One line of counts: nodes, links by layer, terminals, borders, commodities.
pub fn counts_line(net: &Network) -> String {
    let by_layer: Vec<String> = net
        .links_by_layer()
        .iter()
        .map(|(l, (n, _))| format!("{l} {n}"))
        .collect();
    format!(
        "{} nodes, {} links ({}), {} terminals, {} borders, {} commodities",
        net.nodes.len(),
        net.links.len(),
        if by_layer.is_empty() {
            "none".to_string()
        } else {
            by_layer.join(", ")
        },
        net.terminals.len(),
        net.borders.len(),
        net.commodities.len()
    )
}

pub fn run(args: Args) -> Result<ExitCode> {
    let loaded = corridor_io::read_network(&args.network)
        .with_context(|| format!("cannot read network {}", args.network.display()))?;
    let n_err = loaded.errors().count();
    let n_warn = loaded.diagnostics.len() - n_err;
    if args.json {
        let v = serde_json::json!({
            "network": args.network.display().to_string(),
            "nodes": loaded.network.nodes.len(),
            "links": loaded.network.links.len(),
            "links_by_layer": loaded.network.links_by_layer().iter()
                .map(|(l, (n, km))| serde_json::json!({"layer": l.to_string(), "links": n, "km": km}))
                .collect::<Vec<_>>(),
            "terminals": loaded.network.terminals.len(),
            "borders": loaded.network.borders.len(),
            "commodities": loaded.network.commodities.len(),
            "errors": n_err,
            "warnings": n_warn,
            "diagnostics": loaded.diagnostics.iter().map(|d| serde_json::json!({
                "severity": d.severity,
                "file": d.source.as_ref().map(|s| s.file.clone()),
                "line": d.source.as_ref().map(|s| s.line),
                "subject": d.subject,
                "field": d.field,
                "message": d.message,
                "text": d.to_string(),
            })).collect::<Vec<_>>(),
        });
        emit(None, &serde_json::to_string_pretty(&v)?)?;
    } else {
        let mut s = String::new();
        writeln!(
            s,
            "{}: {}",
            args.network.display(),
            counts_line(&loaded.network)
        )?;
        for d in loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            writeln!(s, "{d}")?;
        }
        for d in loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
        {
            writeln!(s, "{d}")?;
        }
        write!(s, "{n_err} error(s), {n_warn} warning(s)")?;
        emit(None, &s)?;
    }
    Ok(if n_err > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
