//! What `merge` did: inputs, ids renamed, the connector limits, connectors
//! joined and at what length, ports and terminals not joined (with the
//! nearest candidate beyond the limit), left on one layer or unconnected,
//! and land inputs no port joins to the sea.

use crate::{Layer, Mode};
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

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

/// The longest connector the merge may add, per mode it joins, km. A
/// port or terminal farther than this from every candidate stays unjoined
/// on that mode and is reported, never joined by a longer straight link.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ConnectorLimits {
    /// Port → sea lane (to the nearest point on a lane, not only a vertex).
    pub sea_km: f64,
    /// Port → river or canal (to the nearest point on a river link).
    pub river_km: f64,
    /// Port or terminal → rail vertex.
    pub rail_km: f64,
    /// Port or terminal → road vertex.
    pub road_km: f64,
}

impl Default for ConnectorLimits {
    /// 100 km to a sea lane: the searoute lanes run offshore and are
    /// coarse (Gdańsk is 30 km from the nearest lane, Tallinn 39 km, and
    /// 17 % of the World Port Index's coastal ports lie beyond 50 km, 3 %
    /// beyond 100 km); 15 km to a river, since the shipped waterway layer
    /// draws straight lines between ports that the river's bends leave up
    /// to about 10 km (Deggendorf lies 9.5 km off Regensburg–Passau), while
    /// a port farther than that is on another water; 5 km to land, the
    /// drayage a terminal's own siding or access road covers.
    fn default() -> Self {
        Self {
            sea_km: 100.0,
            river_km: 15.0,
            rail_km: 5.0,
            road_km: 5.0,
        }
    }
}

impl ConnectorLimits {
    /// The limit for joining `mode`.
    pub fn km(&self, mode: Mode) -> f64 {
        match mode {
            Mode::Sea => self.sea_km,
            Mode::River => self.river_km,
            Mode::Rail => self.rail_km,
            Mode::Road => self.road_km,
        }
    }
}

/// One connector the merge added.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Joined {
    /// The port or terminal node id.
    pub node: String,
    pub name: String,
    pub layer: Layer,
    /// The vertex of the other input it was joined to (for sea, a vertex
    /// the merge put on the lane at the point nearest the port).
    pub to: String,
    /// The connector's km: along its geometry when it follows the water.
    pub km: f64,
    /// For a connector that follows the water (`along water`: its
    /// straight line crossed land), the straight km to the same lane
    /// point; `None` for a straight connector.
    pub straight_km: Option<f64>,
}

/// A mode a port or terminal wanted and did not get: every candidate of
/// another input lies beyond the limit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unjoined {
    pub node: String,
    pub name: String,
    pub mode: Mode,
    /// The nearest candidate (a vertex; for sea, the lane link) and its
    /// great-circle km; `None` when no other input has that mode.
    pub nearest: Option<String>,
    pub nearest_km: Option<f64>,
    pub limit_km: f64,
}

/// A sea connector refused because its straight line crosses land: the
/// nearest lane point within the limit lies behind a coast (a river port
/// inland, a port on the far side of a peninsula).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OverLand {
    pub node: String,
    pub name: String,
    /// The lane link of the refused point and the refused connector's km.
    pub lane: String,
    pub km: f64,
    /// The km of the connector joined instead (to a lane point reached
    /// over water within the limit), `None` when there was none.
    pub joined_km: Option<f64>,
    /// Whether that connector follows the water (a path round the land,
    /// `joined_km` its length) rather than a straight line to a farther
    /// lane point.
    pub along_water: bool,
}

/// A land input that no port joins to the sea: routes from it cannot reach
/// a sea lane in the merged network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoSea {
    pub input: String,
    /// The nearest port joined to the sea and its km from the input's
    /// nearest rail or road vertex (`None` if no port is joined to the sea).
    pub nearest_port: Option<String>,
    pub km: Option<f64>,
}

/// What the merge did, for the report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MergeReport {
    /// Per input: label, nodes, links.
    #[serde(serialize_with = "inputs")]
    pub inputs: Vec<(String, usize, usize)>,
    /// Ids prefixed because another input already used them.
    pub renamed: usize,
    pub limits: ConnectorLimits,
    pub joined: Vec<Joined>,
    /// Modes wanted and not joined, nearest first: every sea lane, and
    /// river, rail and road when a candidate lies within ten times the
    /// limit.
    pub unjoined: Vec<Unjoined>,
    /// Per river or land mode, the ports and terminals farther than ten
    /// times the limit from every candidate (outside that layer's area).
    pub far_from_land: BTreeMap<Mode, usize>,
    /// Sea connectors refused because they would cross land, nearest
    /// first (empty when the merge had no land layer).
    pub over_land: Vec<OverLand>,
    /// The km at each end of a sea connector not tested against land
    /// (`None`: no land test).
    pub coast_km: Option<f64>,
    /// Land inputs no port joins to the sea.
    pub no_sea: Vec<NoSea>,
    /// Ports tagged as not for freight (marinas, sailing clubs,
    /// passenger-only piers): never joined to a sea lane or river.
    pub not_freight: Vec<String>,
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
