//! Phase C (stations) and D: stations name the rail vertex they stand on
//! or, off the track, the nearest one within reach; ports, yards and ferry
//! terminals (nodes, or areas at the mean of their nodes) are attached to
//! the nearest vertex of each network they serve. Every node picked is kept
//! as a vertex.
//!
//! It finds places and their vertices; the terminal nodes, connectors and
//! transfers are written by `emit.rs`. Which tags make a site is `tags.rs`.

use super::cuts::Cuts;
use super::log::Log;
use super::node_index::NodeIndex;
use crate::osm::OsmConfig;
use crate::osm::read::{RawOsm, WayKind, tag};
use crate::osm::tags::{Family, display_name, is_station, leisure_harbour, site_kind};
use corridor_model::NodeKind;
use std::collections::BTreeMap;

/// Names of vertices, by OSM node id, and the kind of node they make.
pub(super) type Stations = BTreeMap<i64, (String, NodeKind)>;

/// A port, yard or ferry terminal joined to at least one network.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Site {
    /// `n123` for a node, `w123` for an area.
    pub(super) osm: String,
    pub(super) name: String,
    pub(super) kind: NodeKind,
    pub(super) lon: f64,
    pub(super) lat: f64,
    /// One per family reached, in the order the tags list them.
    pub(super) attached: Vec<Attachment>,
    /// Node tags the site's own tags imply (`leisure-harbour`).
    pub(super) tags: Vec<String>,
}

/// The node tags a site's OSM tags imply.
fn site_tags(tags: &[(String, String)]) -> Vec<String> {
    if leisure_harbour(tags) {
        vec![corridor_model::NOT_FREIGHT_PORT_TAGS[0].to_string()]
    } else {
        Vec::new()
    }
}

/// The vertex a site joins in one family.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Attachment {
    pub(super) family: Family,
    /// OSM node id of the vertex.
    pub(super) node: i64,
    /// The rail gauge there (`None` off rail).
    pub(super) gauge: Option<u16>,
}

/// Stations on the track name their node; stations off it name the
/// nearest rail node within `station_attach_km` unless a station on the
/// track already did.
pub(super) fn stations(
    raw: &RawOsm,
    index: &NodeIndex,
    cfg: &OsmConfig,
    cuts: &mut Cuts,
    log: &mut Log,
) -> Stations {
    let mut names = Stations::new();
    for p in raw.points.iter().filter(|p| is_station(p)) {
        if cuts.on_way(p.id) {
            names.insert(p.id, (display_name(p), NodeKind::Station));
            cuts.keep(p.id);
        }
    }
    for p in raw.points.iter().filter(|p| is_station(p)) {
        if cuts.on_way(p.id) {
            continue;
        }
        match index.nearest(Family::Rail, p.lon, p.lat, cfg.station_attach_km) {
            Some(n) => {
                names
                    .entry(n.id)
                    .or_insert_with(|| (display_name(p), NodeKind::Station));
                cuts.keep(n.id);
            }
            None => log.skip("station with no imported railway within reach", 1),
        }
    }
    names
}

/// Every terminal site of the file with the vertices it joins within
/// `attach_km`, by `osm` id; sites that reach nothing are counted as
/// skipped.
pub(super) fn sites(
    raw: &RawOsm,
    index: &NodeIndex,
    cfg: &OsmConfig,
    cuts: &mut Cuts,
    log: &mut Log,
) -> Vec<Site> {
    let mut found: Vec<(Site, Vec<Family>)> = Vec::new();
    for p in &raw.points {
        if let Some((kind, families)) = site_kind(&p.tags) {
            let site = Site {
                osm: format!("n{}", p.id),
                name: display_name(p),
                kind,
                lon: p.lon,
                lat: p.lat,
                attached: Vec::new(),
                tags: site_tags(&p.tags),
            };
            found.push((site, families));
        }
    }
    for w in raw.ways.iter().filter(|w| w.kind == WayKind::Area) {
        let Some((kind, families)) = site_kind(&w.tags) else {
            continue;
        };
        let pts: Vec<[f64; 2]> = w.refs.iter().filter_map(|&r| raw.coord(r)).collect();
        if pts.is_empty() {
            log.skip("port or yard area with no node inside the extract", 1);
            continue;
        }
        let lon = pts.iter().map(|p| p[0]).sum::<f64>() / pts.len() as f64;
        let lat = pts.iter().map(|p| p[1]).sum::<f64>() / pts.len() as f64;
        let name = tag(&w.tags, "name")
            .map(str::to_string)
            .unwrap_or_else(|| format!("w{}", w.id));
        let site = Site {
            osm: format!("w{}", w.id),
            name,
            kind,
            lon,
            lat,
            attached: Vec::new(),
            tags: site_tags(&w.tags),
        };
        found.push((site, families));
    }
    let before = found.len();
    let mut sites: Vec<Site> = Vec::with_capacity(before);
    for (mut s, families) in found {
        for family in families {
            if let Some(n) = index.nearest(family, s.lon, s.lat, cfg.attach_km) {
                s.attached.push(Attachment {
                    family,
                    node: n.id,
                    gauge: n.gauge,
                });
                cuts.keep(n.id);
            }
        }
        if !s.attached.is_empty() {
            sites.push(s);
        }
    }
    log.skip(
        "port, yard or ferry terminal with no imported link within --attach-km",
        before - sites.len(),
    );
    sites.sort_by(|a, b| a.osm.cmp(&b.osm));
    sites.dedup_by(|a, b| a.osm == b.osm);
    sites
}

#[cfg(test)]
mod tests {
    use super::super::ways::Ways;
    use super::super::ways::tests::{RAIL, ROAD, raw};
    use super::*;
    use crate::osm::read::{RawPoint, RawWay};

    fn point(id: i64, x: f64, tags: &[(&str, &str)]) -> RawPoint {
        RawPoint {
            id,
            lon: 7.0 + x * 0.01,
            lat: 43.0,
            tags: tags
                .iter()
                .map(|&(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Rail 1 ── 2 ── 3 and road 4 ── 5 on one row, 0.01° (≈ 0.8 km) apart.
    fn setup() -> (RawOsm, Ways) {
        let raw = raw(5, &[(10, &[1, 2, 3], RAIL), (11, &[4, 5], ROAD)]);
        let ways = Ways::collect(
            &raw,
            &OsmConfig::default(),
            &mut Log::new(Default::default()),
        );
        (raw, ways)
    }

    #[test]
    fn stations_name_the_node_they_stand_on_or_the_nearest_within_reach() {
        //   1 ── 2 ── 3 ─ ─ ─ ─ 4 ── 5
        //   A   (B)  C?             D       A on 1; B off the line beside 2;
        //                                   C beside 3 but 1 km away; D: no rail near
        let (mut raw, ways) = setup();
        let st = [("railway", "station")];
        raw.points = vec![
            point(1, 1.0, &[("railway", "station"), ("name", "A")]),
            point(20, 2.1, &[("railway", "halt"), ("name", "B")]),
            point(21, 4.2, &[("railway", "station"), ("name", "C")]),
            point(22, 9.0, &st),
        ];
        let index = NodeIndex::new(&raw, &ways);
        let mut cuts = super::super::cuts::Cuts::at_junctions(&ways);
        let mut log = Log::new(Default::default());
        let names = stations(&raw, &index, &OsmConfig::default(), &mut cuts, &mut log);
        let got: Vec<(i64, &str)> = names.iter().map(|(n, (s, _))| (*n, s.as_str())).collect();
        assert_eq!(got, [(1, "A"), (2, "B")]);
        assert_eq!(
            log.skipped["station with no imported railway within reach"],
            2
        );
        let (_, kept) = cuts.into_sets();
        assert_eq!(kept, [1, 2].into());
    }

    #[test]
    fn sites_join_each_family_they_serve_within_reach() {
        //   1 ── 2 ── 3        rail
        //          Y           a yard area (nodes 2 and 3) serves rail and road
        //             4 ── 5   road
        //   P far away         a port reaching nothing
        let (mut raw, ways) = setup();
        raw.points = vec![point(30, 40.0, &[("harbour", "yes")])];
        raw.ways.push(RawWay {
            id: 40,
            refs: vec![2, 3],
            tags: vec![("railway".into(), "yard".into())],
            kind: WayKind::Area,
        });
        let index = NodeIndex::new(&raw, &ways);
        let mut cuts = super::super::cuts::Cuts::at_junctions(&ways);
        let mut log = Log::new(Default::default());
        let got = sites(&raw, &index, &OsmConfig::default(), &mut cuts, &mut log);
        assert_eq!(got.len(), 1);
        let s = &got[0];
        assert_eq!(
            (s.osm.as_str(), s.name.as_str(), s.kind),
            ("w40", "w40", NodeKind::Terminal)
        );
        assert!((s.lon - 7.025).abs() < 1e-12);
        let at: Vec<(Family, i64, Option<u16>)> = s
            .attached
            .iter()
            .map(|a| (a.family, a.node, a.gauge))
            .collect();
        // Both rail nodes are as near; 2 is first in the tree's order.
        assert!(matches!(at[0], (Family::Rail, 2 | 3, Some(1435))), "{at:?}");
        assert_eq!(at[1], (Family::Road, 4, None));
        assert_eq!(
            log.skipped["port, yard or ferry terminal with no imported link within --attach-km"],
            1
        );
    }
}
