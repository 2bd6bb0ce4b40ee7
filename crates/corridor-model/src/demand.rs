//! Demand resolved against a network: what a demand file or an inline
//! demand list becomes once its places are nodes. The readers in
//! `corridor-io` produce it with file and line for each row; the engine
//! assigns it.

use crate::{DemandEntry, Network, NodeId, SourceRef};

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

impl DemandRow {
    /// The row in users' words (node ids), so that it is resolved again on
    /// another network: a scenario's edited copy, as `compare --demand`
    /// asks on every face.
    pub fn into_entry(self, network: &Network) -> DemandEntry {
        DemandEntry {
            origin: network.node(self.origin).source_id.to_string(),
            destination: network.node(self.destination).source_id.to_string(),
            commodity: Some(self.commodity),
            amount: self.amount,
        }
    }
}
