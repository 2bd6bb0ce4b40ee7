//! Phases H–J: writing the network. Vertices become nodes `n<osm id>` in id
//! order (named by stations and checkpoints, of kind border where one is),
//! pieces become links `w<way>-<piece>` (one per gauge on dual-gauge
//! track) with their geometry, then borders, then terminal nodes with
//! their connectors and transfers.
//!
//! It decides nothing about topology; everything it writes was found by the
//! phases before. Ids and order are fixed here, so the output is the same
//! on every run.

use super::attach::{Site, Stations};
use super::borders::{Borders, NodeCountries};
use super::contract::Contracted;
use super::log::Log;
use super::split::Piece;
use crate::osm::OsmConfig;
use crate::osm::read::RawOsm;
use crate::osm::tags::{Attrs, Family, display_name};
use corridor_model::{
    Border, Diagnostic, Layer, Link, Mode, Network, Node, NodeId, NodeKind, Terminal,
    network::haversine_km,
};
use std::collections::BTreeSet;

/// The network node of each vertex, by OSM node id.
#[derive(Debug, Default)]
pub(super) struct Vertices {
    /// Sorted.
    osm: Vec<i64>,
    node: Vec<NodeId>,
}

impl Vertices {
    pub(super) fn get(&self, osm: i64) -> Option<NodeId> {
        self.osm.binary_search(&osm).ok().map(|i| self.node[i])
    }
}

/// A network named after `file` with a node per vertex and the links.
pub(super) fn network(
    file: &str,
    raw: &RawOsm,
    attrs: &[Attrs],
    links: Contracted,
    stations: &Stations,
    borders: &Borders,
    countries: &mut NodeCountries,
) -> (Network, Vertices) {
    let Contracted(links) = links;
    let mut net = Network::new(&format!("osm {file}"));
    let vertices = add_vertices(&mut net, raw, &links, stations, borders, countries);
    add_links(&mut net, raw, attrs, links, &vertices);
    (net, vertices)
}

fn add_vertices(
    net: &mut Network,
    raw: &RawOsm,
    links: &[Piece],
    stations: &Stations,
    borders: &Borders,
    countries: &mut NodeCountries,
) -> Vertices {
    let mut osm: Vec<i64> = links
        .iter()
        .flat_map(|p| [p.nodes[0], *p.nodes.last().expect("two nodes")])
        .collect();
    osm.sort_unstable();
    osm.dedup();
    let mut node = Vec::with_capacity(osm.len());
    for &n in &osm {
        let c = raw.coord(n).expect("coordinates checked");
        let kind = if borders.is_border(n) {
            NodeKind::Border
        } else {
            stations.get(&n).map(|x| x.1).unwrap_or(NodeKind::Junction)
        };
        let country = countries.of_node(raw, n).unwrap_or_default();
        let mut v = Node::new(&format!("n{n}"), kind, c[0], c[1], country);
        if let Some((name, _)) = stations.get(&n) {
            v.name = name.as_str().into();
        } else if let Some(cp) = borders.checkpoint(n) {
            v.name = display_name(cp.point).into();
        }
        node.push(net.add_node(v).expect("OSM node ids are unique"));
    }
    Vertices { osm, node }
}

/// One link per piece and gauge; the pieces are consumed, their node lists
/// freed as their links are written.
fn add_links(
    net: &mut Network,
    raw: &RawOsm,
    attrs: &[Attrs],
    links: Vec<Piece>,
    vertices: &Vertices,
) {
    for s in links {
        let a = &attrs[s.attrs];
        let from = vertices.get(s.nodes[0]).expect("added");
        let to = vertices
            .get(*s.nodes.last().expect("two nodes"))
            .expect("added");
        let mut geometry: Vec<[f64; 2]> = s
            .nodes
            .iter()
            .map(|&n| raw.coord(n).expect("coordinates checked"))
            .collect();
        let length: f64 = geometry
            .windows(2)
            .map(|p| haversine_km(p[0][0], p[0][1], p[1][0], p[1][1]))
            .sum();
        // Rail has one link per gauge (never none); other modes one link.
        let n_links = if a.mode == Mode::Rail {
            a.gauges.len()
        } else {
            1
        };
        for k in 0..n_links {
            let gauge = if a.mode == Mode::Rail {
                Some(a.gauges[k])
            } else {
                None
            };
            let id = match gauge {
                Some(g) if n_links > 1 => format!("w{}-{}@{g}", s.way, s.piece),
                _ => format!("w{}-{}", s.way, s.piece),
            };
            let mut l = Link::new(&id, from, to, a.mode, gauge, length);
            l.speed_kmh = a.speed_kmh;
            if a.mode == Mode::River && a.tags.iter().any(|t| t.starts_with("waterway=")) {
                river_figures(&mut l, &a.tags, length);
            }
            l.oneway = a.oneway;
            l.open = a.open;
            l.tags = a.tags.clone();
            for w in &s.absorbed {
                l.tags.push(format!("osm:way={w}"));
            }
            l.geometry = if k + 1 == n_links {
                std::mem::take(&mut geometry)
            } else {
                geometry.clone()
            };
            net.add_link(l).expect("link ids are unique");
        }
    }
}

/// A navigable waterway's cost by CEMT class, and its locks as time (one
/// hour each at barge speed) and capacity, as the shipped waterway layer
/// gives them (`crate::waterways`). A way split into several links carries
/// its lock count on each: the coarse model accepts that overcount.
fn river_figures(l: &mut Link, tags: &[String], length: f64) {
    use crate::waterways::{BARGE_SPEED_KMH, LOCK_HOURS, cemt_class};
    let locks: f64 = tags
        .iter()
        .find_map(|t| t.strip_prefix("locks="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let class = tags
        .iter()
        .find_map(|t| t.strip_prefix("cemt="))
        .and_then(cemt_class);
    if let Some(c) = class {
        l.cost_per_tkm = Some(c.cost_per_tkm);
        if locks > 0.0 {
            l.capacity_t_per_day = Some(c.lock_capacity_t_per_day());
        }
    }
    if length > 0.0 {
        l.speed_kmh = Some(length / (length / BARGE_SPEED_KMH + locks * LOCK_HOURS));
    }
}

/// Tagged checkpoints first (between their country and the first other
/// one along their ways), then detected changes of country.
pub(super) fn add_borders(
    net: &mut Network,
    vertices: &Vertices,
    borders: &Borders,
    cfg: &OsmConfig,
    log: &mut Log,
) {
    for cp in &borders.checkpoints {
        let p = cp.point;
        let Some(node) = vertices.get(p.id) else {
            continue;
        };
        let here = net.node(node).country.to_string();
        let countries = match (borders.crossings.get(&p.id), &cp.other) {
            (Some(pair), _) => pair.clone(),
            (None, Some(o)) => {
                let mut pair = [here.clone(), o.clone()];
                pair.sort();
                pair
            }
            (None, None) => {
                log.diagnostics.push(Diagnostic::warning(
                    format!("node {}", p.id),
                    Some("barrier"),
                    format!(
                        "border_control with no other country found along its ways; both sides set to \"{here}\""
                    ),
                ));
                [here.clone(), here]
            }
        };
        net.add_border(Border {
            source_id: format!("b-n{}", p.id),
            name: display_name(p),
            node,
            countries,
            dwell_hours: cfg.border_dwell_hours.clone(),
            fee_per_t: 0.0,
            capacity_t_per_day: None,
            commodities: Default::default(),
            open: true,
            tags: vec!["barrier=border_control".into()],
            source: None,
        })
        .expect("unique");
    }
    for (&n, pair) in &borders.crossings {
        if borders.checkpoint(n).is_some() {
            continue;
        }
        let node = vertices.get(n).expect("crossings are vertices");
        net.add_border(Border {
            source_id: format!("b-n{n}"),
            name: format!("{}–{} at n{n}", pair[0], pair[1]),
            node,
            countries: pair.clone(),
            dwell_hours: cfg.detected_border_dwell_hours.clone(),
            fee_per_t: 0.0,
            capacity_t_per_day: None,
            commodities: Default::default(),
            open: true,
            tags: vec!["detected".into()],
            source: None,
        })
        .expect("unique");
    }
}

/// A node per site (`t<osm>`) joined by `connector` links to the vertices
/// it reached, and a terminal offering every transfer between the layers
/// it reaches; returns how many terminals. A site reaching one layer only
/// gets no terminal: there is no transfer to offer yet (a merge may add
/// one).
/// Whether a vertex lies on a navigable waterway (a `river` link that is
/// not a ferry).
fn on_river(net: &Network, v: NodeId) -> bool {
    net.links.iter().any(|l| {
        l.mode == Mode::River
            && (l.from == v || l.to == v)
            && l.tags.iter().any(|t| t.starts_with("waterway="))
    })
}

/// The tag of a passenger-only site, one of `NOT_FREIGHT_PORT_TAGS`.
const PASSENGER_ONLY: &str = "passenger-only";

pub(super) fn add_terminals(
    net: &mut Network,
    vertices: &Vertices,
    sites: Vec<Site>,
    cfg: &OsmConfig,
    countries: &NodeCountries,
) -> usize {
    let mut terminals = 0usize;
    for s in sites {
        let id = format!("t{}", s.osm);
        let node_country = countries.at(s.lon, s.lat).to_string();
        let mut node = Node::new(&id, s.kind, s.lon, s.lat, &node_country);
        node.name = s.name.as_str().into();
        if s.passenger_only {
            node.tags.push(PASSENGER_ONLY.into());
        }
        let tn = net.add_node(node).expect("unique");
        let mut layers: BTreeSet<Layer> = BTreeSet::new();
        for at in &s.attached {
            let Some(vn) = vertices.get(at.node) else {
                continue;
            };
            let (mode, gauge) = match at.family {
                Family::Rail => (
                    Mode::Rail,
                    at.gauge.or(Some(crate::osm::gauges::untagged_gauge_mm(
                        Some(node_country.as_str()),
                        cfg.default_gauge_mm,
                    ))),
                ),
                Family::Road => (Mode::Road, None),
                // A river port joins the river; a ferry terminal the ferry.
                Family::Water if on_river(net, vn) => (Mode::River, None),
                Family::Water => (cfg.ferry_mode, None),
            };
            let c = net.node(vn);
            let len = haversine_km(s.lon, s.lat, c.lon, c.lat);
            let name = format!("{id}>{}", at.family.name());
            let mut l = Link::new(&name, tn, vn, mode, gauge, len);
            l.tags.push("connector".into());
            net.add_link(l).expect("unique");
            layers.insert(Layer::new(mode, gauge));
        }
        let layers: Vec<Layer> = layers.into_iter().collect();
        let mut transfers = Vec::new();
        for i in 0..layers.len() {
            for j in i + 1..layers.len() {
                transfers.push((layers[i], layers[j]));
            }
        }
        if transfers.is_empty() {
            continue;
        }
        net.add_terminal(Terminal {
            source_id: id,
            name: s.name,
            node: tn,
            transfers,
            handling_cost_per_t: cfg.terminal.handling_cost_per_t,
            hours: cfg.terminal.hours,
            co2_kg_per_t: cfg.terminal.co2_kg_per_t,
            capacity_t_per_day: None,
            commodities: Default::default(),
            open: true,
            tags: std::iter::once(format!("osm:{}", s.osm))
                .chain([s.kind.as_str().to_string()])
                .chain(s.passenger_only.then(|| PASSENGER_ONLY.to_string()))
                .collect(),
            source: None,
        })
        .expect("unique");
        terminals += 1;
    }
    terminals
}

#[cfg(test)]
mod tests {
    use super::super::attach::Attachment;
    use super::super::borders::Checkpoint;
    use super::super::ways::tests::raw;
    use super::*;
    use crate::osm::read::RawPoint;
    use std::collections::BTreeMap;

    fn attrs(mode: Mode, gauges: &[u16], tags: &[&str]) -> Attrs {
        Attrs {
            mode,
            gauges: gauges.to_vec(),
            oneway: false,
            speed_kmh: Some(60.0),
            open: true,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn piece(way: i64, nodes: &[i64], attrs: usize, absorbed: &[i64]) -> Piece {
        Piece {
            way,
            piece: 0,
            nodes: nodes.to_vec(),
            attrs,
            absorbed: absorbed.to_vec(),
        }
    }

    fn checkpoint(id: i64, name: &str) -> RawPoint {
        RawPoint {
            id,
            lon: 0.0,
            lat: 0.0,
            tags: vec![
                ("barrier".into(), "border_control".into()),
                ("name".into(), name.into()),
            ],
        }
    }

    /// ```text
    ///   1 ══════ 2 ────── 3        w10: dual-gauge rail 1→2; w11: road 2→3 (absorbed w12)
    ///   K1       S, AAA|BBB  K3    checkpoints on 1 and 3, station and a detected crossing on 2
    ///   P: a port by 1 and 3, also aiming at node 99 (no vertex); Q: a yard by the road only
    /// ```
    #[test]
    fn vertices_links_borders_and_terminals_are_written_in_order() {
        let raw = raw(3, &[]);
        let attrs = [
            attrs(Mode::Rail, &[1520, 1435], &["osm:way=10"]),
            attrs(Mode::Road, &[], &["osm:way=11"]),
        ];
        let links = Contracted(vec![
            piece(10, &[1, 2], 0, &[]),
            piece(11, &[2, 3], 1, &[12]),
        ]);
        let stations = Stations::from([(2, ("S".to_string(), NodeKind::Station))]);
        let (k1, k3) = (checkpoint(1, "K1"), checkpoint(3, "K3"));
        let borders = Borders {
            checkpoints: vec![
                Checkpoint {
                    point: &k1,
                    other: None,
                },
                Checkpoint {
                    point: &k3,
                    other: Some("BBB".into()),
                },
            ],
            crossings: BTreeMap::from([(2, ["AAA".to_string(), "BBB".to_string()])]),
        };
        let mut countries = NodeCountries::new(None);
        let (mut net, vertices) = network(
            "f.osm",
            &raw,
            &attrs,
            links,
            &stations,
            &borders,
            &mut countries,
        );

        let nodes: Vec<(&str, NodeKind, &str)> = net
            .nodes
            .iter()
            .map(|n| (n.source_id.as_str(), n.kind, n.name.as_str()))
            .collect();
        // A border even where a station names it; the station's name wins.
        assert_eq!(
            nodes,
            [
                ("n1", NodeKind::Border, "K1"),
                ("n2", NodeKind::Border, "S"),
                ("n3", NodeKind::Border, "K3"),
            ]
        );
        let links: Vec<(&str, Option<u16>, &[String])> = net
            .links
            .iter()
            .map(|l| (l.source_id.as_str(), l.gauge_mm, &l.tags[..]))
            .collect();
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            links[0],
            ("w10-0@1520", Some(1520), &tags(&["osm:way=10"])[..])
        );
        assert_eq!(
            links[1],
            ("w10-0@1435", Some(1435), &tags(&["osm:way=10"])[..])
        );
        assert_eq!(
            links[2],
            ("w11-0", None, &tags(&["osm:way=11", "osm:way=12"])[..])
        );
        assert_eq!(net.links[1].geometry, [raw.coords[0].1, raw.coords[1].1]);
        assert_eq!(net.links[2].speed_kmh, Some(60.0));

        let mut log = Log::new(Default::default());
        add_borders(
            &mut net,
            &vertices,
            &borders,
            &OsmConfig::default(),
            &mut log,
        );
        let got: Vec<(&str, &[String; 2], &str)> = net
            .borders
            .iter()
            .map(|b| (b.source_id.as_str(), &b.countries, b.tags[0].as_str()))
            .collect();
        let pair = |a: &str, b: &str| [a.to_string(), b.to_string()];
        assert_eq!(
            got,
            [
                ("b-n1", &pair("", ""), "barrier=border_control"),
                ("b-n3", &pair("", "BBB"), "barrier=border_control"),
                ("b-n2", &pair("AAA", "BBB"), "detected"),
            ]
        );
        // K1 found no other country: a warning says both sides are its own.
        assert_eq!(log.diagnostics.len(), 1);
        assert_eq!(log.diagnostics[0].subject, "node 1");

        let at = |family, node, gauge| Attachment {
            family,
            node,
            gauge,
        };
        let site = |osm: &str, kind, attached| Site {
            osm: osm.into(),
            name: osm.to_uppercase(),
            kind,
            lon: 7.0,
            lat: 43.0,
            attached,
            passenger_only: false,
        };
        let sites = vec![
            site(
                "nP",
                NodeKind::Port,
                vec![
                    at(Family::Water, 99, None),
                    at(Family::Rail, 1, Some(1520)),
                    at(Family::Road, 3, None),
                ],
            ),
            site("wQ", NodeKind::Terminal, vec![at(Family::Road, 3, None)]),
        ];
        let n = add_terminals(
            &mut net,
            &vertices,
            sites,
            &OsmConfig::default(),
            &countries,
        );
        assert_eq!(n, 1);
        assert_eq!(net.node(net.node_id("twQ").unwrap()).name, "WQ");
        let connectors: Vec<&str> = net.links[3..]
            .iter()
            .map(|l| l.source_id.as_str())
            .collect();
        assert_eq!(connectors, ["tnP>rail", "tnP>road", "twQ>road"]);
        assert_eq!(net.links[3].gauge_mm, Some(1520));
        let t = &net.terminals[0];
        assert_eq!(
            t.transfers,
            [(
                Layer::new(Mode::Road, None),
                Layer::new(Mode::Rail, Some(1520))
            )]
        );
        assert_eq!(t.tags, ["osm:nP", "port"]);
    }
}
