//! The crate's one error type. It covers files that cannot be read or parsed
//! at all; a readable file with broken records is not an error but a list of
//! [`Diagnostic`]s (see [`crate::Loaded`]), which becomes [`Error::Invalid`]
//! only when a caller insists on a usable network.

use corridor_model::Diagnostic;
use std::path::PathBuf;

/// Why a file could not be read, parsed or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operating system refused (missing file, permissions, full disk).
    /// The OS message is part of this one's text and deliberately not a
    /// `source`, or an error chain would print it twice.
    #[error("{}: {os}", path.display())]
    Io { path: PathBuf, os: std::io::Error },
    /// The file is not valid TOML/CSV/JSON at all, so no record can be trusted.
    #[error("{file}:{line}: {message}")]
    Syntax {
        file: String,
        line: u64,
        message: String,
    },
    /// The file parsed but the network has error diagnostics; each is printed
    /// on its own line with its file, line and field.
    #[error("{file}: {} error(s) in the network:{}", count_errors(.diagnostics), list_errors(.diagnostics))]
    Invalid {
        file: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// A scenario file's edit is malformed (unknown action or attribute,
    /// bad value or unit); the line is the field's or the edit's.
    #[error("{file}:{line}: {message}")]
    Scenario {
        file: String,
        line: u64,
        message: String,
    },
    /// A projects file (`corridor invest --projects`) with a missing,
    /// unknown or bad key; the line is the key's or the project's.
    #[error("{file}:{line}: {message}")]
    Projects {
        file: String,
        line: u64,
        message: String,
    },
    /// Neither the extension nor the layout says which reader to use.
    #[error(
        "{}: unknown network format (expected a .toml file, a CSV folder with nodes.csv and links.csv, or a *_net.tntp file)",
        path.display()
    )]
    UnknownFormat { path: PathBuf },
    /// A compiled network (`corridor build`) that is foreign, stale (another
    /// format version), truncated or damaged; the problem says which.
    #[error("{}: {problem}", path.display())]
    Compiled { path: PathBuf, problem: String },
    /// A file a format requires is absent, e.g. `links.csv` in a CSV bundle.
    #[error("{}: missing ({what})", path.display())]
    MissingFile { path: PathBuf, what: String },
    /// An open-data file (OSM, sea lanes, ports, countries) that cannot be
    /// imported, with the record (`line 42`, `feature 7`, `byte 1234`)
    /// when one is at fault.
    #[error("{file}: {}{message}", if .at.is_empty() { String::new() } else { format!("{}: ", .at) })]
    Import {
        file: String,
        at: String,
        message: String,
    },
    /// A result that cannot be written in the asked form (GeoJSON of a
    /// network without coordinates, a plot the backend refuses).
    #[error("{0}")]
    Report(String),
}

fn count_errors(d: &[Diagnostic]) -> usize {
    d.iter().filter(|d| d.is_error()).count()
}

fn list_errors(d: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in d.iter().filter(|d| d.is_error()) {
        s.push('\n');
        s.push_str(&d.to_string());
    }
    s
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            os: source,
        }
    }
}

/// The whole of a text file. Invalid UTF-8 is a located [`Error::Syntax`]
/// (the line of the first bad byte) instead of the OS-style "stream did not
/// contain valid UTF-8".
pub(crate) fn read_utf8(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let ok = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        Error::Syntax {
            file: path.display().to_string(),
            line: 1 + ok.iter().filter(|&&b| b == b'\n').count() as u64,
            message: "not valid UTF-8 text (save the file as UTF-8)".into(),
        }
    })
}

/// A CSV reader's error as a located [`Error`], in words rather than the
/// `csv` crate's debug form.
pub(crate) fn from_csv(path: &std::path::Path, e: csv::Error) -> Error {
    let line = e.position().map_or(1, |p| p.line());
    let file = path.display().to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        kind => Error::Syntax {
            file,
            line,
            message: csv_message(&kind),
        },
    }
}

/// What a CSV error other than I/O means for the person who wrote the file.
pub(crate) fn csv_message(kind: &csv::ErrorKind) -> String {
    match kind {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not valid UTF-8 text (save the file as UTF-8)",
            err.field() + 1
        ),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("record has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        csv::ErrorKind::Io(io) => io.to_string(),
        other => format!("unreadable record ({other:?})"),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
