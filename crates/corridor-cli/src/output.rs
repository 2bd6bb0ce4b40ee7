//! Where a command's result goes (stdout, or a file written atomically) and
//! the output formats the commands share.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `out` atomically (temporary file, then rename), or to
/// stdout when `out` is `None`.
pub fn emit(out: Option<&Path>, text: &str) -> Result<()> {
    match out {
        Some(path) => corridor_io::write_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .context("cannot write to stdout")?;
            if !text.ends_with('\n') {
                stdout.write_all(b"\n").context("cannot write to stdout")?;
            }
            Ok(())
        }
    }
}

/// Results that are tables or data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text tables.
    Text,
    /// The result as JSON (the same bytes the HTTP API and Python return).
    Json,
}

/// Results that can also be drawn on a map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MapFormat {
    /// Readable text tables.
    Text,
    /// The result as JSON (the same bytes the HTTP API and Python return).
    Json,
    /// A GeoJSON FeatureCollection for QGIS or geojson.io.
    Geojson,
}
