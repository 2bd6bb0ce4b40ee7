//! Stitching networks built from different sources (OSM extracts, sea
//! lanes, port lists) into one: ports and terminals are joined to the
//! nearest vertex of each layer they lack in another input, within a
//! snapping distance, and their terminals get the transfers between the
//! layers they now reach.
//!
//! It copies and connects; it reads no files and changes no attribute of
//! the links it copies. Ids that clash between inputs are prefixed with the
//! input's label and reported.

use crate::snap::SnapIndex;
use corridor_model::{
    Layer, Link, LinkId, Mode, Network, NodeId, NodeKind, Terminal, network::haversine_km,
};
use std::collections::{BTreeMap, BTreeSet};

/// How far to reach when joining layers.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeConfig {
    /// Land layers (rail, road): a port or terminal joins a vertex of
    /// another input within this many km.
    pub snap_km: f64,
    /// Sea lanes are a coarse offshore graph (searoute's vertices lie off
    /// the coast), so a port may reach further for its sea vertex.
    pub sea_snap_km: f64,
    /// Handling parameters of terminals the merge creates.
    pub handling_cost_per_t: f64,
    pub handling_hours: f64,
    pub handling_co2_kg_per_t: f64,
}

impl Default for MergeConfig {
    fn default() -> Self {
        Self {
            snap_km: 5.0,
            sea_snap_km: 100.0,
            handling_cost_per_t: 3.0,
            handling_hours: 12.0,
            handling_co2_kg_per_t: 1.0,
        }
    }
}

pub use corridor_model::results::{Joined, MergeReport, MergedCounts};

/// Merges labelled networks. The first input gives the merged network its
/// name, currency, defaults and vehicles.
pub fn merge(
    inputs: Vec<(String, Network)>,
    cfg: &MergeConfig,
) -> crate::Result<(Network, MergeReport)> {
    let mut report = MergeReport::default();
    let (mut out, input_of) = copy_inputs(&inputs, &mut report)?;
    let candidates = join_layers(&mut out, &input_of, cfg, &mut report)?;
    give_transfers(&mut out, &candidates, cfg, &mut report)?;
    report.merged = MergedCounts {
        nodes: out.n_nodes(),
        links: out.n_links(),
        terminals: out.terminals.len(),
        borders: out.borders.len(),
    };
    Ok((out, report))
}

/// Every input's elements in one network, ids that clash prefixed with the
/// input's label; with the input each node came from.
fn copy_inputs(
    inputs: &[(String, Network)],
    report: &mut MergeReport,
) -> crate::Result<(Network, Vec<usize>)> {
    let mut out = match inputs.first() {
        Some((_, n)) => {
            let mut m = Network::new(&n.name);
            m.currency = n.currency.clone();
            m.flow_unit = n.flow_unit;
            m.defaults = n.defaults.clone();
            m.vehicles = n.vehicles;
            m.carbon_price_per_t = n.carbon_price_per_t;
            m
        }
        None => return Err(crate::Error::InvalidRequest("nothing to merge".into())),
    };
    let mut input_of: Vec<usize> = Vec::new();
    for (k, (label, net)) in inputs.iter().enumerate() {
        report
            .inputs
            .push((label.clone(), net.n_nodes(), net.n_links()));
        let mut unique = |id: &mut String, taken: bool| {
            if taken {
                *id = format!("{label}/{id}");
                report.renamed += 1;
            }
        };
        let mut node_map = Vec::with_capacity(net.n_nodes());
        for n in &net.nodes {
            let mut n = n.clone();
            let taken = out.node_id(&n.source_id).is_some();
            unique(&mut n.source_id, taken);
            node_map.push(out.add_node(n).map_err(model_err)?);
            input_of.push(k);
        }
        for l in &net.links {
            let mut l = l.clone();
            l.from = node_map[l.from.index()];
            l.to = node_map[l.to.index()];
            let taken = out.link_id(&l.source_id).is_some();
            unique(&mut l.source_id, taken);
            out.add_link(l).map_err(model_err)?;
        }
        for t in &net.terminals {
            let mut t = t.clone();
            t.node = node_map[t.node.index()];
            let taken = out.terminal_id(&t.source_id).is_some();
            unique(&mut t.source_id, taken);
            out.add_terminal(t).map_err(model_err)?;
        }
        for b in &net.borders {
            let mut b = b.clone();
            b.node = node_map[b.node.index()];
            let taken = out.border_id(&b.source_id).is_some();
            unique(&mut b.source_id, taken);
            out.add_border(b).map_err(model_err)?;
        }
        for c in &net.commodities {
            if out.commodity_id(&c.source_id).is_none() {
                out.add_commodity(c.clone()).map_err(model_err)?;
            }
        }
    }
    Ok((out, input_of))
}

/// Joins every port and terminal to the nearest vertex of each mode it
/// lacks in another input (rail once per gauge) with a connector link.
/// Returns the ports and terminals.
fn join_layers(
    out: &mut Network,
    input_of: &[usize],
    cfg: &MergeConfig,
    report: &mut MergeReport,
) -> crate::Result<Vec<NodeId>> {
    // Layers at each node, and which inputs each node already reaches per mode.
    let layers = out.layers_at_nodes();
    let mut reaches: Vec<BTreeSet<(Mode, usize)>> = vec![BTreeSet::new(); out.n_nodes()];
    for l in &out.links {
        let (a, b) = (l.from.index(), l.to.index());
        reaches[a].insert((l.mode, input_of[b]));
        reaches[b].insert((l.mode, input_of[a]));
    }
    let targets: BTreeMap<Mode, SnapIndex> = Mode::ALL
        .iter()
        .map(|&m| {
            let idx = SnapIndex::new(out, |id| {
                let n = out.node(id);
                !matches!(n.kind, NodeKind::Port | NodeKind::Terminal)
                    && layers[id.index()].iter().any(|l| l.mode == m)
            });
            (m, idx)
        })
        .collect();
    let mut new_links: Vec<Link> = Vec::new();
    let mut candidates: Vec<NodeId> = Vec::new();
    for (i, n) in out.nodes.iter().enumerate() {
        let wants: &[Mode] = match n.kind {
            NodeKind::Port => &[Mode::Sea, Mode::Rail, Mode::Road],
            NodeKind::Terminal => &[Mode::Rail, Mode::Road],
            _ => continue,
        };
        let id = NodeId::from_index(i);
        candidates.push(id);
        for &m in wants {
            let k = input_of[i];
            if reaches[i].iter().any(|&(mm, kk)| mm == m && kk != k) {
                continue;
            }
            let max = if m == Mode::Sea {
                cfg.sea_snap_km
            } else {
                cfg.snap_km
            };
            // Rail: one connector per gauge within reach, so a terminal
            // at a break of gauge joins both networks.
            let mut done: BTreeSet<Option<u16>> = BTreeSet::new();
            loop {
                let fresh = |v: NodeId| {
                    layers[v.index()]
                        .iter()
                        .find(|l| l.mode == m && !done.contains(&l.gauge_mm))
                        .copied()
                };
                let Some((v, km)) = targets[&m].nearest_where(n.lon, n.lat, max, |v| {
                    input_of[v.index()] != k && fresh(v).is_some()
                }) else {
                    break;
                };
                let layer = fresh(v).expect("checked by the predicate");
                done.insert(layer.gauge_mm);
                let to = &out.node(v).source_id;
                let mut link = Link::new(
                    &format!("{}>{}", n.source_id, to),
                    id,
                    v,
                    m,
                    layer.gauge_mm,
                    km,
                );
                link.tags.push("connector".into());
                report.joined.push(Joined {
                    node: n.source_id.clone(),
                    layer,
                    to: to.clone(),
                    km,
                });
                new_links.push(link);
                if m != Mode::Rail {
                    break;
                }
            }
        }
    }
    for l in new_links {
        if out.link_id(&l.source_id).is_none() {
            out.add_link(l).map_err(model_err)?;
        }
    }
    Ok(candidates)
}

/// Terminals get every transfer between the layers now at their node; a
/// port or terminal node on two layers without a terminal gets one; those
/// on one layer or none are reported.
fn give_transfers(
    out: &mut Network,
    candidates: &[NodeId],
    cfg: &MergeConfig,
    report: &mut MergeReport,
) -> crate::Result<()> {
    let layers = out.layers_at_nodes();
    let mut has_terminal = vec![false; out.n_nodes()];
    for t in &mut out.terminals {
        let here: Vec<Layer> = layers[t.node.index()].iter().copied().collect();
        if matches!(
            out.nodes[t.node.index()].kind,
            NodeKind::Port | NodeKind::Terminal
        ) {
            t.transfers = pairs(&here);
        }
        has_terminal[t.node.index()] = true;
    }
    for &id in candidates {
        let here: Vec<Layer> = layers[id.index()].iter().copied().collect();
        let n = out.node(id).clone();
        if !has_terminal[id.index()] && here.len() >= 2 {
            let tid = format!("merge-{}", n.source_id);
            if out.terminal_id(&tid).is_none() {
                out.add_terminal(Terminal {
                    source_id: tid,
                    name: n.name.clone(),
                    node: id,
                    transfers: pairs(&here),
                    handling_cost_per_t: cfg.handling_cost_per_t,
                    hours: cfg.handling_hours,
                    co2_kg_per_t: cfg.handling_co2_kg_per_t,
                    capacity_t_per_day: None,
                    commodities: Default::default(),
                    open: true,
                    tags: vec!["merge".into()],
                    source: None,
                })
                .map_err(model_err)?;
            }
        }
        match here.as_slice() {
            [] => report.unconnected.push((
                n.source_id.clone(),
                format!(
                    "no sea vertex within {} km and no land vertex within {} km",
                    cfg.sea_snap_km, cfg.snap_km
                ),
            )),
            [one] => report.one_layer.push((n.source_id.clone(), *one)),
            _ => {}
        }
    }
    Ok(())
}

fn pairs(layers: &[Layer]) -> Vec<(Layer, Layer)> {
    let mut v = Vec::new();
    for i in 0..layers.len() {
        for j in i + 1..layers.len() {
            v.push((layers[i], layers[j]));
        }
    }
    v
}

fn model_err(e: corridor_model::Error) -> crate::Error {
    crate::Error::InvalidRequest(format!("merge: {e}"))
}

/// The links of `net` carrying `tag` (e.g. `passage=suez`), for closing a
/// passage without a scenario file.
pub fn links_tagged(net: &Network, tag: &str) -> Vec<LinkId> {
    net.links
        .iter()
        .enumerate()
        .filter(|(_, l)| l.tags.iter().any(|t| t == tag))
        .map(|(i, _)| LinkId::from_index(i))
        .collect()
}

/// Straight-line km between two nodes (for reports and tests).
pub fn node_km(net: &Network, a: NodeId, b: NodeId) -> f64 {
    let (a, b) = (net.node(a), net.node(b));
    haversine_km(a.lon, a.lat, b.lon, b.lat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::Node;

    fn line(name: &str, mode: Mode, gauge: Option<u16>, pts: &[(&str, f64, f64)]) -> Network {
        let mut n = Network::new(name);
        for (id, lon, lat) in pts {
            n.add_node(Node::new(id, NodeKind::Junction, *lon, *lat, ""))
                .unwrap();
        }
        for i in 1..pts.len() {
            n.add_link(Link::new(
                &format!("{name}{i}"),
                NodeId::from_index(i - 1),
                NodeId::from_index(i),
                mode,
                gauge,
                1.0,
            ))
            .unwrap();
        }
        n
    }

    #[test]
    fn a_port_joins_land_and_sea_and_far_ports_are_reported() {
        let rail = line(
            "r",
            Mode::Rail,
            Some(1435),
            &[("a", 4.0, 52.0), ("b", 4.1, 51.9)],
        );
        let sea = line("s", Mode::Sea, None, &[("x", 3.9, 51.95), ("y", 2.0, 51.0)]);
        let mut ports = Network::new("p");
        ports
            .add_node(Node::new("NLRTM", NodeKind::Port, 4.11, 51.9, "NL"))
            .unwrap();
        ports
            .add_node(Node::new("XXFAR", NodeKind::Port, 100.0, 0.0, "XX"))
            .unwrap();
        let (net, rep) = merge(
            vec![
                ("rail".into(), rail),
                ("sea".into(), sea),
                ("ports".into(), ports),
            ],
            &MergeConfig::default(),
        )
        .unwrap();
        let p = net.node_id("NLRTM").unwrap();
        let t = net.terminals.iter().find(|t| t.node == p).unwrap();
        assert!(
            t.transfers.contains(&(Layer::rail(1435), Layer::sea())),
            "{:?}",
            t.transfers
        );
        assert_eq!(rep.joined.iter().filter(|j| j.node == "NLRTM").count(), 2);
        assert!(rep.unconnected.iter().any(|(id, _)| id == "XXFAR"));
        // A terminal at a break of gauge joins both gauges.
        let broad = line(
            "b",
            Mode::Rail,
            Some(1520),
            &[("e1", 23.6, 52.0), ("e2", 24.0, 52.1)],
        );
        let std_ = line(
            "n",
            Mode::Rail,
            Some(1435),
            &[("w1", 23.5, 52.03), ("w2", 23.0, 52.2)],
        );
        let mut t = Network::new("t");
        t.add_node(Node::new("PLMAA", NodeKind::Terminal, 23.52, 52.03, "PL"))
            .unwrap();
        let (net, _) = merge(
            vec![("b".into(), broad), ("n".into(), std_), ("t".into(), t)],
            &MergeConfig {
                snap_km: 10.0,
                ..MergeConfig::default()
            },
        )
        .unwrap();
        let maa = net.node_id("PLMAA").unwrap();
        let term = net.terminals.iter().find(|t| t.node == maa).unwrap();
        assert!(
            term.transfers
                .contains(&(Layer::rail(1435), Layer::rail(1520))),
            "{:?}",
            term.transfers
        );
        // Clashing ids get prefixed.
        let a = line("q", Mode::Road, None, &[("a", 0.0, 0.0), ("b", 0.1, 0.0)]);
        let b = line("q", Mode::Road, None, &[("a", 1.0, 0.0), ("b", 1.1, 0.0)]);
        let (net, rep) = merge(
            vec![("A".into(), a), ("B".into(), b)],
            &MergeConfig::default(),
        )
        .unwrap();
        assert!(net.node_id("B/a").is_some() && net.link_id("B/q1").is_some());
        assert_eq!(rep.renamed, 3);
    }
}
