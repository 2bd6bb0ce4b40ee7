//! Reading OSM files (`.osm.pbf` with `osmpbf`, `.osm` / `.osm.gz` XML with
//! `quick-xml` + `flate2`) into the few elements the importer needs.
//!
//! It keeps the coordinates of the nodes the kept ways and station
//! relations refer to, the tagged nodes that can become stations,
//! terminals, border crossings or lock gates, the ways the configuration
//! asks for, and the relations that may be stations (members as ids). A
//! small file is read in one pass that keeps every node's coordinates; a
//! large one in two ([`Passes`]): the first keeps everything but node
//! coordinates and so learns which nodes are needed, the second keeps the
//! coordinates of those only, so memory follows the kept network, not the
//! file (OSM files put nodes first, so one pass cannot know). It decides
//! which ways are wanted and counts the ones left out by reason; it does
//! not build topology (that is `build/`).

use super::OsmConfig;
use crate::Error;
use crate::open_data::check_lon_lat;
use flate2::read::GzDecoder;
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// What a kept way becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WayKind {
    Rail,
    Road,
    Ferry,
    /// A navigable river or canal (`waterway=river|canal` with `CEMT` or
    /// `ship=yes`).
    Waterway,
    /// A port, harbour or yard area: imported as one point at its centre.
    Area,
}

#[derive(Clone, Debug)]
pub struct RawWay {
    pub id: i64,
    pub refs: Vec<i64>,
    pub tags: Vec<(String, String)>,
    pub kind: WayKind,
}

impl RawWay {
    pub fn tag(&self, k: &str) -> Option<&str> {
        tag(&self.tags, k)
    }
}

/// A tagged node that may become a station, terminal or border crossing.
#[derive(Clone, Debug)]
pub struct RawPoint {
    pub id: i64,
    pub lon: f64,
    pub lat: f64,
    pub tags: Vec<(String, String)>,
}

impl RawPoint {
    pub fn tag(&self, k: &str) -> Option<&str> {
        tag(&self.tags, k)
    }
}

/// A relation that may stand for a station (`railway=station|halt`, or a
/// `public_transport=stop_area`): its tags and member ids. Members are not
/// followed further; the build places it at the centre of the members it
/// can see (nodes, and kept ways).
#[derive(Clone, Debug)]
pub struct RawRelation {
    pub id: i64,
    pub tags: Vec<(String, String)>,
    pub nodes: Vec<i64>,
    pub ways: Vec<i64>,
}

impl RawRelation {
    pub fn tag(&self, k: &str) -> Option<&str> {
        tag(&self.tags, k)
    }
}

/// A country's boundary relation: its ISO 3166-1 alpha-2 code and member
/// way ids (roles are not read; rings nest even–odd).
#[derive(Clone, Debug)]
pub struct CountryRelation {
    pub id: i64,
    pub code: String,
    pub ways: Vec<i64>,
}

/// The alpha-2 code of a country boundary relation (`ISO3166-1:alpha2`,
/// else `ISO3166-1`), if it is one.
fn country_relation_code(tags: &[(&str, &str)]) -> Option<String> {
    let t = |k: &str| tags.iter().find(|&&(kk, _)| kk == k).map(|&(_, v)| v);
    if t("boundary") != Some("administrative") || t("admin_level") != Some("2") {
        return None;
    }
    let code = t("ISO3166-1:alpha2").or(t("ISO3166-1"))?;
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())).then(|| code.to_string())
}

/// Whether a way's tags draw a country boundary.
fn country_boundary_way(tags: &[(&str, &str)]) -> bool {
    tags.contains(&("boundary", "administrative")) && tags.contains(&("admin_level", "2"))
}

/// Whether a relation's tags make it a station candidate.
fn station_relation(tags: &[(&str, &str)]) -> bool {
    tags.iter().any(|&(k, v)| {
        matches!(
            (k, v),
            ("railway", "station" | "halt") | ("public_transport", "stop_area")
        )
    })
}

pub(crate) fn tag<'a>(tags: &'a [(String, String)], k: &str) -> Option<&'a str> {
    tags.iter().find(|(kk, _)| kk == k).map(|(_, v)| v.as_str())
}

pub use corridor_model::results::ElementCounts;

/// The elements of one OSM file the importer needs.
#[derive(Clone, Debug, Default)]
pub struct RawOsm {
    /// Every node's (lon, lat), sorted by id for binary search.
    pub coords: Vec<(i64, [f64; 2])>,
    pub points: Vec<RawPoint>,
    pub ways: Vec<RawWay>,
    pub counts: ElementCounts,
    /// Ways left out, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Way ids that are members of `route=ferry` relations.
    pub ferry_relation_members: BTreeSet<i64>,
    /// Relations that may be stations, by id.
    pub station_relations: Vec<RawRelation>,
    /// Country boundaries of the extract (`boundary=administrative`,
    /// `admin_level=2`, an ISO 3166-1 alpha-2 code), by id; their member
    /// ways are in `boundary_ways`.
    pub country_relations: Vec<CountryRelation>,
    /// The node ids of ways tagged `boundary=administrative` and
    /// `admin_level=2` (those country boundaries are drawn with), by way id.
    pub boundary_ways: Vec<(i64, Vec<i64>)>,
    /// Sum of every node's latitude in 1e-7 degrees (OSM's resolution) and
    /// the number of nodes: their mean scales the nearest-node search
    /// whether or not the nodes' coordinates are kept. Integer, so the sum
    /// does not depend on the order blocks are read in.
    pub lat_e7_sum: i128,
    pub lat_count: u64,
}

/// How many passes to read a file in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Passes {
    /// One for files smaller than [`TWO_PASSES_FROM_BYTES`], two above.
    #[default]
    Auto,
    /// Every node's coordinates in memory (24 bytes a node, fastest).
    One,
    /// Coordinates of needed nodes only; the file is read twice.
    Two,
}

/// From this file size on, [`Passes::Auto`] reads in two passes: a 16 MB
/// `.osm.pbf` holds about 2 million nodes, 48 MB of coordinates at 24
/// bytes each, where a second read costs a second or two.
pub const TWO_PASSES_FROM_BYTES: u64 = 16 << 20;

/// What one pass keeps.
#[derive(Clone, Copy)]
enum Pass<'a> {
    /// Everything, with every node's coordinates.
    All,
    /// Everything but node coordinates.
    Elements,
    /// Only the coordinates of these nodes (sorted), nothing else.
    Coords(&'a [i64]),
}

impl RawOsm {
    /// The mean latitude of the file's nodes (of the kept coordinates when
    /// the elements were not read from a file).
    pub fn mean_lat(&self) -> f64 {
        if self.lat_count > 0 {
            self.lat_e7_sum as f64 / self.lat_count as f64 / 1e7
        } else if self.coords.is_empty() {
            0.0
        } else {
            self.coords.iter().map(|c| c.1[1]).sum::<f64>() / self.coords.len() as f64
        }
    }

    /// The nodes whose coordinates the build looks up: those of kept ways
    /// and the node members of station relations, sorted, once each.
    fn needed_nodes(&self) -> Vec<i64> {
        let mut v: Vec<i64> = self
            .ways
            .iter()
            .flat_map(|w| w.refs.iter().copied())
            .chain(
                self.station_relations
                    .iter()
                    .flat_map(|r| r.nodes.iter().copied()),
            )
            .chain(self.boundary_ways.iter().flat_map(|w| w.1.iter().copied()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    pub fn coord(&self, id: i64) -> Option<[f64; 2]> {
        self.coords
            .binary_search_by_key(&id, |c| c.0)
            .ok()
            .map(|i| self.coords[i].1)
    }

    fn finish(&mut self) {
        self.coords.sort_unstable_by_key(|c| c.0);
        self.coords.dedup_by_key(|c| c.0);
        self.points.sort_by_key(|p| p.id);
        self.ways.sort_by_key(|w| w.id);
        self.station_relations.sort_by_key(|r| r.id);
        self.country_relations.sort_by_key(|r| r.id);
        self.boundary_ways.sort_by_key(|w| w.0);
        let ferries: BTreeSet<i64> = self
            .ways
            .iter()
            .filter(|w| w.kind == WayKind::Ferry)
            .map(|w| w.id)
            .collect();
        let missed = self
            .ferry_relation_members
            .iter()
            .filter(|id| !ferries.contains(id))
            .count();
        if missed > 0 {
            *self
                .skipped
                .entry("route=ferry relation member way without its own route=ferry tag (relations are not followed)".into())
                .or_default() += missed;
        }
    }

    fn append(&mut self, mut o: RawOsm) {
        self.coords.append(&mut o.coords);
        self.points.append(&mut o.points);
        self.ways.append(&mut o.ways);
        self.counts.nodes += o.counts.nodes;
        self.counts.ways += o.counts.ways;
        self.counts.relations += o.counts.relations;
        self.lat_e7_sum += o.lat_e7_sum;
        self.lat_count += o.lat_count;
        for (k, v) in o.skipped {
            *self.skipped.entry(k).or_default() += v;
        }
        self.ferry_relation_members
            .append(&mut o.ferry_relation_members);
        self.station_relations.append(&mut o.station_relations);
        self.country_relations.append(&mut o.country_relations);
        self.boundary_ways.append(&mut o.boundary_ways);
    }

    /// A kept way by id (ways are sorted once the file is read).
    pub fn way(&self, id: i64) -> Option<&RawWay> {
        self.ways
            .binary_search_by_key(&id, |w| w.id)
            .ok()
            .map(|i| &self.ways[i])
    }

    fn relation(&mut self, pass: Pass, id: i64, tags: &[(&str, &str)], members: &[(bool, i64)]) {
        if matches!(pass, Pass::Coords(_)) {
            return;
        }
        self.counts.relations += 1;
        if tags.iter().any(|&(k, v)| k == "route" && v == "ferry") {
            self.ferry_relation_members
                .extend(members.iter().filter(|m| !m.0).map(|m| m.1));
        }
        if let Some(code) = country_relation_code(tags) {
            self.country_relations.push(CountryRelation {
                id,
                code,
                ways: members.iter().filter(|m| !m.0).map(|m| m.1).collect(),
            });
        }
        if station_relation(tags) {
            self.station_relations.push(RawRelation {
                id,
                tags: own(tags),
                nodes: members.iter().filter(|m| m.0).map(|m| m.1).collect(),
                ways: members.iter().filter(|m| !m.0).map(|m| m.1).collect(),
            });
        }
    }

    fn node(&mut self, pass: Pass, id: i64, lon: f64, lat: f64, tags: &[(&str, &str)]) {
        match pass {
            Pass::All => self.coords.push((id, [lon, lat])),
            Pass::Elements => {}
            Pass::Coords(needed) => {
                if needed.binary_search(&id).is_ok() {
                    self.coords.push((id, [lon, lat]));
                }
                return;
            }
        }
        self.counts.nodes += 1;
        self.lat_e7_sum += (lat * 1e7).round() as i128;
        self.lat_count += 1;
        if tags.iter().any(|&(k, v)| point_of_interest(k, v)) {
            self.points.push(RawPoint {
                id,
                lon,
                lat,
                tags: own(tags),
            });
        }
    }

    fn push_way(
        &mut self,
        pass: Pass,
        cfg: &OsmConfig,
        id: i64,
        refs: Vec<i64>,
        tags: &[(&str, &str)],
    ) {
        if matches!(pass, Pass::Coords(_)) {
            return;
        }
        self.counts.ways += 1;
        if country_boundary_way(tags) {
            self.boundary_ways.push((id, refs.clone()));
        }
        match classify_way(cfg, tags) {
            Classified::Keep(kind) => self.ways.push(RawWay {
                id,
                refs,
                tags: own(tags),
                kind,
            }),
            Classified::Skip(reason) => *self.skipped.entry(reason).or_default() += 1,
            Classified::Ignore => {}
        }
    }
}

fn own(tags: &[(&str, &str)]) -> Vec<(String, String)> {
    tags.iter()
        .map(|&(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn point_of_interest(k: &str, v: &str) -> bool {
    matches!(
        (k, v),
        ("railway", "station" | "halt" | "yard")
            | ("amenity", "ferry_terminal")
            | ("landuse" | "industrial", "port")
            | ("seamark:type", "harbour")
            | ("barrier", "border_control")
            | ("waterway", "lock_gate")
    ) || (k == "harbour" && v != "no")
}

enum Classified {
    Keep(WayKind),
    Skip(String),
    Ignore,
}

/// Rail services that are yards and sidings rather than running lines.
pub const SIDING_SERVICES: [&str; 4] = ["yard", "siding", "spur", "crossover"];

fn classify_way(cfg: &OsmConfig, tags: &[(&str, &str)]) -> Classified {
    let get = |k: &str| tags.iter().find(|(kk, _)| *kk == k).map(|(_, v)| *v);
    if let Some(r) = get("railway") {
        return match r {
            "rail" | "narrow_gauge" if cfg.rail => match get("service") {
                Some(s) if SIDING_SERVICES.contains(&s) && !cfg.keep_sidings => Classified::Skip(
                    format!("railway={r} service={s} (keep with --keep-sidings)"),
                ),
                _ => Classified::Keep(WayKind::Rail),
            },
            "light_rail" | "tram" | "subway" | "funicular" | "monorail" | "miniature"
                if cfg.rail =>
            {
                Classified::Skip(format!("railway={r} (not a freight railway)"))
            }
            "yard" => Classified::Keep(WayKind::Area),
            // Stations drawn as areas (often the station building).
            "station" | "halt" if cfg.rail => Classified::Keep(WayKind::Area),
            _ => Classified::Ignore,
        };
    }
    if let Some(h) = get("highway") {
        if !cfg.road {
            return Classified::Ignore;
        }
        if get("area") == Some("yes") {
            return Classified::Ignore;
        }
        return if cfg.road_classes.iter().any(|c| c == h) {
            Classified::Keep(WayKind::Road)
        } else {
            Classified::Skip(format!("highway={h} (not in the road classes)"))
        };
    }
    if let Some(w @ ("river" | "canal")) = get("waterway") {
        if !cfg.waterway {
            return Classified::Ignore;
        }
        let navigable = get("ship") != Some("no")
            && (get("CEMT").is_some_and(|c| c != "0") || get("ship") == Some("yes"));
        return if navigable {
            Classified::Keep(WayKind::Waterway)
        } else {
            Classified::Skip(format!(
                "waterway={w} without CEMT or ship=yes (not navigable by freight)"
            ))
        };
    }
    if get("route") == Some("ferry") {
        return if cfg.ferry {
            Classified::Keep(WayKind::Ferry)
        } else {
            Classified::Ignore
        };
    }
    if tags.iter().any(|&(k, v)| point_of_interest(k, v)) {
        return Classified::Keep(WayKind::Area);
    }
    Classified::Ignore
}

/// Reads an OSM file, choosing the format by its name (`.pbf`, `.osm.gz`,
/// `.osm`), in one or two passes as `cfg.passes` says. `progress` is called
/// with the bytes (XML) or blocks (PBF) read so far in the current pass.
pub fn read_file(
    path: &Path,
    cfg: &OsmConfig,
    progress: &mut dyn FnMut(u64),
) -> crate::Result<RawOsm> {
    let two = match cfg.passes {
        Passes::One => false,
        Passes::Two => true,
        Passes::Auto => std::fs::metadata(path)
            .map(|m| m.len() >= TWO_PASSES_FROM_BYTES)
            .unwrap_or(false),
    };
    let mut raw = if two {
        let mut raw = read_pass(path, cfg, Pass::Elements, progress)?;
        let needed = raw.needed_nodes();
        raw.coords = read_pass(path, cfg, Pass::Coords(&needed), progress)?.coords;
        raw
    } else {
        read_pass(path, cfg, Pass::All, progress)?
    };
    raw.finish();
    Ok(raw)
}

fn read_pass(
    path: &Path,
    cfg: &OsmConfig,
    pass: Pass,
    progress: &mut dyn FnMut(u64),
) -> crate::Result<RawOsm> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let file = path.display().to_string();
    let io = |e: std::io::Error| Error::Import {
        file: file.clone(),
        at: String::new(),
        message: e.to_string(),
    };
    if name.ends_with(".pbf") {
        read_pbf(path, cfg, pass, progress)
    } else if name.ends_with(".gz") {
        let f = File::open(path).map_err(io)?;
        read_xml(
            BufReader::new(GzDecoder::new(f)),
            &file,
            cfg,
            pass,
            progress,
        )
    } else if name.ends_with(".osm") || name.ends_with(".xml") {
        let f = File::open(path).map_err(io)?;
        read_xml(BufReader::new(f), &file, cfg, pass, progress)
    } else {
        Err(Error::Import {
            file,
            at: String::new(),
            message: "unknown OSM format (expected .osm.pbf, .osm or .osm.gz)".into(),
        })
    }
}

fn read_pbf(
    path: &Path,
    cfg: &OsmConfig,
    pass: Pass,
    progress: &mut dyn FnMut(u64),
) -> crate::Result<RawOsm> {
    use osmpbf::{BlobReader, Element, RelMemberType};
    use rayon::prelude::*;
    let file = path.display().to_string();
    let err = |m: String| Error::Import {
        file: file.clone(),
        at: String::new(),
        message: m,
    };
    let reader = BlobReader::from_path(path).map_err(|e| err(e.to_string()))?;
    // Blobs are read in order, then decompressed and decoded in parallel in
    // batches (zlib dominates), and their elements appended in file order so
    // the result does not depend on the thread count.
    const BATCH: usize = 64;
    let mut raw = RawOsm::default();
    let mut blobs = reader.enumerate().peekable();
    let mut done = 0u64;
    while blobs.peek().is_some() {
        let batch: Vec<(usize, osmpbf::Blob)> = blobs
            .by_ref()
            .take(BATCH)
            .map(|(i, b)| {
                b.map(|b| (i, b))
                    .map_err(|e| err(format!("blob {}: {e}", i + 1)))
            })
            .collect::<crate::Result<_>>()?;
        let parts: Vec<crate::Result<RawOsm>> = batch
            .into_par_iter()
            .map(|(i, blob)| {
                let mut part = RawOsm::default();
                let block = match blob
                    .decode()
                    .map_err(|e| err(format!("blob {}: {e}", i + 1)))?
                {
                    osmpbf::BlobDecode::OsmData(b) => b,
                    _ => return Ok(part),
                };
                let mut tags: Vec<(&str, &str)> = Vec::new();
                for el in block.elements() {
                    match el {
                        Element::Node(n) => {
                            check_lon_lat(n.lon(), n.lat()).map_err(|m| {
                                err(format!("blob {}: node {}: {m}", i + 1, n.id()))
                            })?;
                            tags.clear();
                            tags.extend(n.tags());
                            part.node(pass, n.id(), n.lon(), n.lat(), &tags);
                        }
                        Element::DenseNode(n) => {
                            check_lon_lat(n.lon(), n.lat()).map_err(|m| {
                                err(format!("blob {}: node {}: {m}", i + 1, n.id()))
                            })?;
                            tags.clear();
                            tags.extend(n.tags());
                            part.node(pass, n.id(), n.lon(), n.lat(), &tags);
                        }
                        Element::Way(_) | Element::Relation(_)
                            if matches!(pass, Pass::Coords(_)) => {}
                        Element::Way(w) => {
                            tags.clear();
                            tags.extend(w.tags());
                            let refs = w.refs().collect();
                            part.push_way(pass, cfg, w.id(), refs, &tags);
                        }
                        Element::Relation(r) => {
                            tags.clear();
                            tags.extend(r.tags());
                            let members: Vec<(bool, i64)> = r
                                .members()
                                .filter(|m| m.member_type != RelMemberType::Relation)
                                .map(|m| (m.member_type == RelMemberType::Node, m.member_id))
                                .collect();
                            part.relation(pass, r.id(), &tags, &members);
                        }
                    }
                }
                Ok(part)
            })
            .collect();
        for part in parts {
            raw.append(part?);
            done += 1;
        }
        progress(done);
    }
    Ok(raw)
}

#[derive(PartialEq)]
enum Open {
    None,
    Node { id: i64, lon: f64, lat: f64 },
    Way { id: i64 },
    Relation { id: i64 },
}

/// The XML element being read: its children (tags, node refs, relation
/// members) arrive one event at a time until it closes.
struct Pending {
    open: Open,
    tags: Vec<(String, String)>,
    refs: Vec<i64>,
    /// Relation members: (is a node, id).
    members: Vec<(bool, i64)>,
}

impl Pending {
    /// Hands the element to `raw` when `name` closes it, and starts afresh.
    fn close(&mut self, name: &[u8], raw: &mut RawOsm, cfg: &OsmConfig, pass: Pass) {
        match (name, &self.open) {
            (b"node", &Open::Node { id, lon, lat }) => {
                let t: Vec<(&str, &str)> = self
                    .tags
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                raw.node(pass, id, lon, lat, &t);
            }
            (b"way", &Open::Way { id }) => {
                let t: Vec<(&str, &str)> = self
                    .tags
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                raw.push_way(pass, cfg, id, std::mem::take(&mut self.refs), &t);
            }
            (b"relation", &Open::Relation { id }) => {
                let t: Vec<(&str, &str)> = self
                    .tags
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                raw.relation(pass, id, &t, &self.members);
            }
            _ => return,
        }
        self.open = Open::None;
        self.tags.clear();
        self.refs.clear();
        self.members.clear();
    }
}

fn read_xml<R: BufRead>(
    input: R,
    file: &str,
    cfg: &OsmConfig,
    pass: Pass,
    progress: &mut dyn FnMut(u64),
) -> crate::Result<RawOsm> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut raw = RawOsm::default();
    let mut events = 0u64;
    let mut el = Pending {
        open: Open::None,
        tags: Vec::new(),
        refs: Vec::new(),
        members: Vec::new(),
    };
    let err = |reader: &quick_xml::Reader<R>, m: String| Error::Import {
        file: file.to_string(),
        at: format!("byte {}", reader.buffer_position()),
        message: m,
    };
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| err(&reader, e.to_string()))?;
        let (e, empty) = match &ev {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(e) => {
                el.close(e.name().as_ref(), &mut raw, cfg, pass);
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        let Some(e) = e else {
            buf.clear();
            continue;
        };
        let name = e.name().as_ref().to_vec();
        match name.as_slice() {
            b"node" => {
                let id = attr_i64(e, b"id").map_err(|m| err(&reader, format!("node: {m}")))?;
                let lat =
                    attr_f64(e, b"lat").map_err(|m| err(&reader, format!("node {id}: {m}")))?;
                let lon =
                    attr_f64(e, b"lon").map_err(|m| err(&reader, format!("node {id}: {m}")))?;
                check_lon_lat(lon, lat).map_err(|m| err(&reader, format!("node {id}: {m}")))?;
                el.open = Open::Node { id, lon, lat };
            }
            b"way" => {
                let id = attr_i64(e, b"id").map_err(|m| err(&reader, format!("way: {m}")))?;
                el.open = Open::Way { id };
            }
            b"relation" => {
                let id = attr_i64(e, b"id").map_err(|m| err(&reader, format!("relation: {m}")))?;
                el.open = Open::Relation { id };
            }
            b"tag" => {
                let k = attr_str(e, b"k").map_err(|m| err(&reader, format!("tag: {m}")))?;
                let v = attr_str(e, b"v").map_err(|m| err(&reader, format!("tag: {m}")))?;
                el.tags.push((k, v));
            }
            b"nd" => {
                el.refs
                    .push(attr_i64(e, b"ref").map_err(|m| err(&reader, format!("nd: {m}")))?);
            }
            b"member" => {
                let node = match attr_str(e, b"type").ok().as_deref() {
                    Some("node") => true,
                    Some("way") => false,
                    _ => {
                        buf.clear();
                        continue;
                    }
                };
                if let Ok(r) = attr_i64(e, b"ref") {
                    el.members.push((node, r));
                }
            }
            _ => {}
        }
        if empty {
            el.close(&name, &mut raw, cfg, pass);
        }
        events += 1;
        if events.is_multiple_of(65536) {
            progress(reader.buffer_position());
        }
        buf.clear();
    }
    Ok(raw)
}

fn attr_str(e: &BytesStart<'_>, key: &[u8]) -> Result<String, String> {
    for a in e.attributes() {
        let a = a.map_err(|x| x.to_string())?;
        if a.key.as_ref() == key {
            return a
                .unescape_value()
                .map(|v| v.into_owned())
                .map_err(|x| format!("{}: {x}", String::from_utf8_lossy(key)));
        }
    }
    Err(format!("{}: missing", String::from_utf8_lossy(key)))
}

fn attr_i64(e: &BytesStart<'_>, key: &[u8]) -> Result<i64, String> {
    let s = attr_str(e, key)?;
    s.trim().parse().map_err(|_| {
        format!(
            "{}: \"{s}\" is not a whole number",
            String::from_utf8_lossy(key)
        )
    })
}

fn attr_f64(e: &BytesStart<'_>, key: &[u8]) -> Result<f64, String> {
    let s = attr_str(e, key)?;
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!(
            "{}: \"{s}\" is not a number",
            String::from_utf8_lossy(key)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(text: &str) -> crate::Result<RawOsm> {
        read_xml(
            text.as_bytes(),
            "t.osm",
            &OsmConfig::default(),
            Pass::All,
            &mut |_| {},
        )
    }

    #[test]
    fn coordinates_out_of_range_are_refused_with_the_node() {
        let way = r#"<way id="7"><nd ref="1"/><nd ref="2"/><tag k="railway" v="rail"/></way>"#;
        for (lat, lon) in [("999", "0"), ("0", "-180.5"), ("-90.01", "10")] {
            let text = format!(
                r#"<osm><node id="1" lat="{lat}" lon="{lon}"/><node id="2" lat="1" lon="1"/>{way}</osm>"#
            );
            let msg = xml(&text).unwrap_err().to_string();
            assert!(
                msg.starts_with("t.osm: byte ")
                    && msg.contains("node 1: ")
                    && msg.contains("out of range"),
                "{msg}"
            );
        }
        let ok = format!(
            r#"<osm><node id="1" lat="-90" lon="180"/><node id="2" lat="90" lon="-180"/>{way}</osm>"#
        );
        assert_eq!(xml(&ok).unwrap().coords.len(), 2);
    }

    #[test]
    fn the_coordinate_pass_keeps_only_nodes_of_kept_ways_and_station_relations() {
        let text = r#"<osm>
            <node id="1" lat="48.1" lon="16"/><node id="2" lat="48.2" lon="16"/>
            <node id="3" lat="48.3" lon="16"/><node id="4" lat="48.4" lon="16"/>
            <node id="5" lat="48.5" lon="16"><tag k="railway" v="station"/></node>
            <node id="6" lat="48.6" lon="16"/>
            <way id="7"><nd ref="1"/><nd ref="2"/><tag k="railway" v="rail"/></way>
            <way id="8"><nd ref="3"/><nd ref="4"/><tag k="building" v="yes"/></way>
            <relation id="9"><member type="node" ref="6"/><tag k="railway" v="station"/></relation>
        </osm>"#;
        let cfg = OsmConfig::default();
        let read = |pass| read_xml(text.as_bytes(), "t.osm", &cfg, pass, &mut |_| {}).unwrap();
        let all = read(Pass::All);
        let mut elements = read(Pass::Elements);
        assert!(elements.coords.is_empty());
        assert_eq!(elements.counts, all.counts);
        assert_eq!(elements.points.len(), 1);
        let needed = elements.needed_nodes();
        assert_eq!(needed, [1, 2, 6]);
        let coords = read(Pass::Coords(&needed));
        assert_eq!(coords.counts, ElementCounts::default());
        assert!(coords.ways.is_empty() && coords.points.is_empty());
        elements.coords = coords.coords;
        elements.finish();
        assert_eq!(elements.coord(2), Some([16.0, 48.2]));
        assert_eq!(elements.coord(3), None);
        // The mean latitude is of every node, kept or not.
        assert!((elements.mean_lat() - 48.35).abs() < 1e-12);
        assert_eq!(elements.mean_lat(), all.mean_lat());
    }
}
