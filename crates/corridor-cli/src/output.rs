//! Where a command's result goes: stdout, or a file written atomically.

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

/// Output formats shared by the commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Geojson,
}
