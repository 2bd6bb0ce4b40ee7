//! What `info` says about a network, in a planner's terms: nodes by kind,
//! links by layer with km and capacities, terminals, borders and
//! commodities. A map page shows the same (the bounding box is for it).

use crate::{Mode, Network};
use serde::Serialize;
use std::collections::BTreeMap;

/// Links, km and the range of capacities of one layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerInfo {
    /// `road`, `rail:1520`, ...
    pub layer: String,
    pub links: usize,
    pub km: f64,
    /// Smallest and largest link capacity in the layer, in the network's
    /// flow unit; `None` when no link of the layer has one.
    pub min_capacity: Option<f64>,
    pub max_capacity: Option<f64>,
}

/// One terminal and what it hands over.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TerminalInfo {
    pub id: String,
    pub name: String,
    pub node: String,
    /// Pairs of layers, `road <-> rail:1520`.
    pub transfers: Vec<String>,
    pub handling_cost_per_t: f64,
    pub hours: f64,
    pub capacity: Option<f64>,
    pub open: bool,
}

/// One border crossing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BorderInfo {
    pub id: String,
    pub name: String,
    pub node: String,
    pub countries: [String; 2],
    /// Dwell hours by mode, only the modes with a dwell.
    pub dwell_hours: BTreeMap<Mode, f64>,
    pub fee_per_t: f64,
    pub capacity: Option<f64>,
    pub open: bool,
}

/// One commodity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommodityInfo {
    pub id: String,
    pub class: String,
    pub value_of_time_per_t_h: f64,
}

/// The answer of `info`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InfoReport {
    pub network: String,
    pub currency: String,
    /// The unit of capacities and flows: `t/day` or `veh/h`.
    pub flow_unit: String,
    /// `[west, south, east, north]` in degrees; `None` without nodes.
    pub bbox: Option<[f64; 4]>,
    pub nodes: usize,
    pub nodes_by_kind: BTreeMap<String, usize>,
    pub closed_nodes: usize,
    pub links: usize,
    pub closed_links: usize,
    pub layers: Vec<LayerInfo>,
    pub terminals: Vec<TerminalInfo>,
    pub borders: Vec<BorderInfo>,
    pub commodities: Vec<CommodityInfo>,
}

impl InfoReport {
    /// Summarises `net`.
    pub fn new(net: &Network) -> Self {
        let mut nodes_by_kind: BTreeMap<String, usize> = BTreeMap::new();
        for n in &net.nodes {
            *nodes_by_kind
                .entry(n.kind.as_str().to_string())
                .or_default() += 1;
        }
        let bbox = net.nodes.iter().fold(None, |b: Option<[f64; 4]>, n| {
            let [w, s, e, no] = b.unwrap_or([n.lon, n.lat, n.lon, n.lat]);
            Some([w.min(n.lon), s.min(n.lat), e.max(n.lon), no.max(n.lat)])
        });
        let layers = net
            .links_by_layer()
            .into_iter()
            .map(|(layer, (links, km))| {
                let caps = net
                    .links
                    .iter()
                    .filter(|l| l.layer() == layer)
                    .filter_map(|l| l.capacity_t_per_day);
                let (lo, hi) =
                    caps.fold((None, None), |(lo, hi): (Option<f64>, Option<f64>), c| {
                        (
                            Some(lo.map_or(c, |x: f64| x.min(c))),
                            Some(hi.map_or(c, |x: f64| x.max(c))),
                        )
                    });
                LayerInfo {
                    layer: layer.to_string(),
                    links,
                    km,
                    min_capacity: lo,
                    max_capacity: hi,
                }
            })
            .collect();
        Self {
            network: net.name.clone(),
            currency: net.currency.clone(),
            flow_unit: net.flow_unit.as_str().to_string(),
            bbox,
            nodes: net.nodes.len(),
            nodes_by_kind,
            closed_nodes: net.nodes.iter().filter(|n| !n.open).count(),
            links: net.links.len(),
            closed_links: net.links.iter().filter(|l| !l.open).count(),
            layers,
            terminals: net
                .terminals
                .iter()
                .map(|t| TerminalInfo {
                    id: t.source_id.clone(),
                    name: t.name.clone(),
                    node: net.node(t.node).source_id.to_string(),
                    transfers: t
                        .transfers
                        .iter()
                        .map(|(a, b)| format!("{a} <-> {b}"))
                        .collect(),
                    handling_cost_per_t: t.handling_cost_per_t,
                    hours: t.hours,
                    capacity: t.capacity_t_per_day,
                    open: t.open,
                })
                .collect(),
            borders: net
                .borders
                .iter()
                .map(|b| BorderInfo {
                    id: b.source_id.clone(),
                    name: b.name.clone(),
                    node: net.node(b.node).source_id.to_string(),
                    countries: b.countries.clone(),
                    dwell_hours: Mode::ALL
                        .iter()
                        .map(|m| (*m, *b.dwell_hours.get(*m)))
                        .filter(|(_, h)| *h > 0.0)
                        .collect(),
                    fee_per_t: b.fee_per_t,
                    capacity: b.capacity_t_per_day,
                    open: b.open,
                })
                .collect(),
            commodities: net
                .commodities
                .iter()
                .map(|c| CommodityInfo {
                    id: c.source_id.clone(),
                    class: c.class.to_string(),
                    value_of_time_per_t_h: c.value_of_time_per_t_h,
                })
                .collect(),
        }
    }
}
