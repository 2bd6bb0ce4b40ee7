//! Which reader a path needs, and the result every reader returns: a
//! network plus its diagnostics. Model-level checks (`Network::validate`)
//! are appended here once, so each format reader only reports what is wrong
//! with its own records. Readers for formats that live in other modules plug
//! into [`read_network`] at the dispatch point below.

use crate::{Error, Result};
use corridor_model::{Diagnostic, Network};
use std::path::Path;

/// A network as read, with every problem found, errors and warnings.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub network: Network,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Appends the model's own checks to what the reader found and orders
    /// everything by file and line, so users read problems top to bottom.
    pub fn new(network: Network, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.extend(network.validate());
        diagnostics.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.source
                    .as_ref()
                    .map(|s| (false, s.file.clone(), s.line))
                    .unwrap_or((true, String::new().into(), 0))
            };
            key(a).cmp(&key(b))
        });
        Self {
            network,
            diagnostics,
        }
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The network if it has no error diagnostics; warnings are dropped, so
    /// callers that want to show them should look before calling this.
    pub fn into_network(self) -> Result<Network> {
        if self.has_errors() {
            let file = self
                .errors()
                .find_map(|d| d.source.as_ref().map(|s| s.file.to_string()))
                .unwrap_or_else(|| self.network.name.clone());
            return Err(Error::Invalid {
                file,
                diagnostics: self.diagnostics,
            });
        }
        Ok(self.network)
    }
}

/// The network formats [`read_network`] can tell apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// A hand-written `.toml` network.
    Toml,
    /// A folder with `nodes.csv` and `links.csv`.
    CsvBundle,
    /// A TNTP `*_net.tntp` file (Transportation Networks for Research).
    Tntp,
    /// A compiled network written by `corridor build` (`.corridor`, or any
    /// file starting with its marker).
    Compiled,
}

/// Tells the format from the path alone: a folder is a CSV bundle, the
/// extension decides for files, and a file with another extension that
/// starts with the compiled-network marker is a compiled network.
pub fn detect_format(path: &Path) -> Result<Format> {
    if path.is_dir() {
        return Ok(Format::CsvBundle);
    }
    if !path.exists() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".toml") {
        Ok(Format::Toml)
    } else if name.ends_with(".tntp") {
        Ok(Format::Tntp)
    } else if name.ends_with(".corridor") || crate::compiled::looks_compiled(path) {
        Ok(Format::Compiled)
    } else {
        Err(Error::UnknownFormat {
            path: path.to_path_buf(),
        })
    }
}

/// Reads a network in any supported format. Every record is read; broken
/// ones are error diagnostics in the result, and only a file that cannot be
/// read or parsed at all is an `Err`.
pub fn read_network(path: &Path) -> Result<Loaded> {
    match detect_format(path)? {
        Format::Toml => crate::read_toml(path),
        Format::CsvBundle => crate::read_csv_bundle(path),
        Format::Tntp => read_tntp_network(path),
        Format::Compiled => crate::compiled::read(path),
    }
}

// ------------------------------------------------- dispatch to other modules
//
// Formats implemented in their own modules are wired in here, one function
// per format, so `read_network` stays a table of formats.

/// TNTP networks (`*_net.tntp`, with a `_node.tntp` sibling when present).
fn read_tntp_network(path: &Path) -> Result<Loaded> {
    crate::tntp::read_net(path)
}
