//! Turning the ways and tagged nodes of an OSM file into a Corridor
//! network, in phases, each in its own file with a typed result:
//!
//! ```text
//! RawOsm ─A─► Ways ─B─► Cuts ─C,D─► Stations, Sites ─C,E─► Borders      (find where to cut)
//!        Ways.parts + Cuts ─F─► Pieces ─G─► Contracted ─H,I,J─► Network (cut, join, write)
//! ```
//!
//! - A `ways.rs`: network ways as runs of nodes inside the extract, with
//!   interned link attributes (what tags mean is `../tags.rs`).
//! - B `cuts.rs`: where parts must be cut (ends, shared nodes), and the
//!   nodes later phases keep as vertices.
//! - C, D `attach.rs` (with `node_index.rs`, `union_find.rs`): stations
//!   name vertices; ports, yards and ferry terminals find the vertex of
//!   each network they join.
//! - C, E `borders.rs`: checkpoints on ways and changes of country (the
//!   country of each way node is `node_countries.rs`, which phase A also
//!   asks for the gauge of untagged track).
//! - F `split.rs`: parts cut into pieces. G `contract.rs`: chains of
//!   pieces joined back where nothing happens between them.
//! - H–J `emit.rs`: nodes, links, borders, terminals.
//!
//! Finding comes before cutting because every station, attachment point and
//! border must end up a vertex. Phases move what the next one needs (the
//! parts into `split`, the pieces into `contract` and `emit`) rather than
//! copy it. The build reads nothing (that is `read.rs`) and writes nothing;
//! the result is a [`Network`] plus diagnostics and a summary.

mod attach;
mod borders;
mod contract;
mod cuts;
mod emit;
mod log;
mod node_countries;
mod node_index;
mod split;
mod union_find;
mod ways;

use super::read::RawOsm;
use super::{OsmConfig, OsmImport, OsmSummary};
use crate::countries::CountryIndex;
use borders::{Borders, NodeCountries};
use cuts::Cuts;
use log::Log;
use node_index::NodeIndex;
use ways::Ways;

#[cfg(doc)]
use corridor_model::Network;

pub(super) fn build(
    raw: &RawOsm,
    cfg: &OsmConfig,
    countries: Option<&CountryIndex>,
    file: &str,
) -> OsmImport {
    let mut log = Log::new(raw.skipped.clone());
    let mut countries = NodeCountries::with_own(countries, raw);

    let ways = Ways::collect_in(raw, cfg, &mut countries, &mut log);
    let mut cuts = Cuts::at_junctions(&ways);
    let index = NodeIndex::new(raw, &ways);
    let stations = attach::stations(raw, &index, cfg, &mut cuts, &mut log);
    let sites = attach::sites(raw, &index, cfg, &mut cuts, &mut log);
    drop(index);
    let borders = Borders::find(raw, &ways, &mut countries, &mut cuts, &mut log);

    let Ways { attrs, parts } = ways;
    let (split_at, kept) = cuts.into_sets();
    let pieces = split::split(parts, &split_at, &mut log);
    drop(split_at);
    let links = contract::contract(pieces, &attrs, &kept);

    let (mut net, vertices) = emit::network(
        file,
        raw,
        &attrs,
        links,
        &stations,
        &borders,
        &mut countries,
    );
    emit::add_borders(&mut net, &vertices, &borders, cfg, &mut log);
    let terminals = emit::add_terminals(&mut net, &vertices, sites, cfg, &countries);

    let summary = OsmSummary {
        file: file.to_string(),
        elements: raw.counts,
        nodes: net.n_nodes(),
        links: net.n_links(),
        by_layer: net.links_by_layer(),
        closed_links: net.links.iter().filter(|l| !l.open).count(),
        terminals,
        borders_checkpoint: borders.checkpoints.len(),
        borders_detected: borders
            .crossings
            .keys()
            .filter(|&&n| borders.checkpoint(n).is_none())
            .count(),
        untagged_gauge: log.untagged_gauge,
        skipped: log.skipped,
        warnings: log.diagnostics.len(),
    };
    OsmImport {
        network: net,
        diagnostics: log.diagnostics,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osm::read::{RawWay, WayKind};
    use corridor_model::network::haversine_km;
    use proptest::prelude::*;
    use std::collections::{BinaryHeap, HashMap};

    /// Shortest km from `src` over an undirected weighted adjacency list.
    fn dijkstra(adj: &HashMap<i64, Vec<(i64, f64)>>, src: i64) -> HashMap<i64, f64> {
        let mut dist = HashMap::new();
        let mut heap = BinaryHeap::new();
        dist.insert(src, 0.0);
        heap.push(std::cmp::Reverse((0u64, src)));
        while let Some(std::cmp::Reverse((d, u))) = heap.pop() {
            let d = f64::from_bits(d);
            if d > dist[&u] {
                continue;
            }
            for &(v, w) in adj.get(&u).into_iter().flatten() {
                let nd = d + w;
                if dist.get(&v).is_none_or(|&x: &f64| nd < x) {
                    dist.insert(v, nd);
                    heap.push(std::cmp::Reverse((nd.to_bits(), v)));
                }
            }
        }
        dist
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Splitting and contraction keep every shortest distance between
        /// the vertices that remain: the built network against the raw
        /// way-node graph, on random ways over a small grid of nodes.
        #[test]
        fn topology_preserves_shortest_distances(
            ways in proptest::collection::vec(
                proptest::collection::vec(0i64..36, 2..8), 1..12),
        ) {
            let mut raw = RawOsm::default();
            for id in 0..36i64 {
                raw.coords.push((id + 1, [7.0 + (id % 6) as f64 * 0.01, 43.0 + (id / 6) as f64 * 0.01]));
            }
            for (i, refs) in ways.iter().enumerate() {
                let mut r: Vec<i64> = refs.iter().map(|x| x + 1).collect();
                r.dedup();
                raw.ways.push(RawWay {
                    id: i as i64 + 100,
                    refs: r,
                    tags: vec![("highway".into(), "primary".into())],
                    kind: WayKind::Road,
                });
            }
            let imp = build(&raw, &OsmConfig::default(), None, "t.osm");
            let net = &imp.network;
            let mut raw_adj: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
            for w in &raw.ways {
                for p in w.refs.windows(2) {
                    let (a, b) = (raw.coord(p[0]).unwrap(), raw.coord(p[1]).unwrap());
                    let d = haversine_km(a[0], a[1], b[0], b[1]);
                    raw_adj.entry(p[0]).or_default().push((p[1], d));
                    raw_adj.entry(p[1]).or_default().push((p[0], d));
                }
            }
            let mut net_adj: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
            let osm = |id: corridor_model::NodeId| -> i64 {
                net.node(id).source_id[1..].parse().unwrap()
            };
            for l in &net.links {
                let (a, b) = (osm(l.from), osm(l.to));
                net_adj.entry(a).or_default().push((b, l.length_km));
                net_adj.entry(b).or_default().push((a, l.length_km));
                // Geometry runs from one end to the other.
                let g0 = l.geometry[0];
                let ga = raw.coord(a).unwrap();
                prop_assert!(g0 == ga);
            }
            let vertices: Vec<i64> = net.nodes.iter().map(|n| n.source_id[1..].parse().unwrap()).collect();
            for &s in &vertices {
                let want = dijkstra(&raw_adj, s);
                let got = dijkstra(&net_adj, s);
                for &t in &vertices {
                    // Closed loops with no junction are dropped on purpose,
                    // so a built path may only be longer if absent in raw.
                    match (want.get(&t), got.get(&t)) {
                        (Some(w), Some(g)) => prop_assert!((w - g).abs() < 1e-9, "{s}->{t}: raw {w} built {g}"),
                        (None, Some(_)) => prop_assert!(false, "{s}->{t} connected only after building"),
                        _ => {}
                    }
                }
            }
            // Every raw edge between two kept vertices is still reachable.
            for w in &raw.ways {
                let (a, b) = (w.refs[0], *w.refs.last().unwrap());
                if a != b {
                    let got = dijkstra(&net_adj, a);
                    prop_assert!(got.contains_key(&b), "way {} ends disconnected", w.id);
                }
            }
        }
    }

    fn tiny(gauge: Option<&str>, service: Option<&str>) -> RawOsm {
        let mut raw = RawOsm::default();
        for id in 1..=3i64 {
            raw.coords.push((id, [24.0 + id as f64 * 0.01, 60.0]));
        }
        let mut tags = vec![("railway".to_string(), "rail".to_string())];
        if let Some(g) = gauge {
            tags.push(("gauge".into(), g.into()));
        }
        if let Some(s) = service {
            tags.push(("service".into(), s.into()));
        }
        raw.ways.push(RawWay {
            id: 7,
            refs: vec![1, 2, 3],
            tags,
            kind: WayKind::Rail,
        });
        raw
    }

    #[test]
    fn dual_gauge_track_gives_one_link_per_gauge() {
        let imp = build(
            &tiny(Some("1520;1435"), None),
            &OsmConfig::default(),
            None,
            "t",
        );
        let mut got: Vec<(String, Option<u16>)> = imp
            .network
            .links
            .iter()
            .map(|l| (l.source_id.to_string(), l.gauge_mm))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("w7-0@1435".to_string(), Some(1435)),
                ("w7-0@1520".to_string(), Some(1520))
            ]
        );
        // Both run the same geometry and length.
        let l = &imp.network.links;
        assert_eq!(l[0].geometry, l[1].geometry);
        assert!((l[0].length_km - l[1].length_km).abs() < 1e-12);
    }

    #[test]
    fn untagged_track_takes_its_countrys_standard_gauge() {
        let world = CountryIndex::shipped();
        // (lon, lat) of the first node; the row runs 0.01° east.
        for (lon, lat, want) in [
            (37.60, 55.75, 1520),  // Moscow
            (24.90, 60.20, 1524),  // Helsinki
            (-3.70, 40.42, 1668),  // Madrid
            (139.70, 35.70, 1067), // Tokyo
            (16.90, 52.40, 1435),  // Poznań
        ] {
            let mut raw = tiny(None, None);
            for (i, c) in raw.coords.iter_mut().enumerate() {
                c.1 = [lon + i as f64 * 0.01, lat];
            }
            let imp = build(&raw, &OsmConfig::default(), Some(&world), "t");
            assert_eq!(imp.network.links[0].gauge_mm, Some(want), "{lon},{lat}");
            assert_eq!(imp.summary.untagged_gauge, [(want, 1)].into());
            assert_eq!(imp.summary.warnings, 1);
            // --default-gauge overrides the country.
            let cfg = OsmConfig {
                default_gauge_mm: Some(1435),
                ..OsmConfig::default()
            };
            let imp = build(&raw, &cfg, Some(&world), "t");
            assert_eq!(imp.network.links[0].gauge_mm, Some(1435));
        }
    }

    #[test]
    fn missing_or_bad_gauge_takes_the_default_with_a_warning() {
        for g in [None, Some("wide")] {
            let imp = build(&tiny(g, None), &OsmConfig::default(), None, "t");
            assert_eq!(imp.network.links[0].gauge_mm, Some(1435));
            assert!(
                imp.diagnostics
                    .iter()
                    .any(|d| d.subject == "way 7" && d.field.as_deref() == Some("gauge")),
                "{:?}",
                imp.diagnostics
            );
        }
        let cfg = OsmConfig {
            default_gauge_mm: Some(1524),
            ..OsmConfig::default()
        };
        assert_eq!(
            build(&tiny(None, None), &cfg, None, "t").network.links[0].gauge_mm,
            Some(1524)
        );
    }
}
