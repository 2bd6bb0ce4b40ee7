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
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
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
    /// Neither the extension nor the layout says which reader to use.
    #[error(
        "{}: unknown network format (expected a .toml file, a CSV folder with nodes.csv and links.csv, or a *_net.tntp file)",
        path.display()
    )]
    UnknownFormat { path: PathBuf },
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
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
