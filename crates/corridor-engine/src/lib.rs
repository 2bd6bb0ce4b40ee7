//! placeholder until the routing engine lands

pub mod merge;
pub mod snap;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("unknown {kind} \"{id}\"")]
    UnknownId { kind: &'static str, id: String },
    #[error("{0}")]
    InvalidRequest(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
