//! Demand resolved against a network: what a demand file or an inline
//! demand list becomes once its places are nodes. The readers in
//! `corridor-io` produce it with file and line for each row; the engine
//! assigns it.

use crate::{NodeId, SourceRef};

/// One demand row.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandRow {
    pub origin: NodeId,
    pub destination: NodeId,
    /// The commodity's id as written (`vehicles` for TNTP trips).
    pub commodity: String,
    /// In the network's flow unit.
    pub amount: f64,
    pub source: Option<SourceRef>,
}
