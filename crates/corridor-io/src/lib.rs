//! Every file format Corridor reads and writes.
//!
//! Readers turn files into a [`corridor_model::Network`] plus diagnostics;
//! writers turn networks and results into files. No algorithm lives here.

pub mod countries;
pub mod osm;
pub mod ports;
pub mod sea;

/// Errors reading or writing files. A broken record in a file that is
/// otherwise readable is a diagnostic, not an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file that cannot be imported, with the record (`line 42`,
    /// `way 123`, `feature 7`) when one is at fault.
    #[error("{file}: {}{message}", if .at.is_empty() { String::new() } else { format!("{}: ", .at) })]
    Import {
        file: String,
        at: String,
        message: String,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
