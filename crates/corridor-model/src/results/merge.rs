//! What `merge` did: inputs, ids renamed, connectors joined, ports and
//! terminals left on one layer or unconnected.

use crate::Layer;
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

/// Writes `(a, b, ...)` tuples as objects with the given keys, so the JSON
/// says what each number is.
fn inputs<S: Serializer>(v: &[(String, usize, usize)], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Input<'a> {
        label: &'a str,
        nodes: usize,
        links: usize,
    }
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for (label, nodes, links) in v {
        seq.serialize_element(&Input {
            label,
            nodes: *nodes,
            links: *links,
        })?;
    }
    seq.end()
}

fn unconnected<S: Serializer>(v: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Unconnected<'a> {
        id: &'a str,
        why: &'a str,
    }
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for (id, why) in v {
        seq.serialize_element(&Unconnected { id, why })?;
    }
    seq.end()
}

fn one_layer<S: Serializer>(v: &[(String, Layer)], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct OneLayer<'a> {
        id: &'a str,
        layer: &'a Layer,
    }
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for (id, layer) in v {
        seq.serialize_element(&OneLayer { id, layer })?;
    }
    seq.end()
}

/// Counts of the merged network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergedCounts {
    pub nodes: usize,
    pub links: usize,
    pub terminals: usize,
    pub borders: usize,
}

/// One connector the merge added.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Joined {
    /// The port or terminal node id.
    pub node: String,
    pub layer: Layer,
    /// The vertex of the other input it was joined to.
    pub to: String,
    pub km: f64,
}

/// What the merge did, for the report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MergeReport {
    /// Per input: label, nodes, links.
    #[serde(serialize_with = "inputs")]
    pub inputs: Vec<(String, usize, usize)>,
    /// Ids prefixed because another input already used them.
    pub renamed: usize,
    pub joined: Vec<Joined>,
    /// Ports and terminals that reached no layer at all, with why.
    #[serde(serialize_with = "unconnected")]
    pub unconnected: Vec<(String, String)>,
    /// Ports and terminals on one layer only (e.g. a port reached by sea
    /// lanes with no land network near it): usable as an origin or
    /// destination on that layer, but no transfer there.
    #[serde(serialize_with = "one_layer")]
    pub one_layer: Vec<(String, Layer)>,
    /// The merged network's size.
    pub merged: MergedCounts,
}
