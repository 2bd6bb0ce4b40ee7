//! `corridor build NETWORK --out FILE.corridor`: compile a network into the
//! binary file every command and the server load in a blink (format in
//! `corridor_io::compiled`, layout in docs/compiled-networks.md). A network
//! with errors is refused as every command refuses it; its warnings are
//! kept in the file so `corridor check FILE.corridor` still shows them.

use crate::load;
use crate::output::{commit, refuse_overwrite};
use anyhow::{Context, Result};
use corridor_io::Outputs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A `.toml` network file, a CSV bundle folder, a TNTP `_net.tntp` file
    /// or a compiled `.corridor` file.
    pub network: PathBuf,
    /// The compiled file to write (by convention `NAME.corridor`).
    #[arg(long)]
    pub out: PathBuf,
    /// Also store a nested-dissection order of the routing graph (section
    /// `CCHO`, 4 bytes per routing vertex), so `route --engine cch` and the
    /// server contract the hierarchy without ordering the network first
    /// (the ordering takes seconds on a million links).
    #[arg(long)]
    pub cch: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    refuse_overwrite(&[&args.network], &[("--out", &args.out)])?;
    let loaded = load::loaded(&args.network)?;
    // The routing lowering goes in too, so `route` on the file skips it.
    let lowering = corridor_engine::lower::stored_routing_lowering(&loaded.network);
    let order = match &lowering {
        Some(bytes) if args.cch => cch_order(&loaded.network, bytes)?,
        _ => None,
    };
    if args.cch && order.is_none() {
        eprintln!(
            "warning: no CCH order stored: the network's routing graph could not be stored \
             either, so routes lower and order it as for a source file"
        );
    }
    let bytes = corridor_io::compiled::to_bytes_with_stored(
        &loaded.network,
        &loaded.diagnostics,
        corridor_io::compiled::Stored {
            lowering: lowering.as_deref(),
            cch_order: order.as_deref(),
        },
    );
    let mut out = Outputs::new();
    out.file(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    commit(out)?;
    let net = &loaded.network;
    eprintln!(
        "wrote {} ({} nodes, {} links, {}, format version {}{})",
        args.out.display(),
        net.n_nodes(),
        net.n_links(),
        size(bytes.len()),
        corridor_io::compiled::FORMAT_VERSION,
        if order.is_some() {
            ", with a CCH order"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Section `CCHO`: the order of the lowering just stored, decoded back
/// from its bytes so that the order is of exactly what a reader gets.
fn cch_order(net: &corridor_model::Network, lowering: &[u8]) -> Result<Option<Vec<u8>>> {
    let lowered = corridor_engine::Lowered::from_stored(lowering, net)
        .map_err(|p| anyhow::anyhow!("the routing lowering just made does not read back: {p}"))?;
    Ok(lowered.map(|l| corridor_engine::hierarchy::stored_order_bytes(net, &l)))
}

/// A file size in kB or MB (decimal, as `ls -h --si`).
fn size(bytes: usize) -> String {
    let b = bytes as f64;
    if b < 1e6 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{:.1} MB", b / 1e6)
    }
}
