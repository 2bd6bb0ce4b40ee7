//! Where a command's result goes (stdout, or a file written atomically), the
//! guard against writing over an input, and the output formats the commands
//! share. Commands with several outputs stage them all in one
//! [`corridor_io::Outputs`] and commit once every one was written.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `merge`'s report in its output folder when `--report` is not given.
pub const MERGE_REPORT_FILE: &str = "merge-report.csv";

/// The files a bundle folder written by `import`, `merge` or `export` may
/// hold: the CSV bundle, the map, a TNTP import's demand and a merge's
/// report.
pub fn bundle_files() -> Vec<&'static str> {
    let mut v = corridor_io::BUNDLE_FILES.to_vec();
    v.extend(["network.geojson", "demand.csv", MERGE_REPORT_FILE]);
    v
}

/// `path` made absolute without requiring it to exist (its folder must,
/// for the comparison to see through links).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let parent = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => path.to_path_buf(),
    }
}

/// Refuses to write an output over one of the command's inputs, or to
/// replace a folder that holds one (`assign --flows demand.csv --demand
/// demand.csv` used to overwrite the demand).
pub fn refuse_overwrite(inputs: &[&Path], outputs: &[(&str, &Path)]) -> Result<()> {
    for &(flag, out) in outputs {
        let o = absolute(out);
        for &input in inputs {
            let i = absolute(input);
            if i == o {
                bail!(
                    "{flag} {} is an input of this command; write the result elsewhere",
                    out.display()
                );
            }
            if o.is_dir() && i.starts_with(&o) {
                bail!(
                    "{flag} {} holds the input {}; write the result elsewhere",
                    out.display(),
                    input.display()
                );
            }
        }
    }
    Ok(())
}

/// Commits staged outputs, saying which when it fails.
pub fn commit(out: corridor_io::Outputs) -> Result<()> {
    out.commit().context("cannot put the outputs in place")
}

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

/// Streams a result that grows with the network (a map) to stdout through
/// a buffer, ending it with a newline as [`emit`] does.
pub fn emit_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    write(&mut stdout)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush())
        .context("cannot write to stdout")
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
    /// A GeoPackage for QGIS and GDAL, one layer per kind of element
    /// (needs --out FILE.gpkg).
    Gpkg,
}

/// A command line that cannot work whatever the input files hold: `main`
/// exits 2 on it, as clap does on its own usage errors.
#[derive(Debug)]
pub struct Usage(pub &'static str);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Usage {}

/// `--format gpkg` without `--out`.
pub const GPKG_NEEDS_OUT: Usage = Usage("--format gpkg writes a file: give --out FILE.gpkg");

/// The file a `--format gpkg` result goes to: a GeoPackage is a database,
/// not text for a terminal, so `--out` is required.
pub fn gpkg_out(out: Option<&Path>) -> Result<&Path> {
    out.ok_or_else(|| GPKG_NEEDS_OUT.into())
}

/// Writes a binary result (a GeoPackage) to `path` atomically.
pub fn emit_file(path: &Path, bytes: &[u8]) -> Result<()> {
    corridor_io::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Results that are rankings or rows: read, parsed or put in a
/// spreadsheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Readable text tables.
    Text,
    /// The result as JSON (the same bytes the HTTP API and Python return).
    Json,
    /// Every row as CSV, with a header.
    Csv,
}
