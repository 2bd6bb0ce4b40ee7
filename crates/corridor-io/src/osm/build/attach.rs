//! Phase C (stations) and D: stations (nodes, areas and relations) name
//! the rail vertex they stand on or, off the track, the nearest one within
//! reach, the freight-relevant object first; ports, yards and ferry
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
use crate::osm::read::{RawOsm, RawWay, WayKind, tag};
use crate::osm::tags::{
    Family, display_name, is_station, leisure_harbour, passenger_only, site_kind, station_rank,
};
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
    /// For passengers only (see `tags::passenger_only`): tagged so, and
    /// never joined to a sea lane or river by `merge`.
    pub(super) passenger_only: bool,
}

/// Why a marina is not a site: freight transfers there would be fiction
/// (the Krems sailing club, `seamark:type=harbour` with
/// `seamark:harbour:category=marina`, became the only rail–river terminal of
/// its extract).
const LEISURE_SKIP: &str =
    "harbour for leisure (marina, yacht or sailing club; not a freight port)";

/// The vertex a site joins in one family.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Attachment {
    pub(super) family: Family,
    /// OSM node id of the vertex.
    pub(super) node: i64,
    /// The rail gauge there (`None` off rail).
    pub(super) gauge: Option<u16>,
}

/// A station object (node, area or relation) looking for its vertex.
struct Candidate {
    /// [`station_rank`]: freight first.
    rank: u8,
    /// 0 a node on the track, 1 a node off it, 2 an area, 3 a relation:
    /// among equal ranks, the object drawn nearest the track names it.
    drawn: u8,
    /// `n123`, `w123`, `r123`: ties are broken by id so the answer does
    /// not depend on file order.
    osm: (u8, i64),
    name: String,
    lon: f64,
    lat: f64,
    /// The node itself when it stands on the track.
    on_track: Option<i64>,
    /// How far the vertex may be, km: `station_attach_km`, or more for a
    /// large area whose centre is far from its edge.
    reach_km: f64,
}

/// The centre (mean of the points) and the distance from it to the
/// farthest point, km.
fn centre(pts: &[[f64; 2]]) -> Option<(f64, f64, f64)> {
    if pts.is_empty() {
        return None;
    }
    let n = pts.len() as f64;
    let lon = pts.iter().map(|p| p[0]).sum::<f64>() / n;
    let lat = pts.iter().map(|p| p[1]).sum::<f64>() / n;
    let r = pts
        .iter()
        .map(|p| corridor_model::network::haversine_km(lon, lat, p[0], p[1]))
        .fold(0.0, f64::max);
    Some((lon, lat, r))
}

/// Every station object of the file: `railway=station|halt` nodes, the
/// same drawn as areas, and station or stop-area relations whose members
/// hold no station node or area of their own (those name the place
/// already). Metro, tram and monorail stations are not candidates.
fn candidates(raw: &RawOsm, cfg: &OsmConfig, cuts: &Cuts, log: &mut Log) -> Vec<Candidate> {
    let mut out = Vec::new();
    for p in raw.points.iter().filter(|p| is_station(p)) {
        let Some(rank) = station_rank(&p.tags) else {
            continue;
        };
        let on = cuts.on_way(p.id);
        out.push(Candidate {
            rank,
            drawn: if on { 0 } else { 1 },
            osm: (0, p.id),
            name: display_name(p),
            lon: p.lon,
            lat: p.lat,
            on_track: on.then_some(p.id),
            reach_km: cfg.station_attach_km,
        });
    }
    let is_area_station = |w: &RawWay| {
        w.kind == WayKind::Area && matches!(w.tag("railway"), Some("station" | "halt"))
    };
    for w in raw.ways.iter().filter(|w| is_area_station(w)) {
        let Some(rank) = station_rank(&w.tags) else {
            continue;
        };
        let pts: Vec<[f64; 2]> = w.refs.iter().filter_map(|&r| raw.coord(r)).collect();
        let Some((lon, lat, r)) = centre(&pts) else {
            log.skip("station area with no node inside the extract", 1);
            continue;
        };
        out.push(Candidate {
            rank,
            drawn: 2,
            osm: (1, w.id),
            name: tag(&w.tags, "name")
                .map(str::to_string)
                .unwrap_or_else(|| format!("w{}", w.id)),
            lon,
            lat,
            on_track: None,
            reach_km: cfg.station_attach_km.max(r),
        });
    }
    let station_node = |id: i64| {
        raw.points
            .binary_search_by_key(&id, |p| p.id)
            .is_ok_and(|i| is_station(&raw.points[i]))
    };
    for rel in &raw.station_relations {
        let Some(rank) = station_rank(&rel.tags) else {
            continue;
        };
        if rel.nodes.iter().any(|&n| station_node(n))
            || rel
                .ways
                .iter()
                .any(|&w| raw.way(w).is_some_and(is_area_station))
        {
            continue;
        }
        let mut pts: Vec<[f64; 2]> = rel.nodes.iter().filter_map(|&n| raw.coord(n)).collect();
        for w in rel.ways.iter().filter_map(|&w| raw.way(w)) {
            pts.extend(w.refs.iter().filter_map(|&r| raw.coord(r)));
        }
        let Some((lon, lat, r)) = centre(&pts) else {
            log.skip("station relation with no member inside the extract", 1);
            continue;
        };
        out.push(Candidate {
            rank,
            drawn: 3,
            osm: (2, rel.id),
            name: rel
                .tag("name")
                .map(str::to_string)
                .unwrap_or_else(|| format!("r{}", rel.id)),
            lon,
            lat,
            on_track: None,
            reach_km: cfg.station_attach_km.max(r),
        });
    }
    out
}

/// Station objects name the rail vertex they stand on or, off the track
/// (nodes, areas at their centre, relations at the centre of their
/// members), the nearest one within reach. Where several reach one vertex,
/// the freight one names it, then the one drawn on the track, then a node
/// before an area before a relation.
pub(super) fn stations(
    raw: &RawOsm,
    index: &NodeIndex,
    cfg: &OsmConfig,
    cuts: &mut Cuts,
    log: &mut Log,
) -> Stations {
    let all = candidates(raw, cfg, cuts, log);
    // An area or relation with a station node within its reach is that
    // station drawn twice (building and node, stop area and node): the
    // node speaks for it.
    let nodes: Vec<(f64, f64)> = all
        .iter()
        .filter(|c| c.drawn <= 1)
        .map(|c| (c.lon, c.lat))
        .collect();
    let twice = |c: &Candidate| {
        c.drawn >= 2
            && nodes.iter().any(|&(lon, lat)| {
                corridor_model::network::haversine_km(lon, lat, c.lon, c.lat) <= c.reach_km
            })
    };
    let mut best: BTreeMap<i64, Candidate> = BTreeMap::new();
    for c in all {
        if twice(&c) {
            continue;
        }
        let vertex = match c.on_track {
            Some(n) => n,
            None => match index.nearest(Family::Rail, c.lon, c.lat, c.reach_km) {
                Some(n) => n.id,
                None => {
                    log.skip("station with no imported railway within reach", 1);
                    continue;
                }
            },
        };
        let key = |c: &Candidate| (c.rank, c.drawn, c.osm);
        match best.get(&vertex) {
            Some(b) if key(b) <= key(&c) => {}
            _ => {
                best.insert(vertex, c);
            }
        }
    }
    let mut names = Stations::new();
    for (vertex, c) in best {
        cuts.keep(vertex);
        names.insert(vertex, (c.name, NodeKind::Station));
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
        if leisure_harbour(&p.tags) {
            log.skip(LEISURE_SKIP, 1);
            continue;
        }
        if let Some((kind, families)) = site_kind(&p.tags) {
            let site = Site {
                osm: format!("n{}", p.id),
                name: display_name(p),
                kind,
                lon: p.lon,
                lat: p.lat,
                attached: Vec::new(),
                passenger_only: passenger_only(&p.tags),
            };
            found.push((site, families));
        }
    }
    for w in raw.ways.iter().filter(|w| w.kind == WayKind::Area) {
        let Some((kind, families)) = site_kind(&w.tags) else {
            continue;
        };
        if leisure_harbour(&w.tags) {
            log.skip(LEISURE_SKIP, 1);
            continue;
        }
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
            passenger_only: passenger_only(&w.tags),
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
    fn areas_and_relations_become_stations_and_freight_names_first() {
        //   1 ── 2 ── 3        rail; 4 ── 5 road
        //   metro M on 1 (names nothing); passenger P on 2, freight F
        //   beside 2 (F names 2); station area A over nodes 2..3 whose
        //   reach holds P (drawn twice: skipped); relation R over 3 and 4
        //   (centre 0.4 km from 3: names 3).
        let (mut raw, ways) = setup();
        raw.points = vec![
            point(
                1,
                1.0,
                &[("railway", "station"), ("station", "subway"), ("name", "M")],
            ),
            point(2, 2.0, &[("railway", "station"), ("name", "P")]),
            point(
                20,
                2.1,
                &[("railway", "station"), ("usage", "freight"), ("name", "F")],
            ),
        ];
        raw.ways.push(RawWay {
            id: 40,
            refs: vec![2, 3],
            tags: vec![
                ("railway".into(), "station".into()),
                ("name".into(), "A".into()),
            ],
            kind: WayKind::Area,
        });
        raw.station_relations.push(crate::osm::read::RawRelation {
            id: 50,
            tags: vec![
                ("public_transport".into(), "stop_area".into()),
                ("name".into(), "R".into()),
            ],
            nodes: vec![3, 4],
            ways: vec![],
        });
        let index = NodeIndex::new(&raw, &ways);
        let mut cuts = super::super::cuts::Cuts::at_junctions(&ways);
        let mut log = Log::new(Default::default());
        let names = stations(&raw, &index, &OsmConfig::default(), &mut cuts, &mut log);
        let got: Vec<(i64, &str)> = names.iter().map(|(n, (s, _))| (*n, s.as_str())).collect();
        assert_eq!(got, [(2, "F"), (3, "R")]);
        // An area alone (no station node near) names the vertex nearest
        // its centre.
        drop(index);
        raw.points.clear();
        raw.station_relations.clear();
        let index = NodeIndex::new(&raw, &ways);
        let mut cuts = super::super::cuts::Cuts::at_junctions(&ways);
        let names = stations(&raw, &index, &OsmConfig::default(), &mut cuts, &mut log);
        assert_eq!(names.len(), 1);
        assert_eq!(names.values().next().unwrap().0, "A");
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
