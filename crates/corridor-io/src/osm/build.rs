//! Turning the ways and tagged nodes of an OSM file into a Corridor
//! network: split ways where they meet and at the extract's edge, contract
//! chains of degree-2 nodes into one link that keeps its geometry, attach
//! stations, ports and yards to the nearest vertices, and find border
//! crossings (tagged checkpoints and changes of country along a way).
//!
//! It reads nothing (that is `read.rs`) and writes nothing; the result is a
//! [`Network`] plus diagnostics and a summary.

use super::read::{RawOsm, RawPoint, WayKind, tag};
use super::{OsmConfig, OsmImport, OsmSummary};
use crate::countries::CountryIndex;
use corridor_model::{
    Border, Diagnostic, Layer, Link, Mode, ModeTable, Network, Node, NodeKind, Terminal,
    network::haversine_km,
};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Link attributes that must match for two pieces to be contracted.
#[derive(Clone, Debug, PartialEq)]
struct Attrs {
    mode: Mode,
    gauges: Vec<u16>,
    oneway: bool,
    speed_kmh: Option<f64>,
    open: bool,
    tags: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Family {
    Rail,
    Road,
    Water,
}

impl Family {
    fn name(self) -> &'static str {
        match self {
            Family::Rail => "rail",
            Family::Road => "road",
            Family::Water => "water",
        }
    }
}

struct Seg {
    way: i64,
    piece: u32,
    nodes: Vec<i64>,
    attrs: usize,
    ways: Vec<i64>,
}

struct TerminalSite {
    /// `n123` for a node, `w123` for an area.
    osm: String,
    name: String,
    kind: NodeKind,
    lon: f64,
    lat: f64,
    families: Vec<Family>,
    attached: Vec<(Family, i64)>,
}

pub(super) fn build(
    raw: &RawOsm,
    cfg: &OsmConfig,
    countries: Option<&CountryIndex>,
    file: &str,
) -> OsmImport {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut skipped = raw.skipped.clone();
    let mut skip = |reason: &str, n: usize| {
        if n > 0 {
            *skipped.entry(reason.to_string()).or_default() += n;
        }
    };

    // A. Attributes per network way, and its node runs inside the extract.
    let mut attrs: Vec<Attrs> = Vec::new();
    let mut parts: Vec<(i64, Vec<i64>, usize)> = Vec::new();
    let mut missing_nodes = 0usize;
    for w in &raw.ways {
        let mode = match w.kind {
            WayKind::Rail => Mode::Rail,
            WayKind::Road => Mode::Road,
            WayKind::Ferry => cfg.ferry_mode,
            WayKind::Area => continue,
        };
        let (a, reverse) = way_attrs(w, mode, cfg, &mut diags);
        let ai = match attrs.iter().position(|x| *x == a) {
            Some(i) => i,
            None => {
                attrs.push(a);
                attrs.len() - 1
            }
        };
        let mut refs = w.refs.clone();
        if reverse {
            refs.reverse();
        }
        let mut run: Vec<i64> = Vec::new();
        for r in refs {
            if raw.coord(r).is_some() {
                run.push(r);
            } else {
                missing_nodes += 1;
                if run.len() >= 2 {
                    parts.push((w.id, std::mem::take(&mut run), ai));
                }
                run.clear();
            }
        }
        if run.len() >= 2 {
            parts.push((w.id, run, ai));
        }
    }
    skip(
        "way nodes outside the extract (ways cut at the edge)",
        missing_nodes,
    );

    // B. Split points: part ends, nodes shared by parts (or used twice).
    let mut uses: HashMap<i64, u32> = HashMap::new();
    for (_, nodes, _) in &parts {
        for &n in nodes {
            *uses.entry(n).or_default() += 1;
        }
    }
    let mut split: HashSet<i64> = HashSet::new();
    for (_, nodes, _) in &parts {
        split.insert(nodes[0]);
        split.insert(*nodes.last().expect("parts have two nodes"));
    }
    split.extend(uses.iter().filter(|(_, c)| **c >= 2).map(|(n, _)| *n));
    // Nodes that must stay vertices even between two pieces of one kind.
    let mut protected: HashSet<i64> = HashSet::new();

    // C. Stations and checkpoints that lie on a way.
    let mut names: BTreeMap<i64, (String, NodeKind)> = BTreeMap::new();
    let mut controls: Vec<&RawPoint> = Vec::new();
    for p in &raw.points {
        let on_way = uses.contains_key(&p.id);
        if matches!(p.tag("railway"), Some("station" | "halt")) && on_way {
            names.insert(p.id, (display_name(p), NodeKind::Station));
            split.insert(p.id);
            protected.insert(p.id);
        }
        if p.tag("barrier") == Some("border_control") {
            if on_way {
                controls.push(p);
                split.insert(p.id);
                protected.insert(p.id);
            } else {
                skip("barrier=border_control node on no imported way", 1);
            }
        }
    }

    // D. Attach off-way stations and terminal sites to the nearest vertex.
    let family_of = |ai: usize| match attrs[ai].mode {
        Mode::Rail => Family::Rail,
        Mode::Road => Family::Road,
        Mode::Sea | Mode::River => Family::Water,
    };
    let lat0 = if raw.coords.is_empty() {
        0.0
    } else {
        raw.coords.iter().map(|c| c.1[1]).sum::<f64>() / raw.coords.len() as f64
    };
    let kx = lat0.to_radians().cos().max(0.01);
    let mut node_layers: BTreeMap<i64, BTreeSet<(Family, Option<u16>)>> = BTreeMap::new();
    let mut trees: BTreeMap<Family, Vec<GeomWithData<[f64; 2], i64>>> = BTreeMap::new();
    for (_, nodes, ai) in &parts {
        let f = family_of(*ai);
        for &n in nodes {
            let set = node_layers.entry(n).or_default();
            let first = set.iter().all(|(ff, _)| *ff != f);
            set.insert((f, attrs[*ai].gauges.first().copied()));
            if first {
                let c = raw
                    .coord(n)
                    .expect("parts hold only nodes with coordinates");
                trees
                    .entry(f)
                    .or_default()
                    .push(GeomWithData::new([c[0] * kx, c[1]], n));
            }
        }
    }
    let trees: BTreeMap<Family, RTree<GeomWithData<[f64; 2], i64>>> = trees
        .into_iter()
        .map(|(f, v)| (f, RTree::bulk_load(v)))
        .collect();
    // Connected pieces per family: yards and sidings left out can leave
    // stubs of main line behind, and a port joined to a stub is useless.
    let mut comp: HashMap<i64, i64> = HashMap::new();
    fn root(comp: &mut HashMap<i64, i64>, x: i64) -> i64 {
        let mut r = x;
        while let Some(&p) = comp.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        let mut y = x;
        while y != r {
            let next = comp[&y];
            comp.insert(y, r);
            y = next;
        }
        r
    }
    // Keys carry the family: rail and road share nodes at level crossings
    // but are separate networks.
    let fkey = |f: Family, n: i64| n * 4 + f as i64;
    for (_, nodes, ai) in &parts {
        let f = family_of(*ai);
        for &n in nodes {
            comp.entry(fkey(f, n)).or_insert(fkey(f, n));
        }
        for w in nodes.windows(2) {
            let (a, b) = (
                root(&mut comp, fkey(f, w[0])),
                root(&mut comp, fkey(f, w[1])),
            );
            if a != b {
                comp.insert(a, b);
            }
        }
    }
    let mut comp_size: HashMap<i64, usize> = HashMap::new();
    let all: Vec<i64> = comp.keys().copied().collect();
    for n in all {
        let r = root(&mut comp, n);
        *comp_size.entry(r).or_default() += 1;
    }
    let nearest = |f: Family, lon: f64, lat: f64, max_km: f64| -> Option<i64> {
        let t = trees.get(&f)?;
        let mut first: Option<i64> = None;
        let mut best: Option<(usize, i64)> = None;
        // Among the vertices within reach, the one on the largest piece;
        // ties go to the nearest.
        for hit in t.nearest_neighbor_iter(&[lon * kx, lat]).take(2000) {
            let c = raw.coord(hit.data)?;
            if haversine_km(lon, lat, c[0], c[1]) > max_km {
                break;
            }
            first.get_or_insert(hit.data);
            let size = comp_size[&comp[&fkey(f, hit.data)]];
            if best.is_none_or(|(s, _)| size > s) {
                best = Some((size, hit.data));
            }
        }
        best.map(|b| b.1).or(first)
    };
    for p in &raw.points {
        if matches!(p.tag("railway"), Some("station" | "halt")) && !uses.contains_key(&p.id) {
            match nearest(Family::Rail, p.lon, p.lat, cfg.station_attach_km) {
                Some(n) => {
                    names
                        .entry(n)
                        .or_insert_with(|| (display_name(p), NodeKind::Station));
                    split.insert(n);
                    protected.insert(n);
                }
                None => skip("station with no imported railway within reach", 1),
            }
        }
    }
    let mut sites: Vec<TerminalSite> = Vec::new();
    for p in &raw.points {
        if let Some((kind, families)) = site_kind(&p.tags) {
            sites.push(TerminalSite {
                osm: format!("n{}", p.id),
                name: display_name(p),
                kind,
                lon: p.lon,
                lat: p.lat,
                families,
                attached: Vec::new(),
            });
        }
    }
    for w in raw.ways.iter().filter(|w| w.kind == WayKind::Area) {
        let Some((kind, families)) = site_kind(&w.tags) else {
            continue;
        };
        let pts: Vec<[f64; 2]> = w.refs.iter().filter_map(|&r| raw.coord(r)).collect();
        if pts.is_empty() {
            skip("port or yard area with no node inside the extract", 1);
            continue;
        }
        let lon = pts.iter().map(|p| p[0]).sum::<f64>() / pts.len() as f64;
        let lat = pts.iter().map(|p| p[1]).sum::<f64>() / pts.len() as f64;
        let name = tag(&w.tags, "name")
            .map(str::to_string)
            .unwrap_or_else(|| format!("w{}", w.id));
        sites.push(TerminalSite {
            osm: format!("w{}", w.id),
            name,
            kind,
            lon,
            lat,
            families,
            attached: Vec::new(),
        });
    }
    for s in &mut sites {
        for &f in &s.families {
            if let Some(n) = nearest(f, s.lon, s.lat, cfg.attach_km) {
                s.attached.push((f, n));
                split.insert(n);
                protected.insert(n);
            }
        }
    }
    let before = sites.len();
    sites.retain(|s| !s.attached.is_empty());
    skip(
        "port, yard or ferry terminal with no imported link within --attach-km",
        before - sites.len(),
    );

    // E. Countries along each part; a change of country is a crossing.
    let mut country: HashMap<i64, Option<String>> = HashMap::new();
    let mut crossings: BTreeMap<i64, [String; 2]> = BTreeMap::new();
    if let Some(ci) = countries {
        for (_, nodes, _) in &parts {
            let mut last: Option<String> = None;
            for &n in nodes {
                let c = country
                    .entry(n)
                    .or_insert_with(|| {
                        let c = raw.coord(n).expect("coordinates checked");
                        ci.country_at(c[0], c[1]).map(str::to_string)
                    })
                    .clone();
                if let Some(c) = c {
                    if let Some(prev) = &last
                        && *prev != c
                    {
                        let mut pair = [prev.clone(), c.clone()];
                        pair.sort();
                        crossings.entry(n).or_insert(pair);
                        split.insert(n);
                        protected.insert(n);
                    }
                    last = Some(c);
                }
            }
        }
    }

    // F. Cut parts at split points.
    let mut segs: Vec<Option<Seg>> = Vec::new();
    let mut piece_of: BTreeMap<i64, u32> = BTreeMap::new();
    let mut self_loops = 0;
    for (way, nodes, ai) in &parts {
        let mut cur = vec![nodes[0]];
        for &n in &nodes[1..] {
            cur.push(n);
            if split.contains(&n) {
                if cur[0] == n {
                    self_loops += 1;
                } else {
                    let p = piece_of.entry(*way).or_default();
                    segs.push(Some(Seg {
                        way: *way,
                        piece: *p,
                        nodes: std::mem::take(&mut cur),
                        attrs: *ai,
                        ways: vec![*way],
                    }));
                    *p += 1;
                }
                cur = vec![n];
            }
        }
    }
    skip(
        "closed loops with no junction on them (a way returning to its start)",
        self_loops,
    );

    // G. Contract chains of degree-2 nodes.
    let mut ends: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, s) in segs.iter().enumerate() {
        let s = s.as_ref().expect("all present");
        ends.entry(s.nodes[0]).or_default().push(i);
        ends.entry(*s.nodes.last().expect("two nodes"))
            .or_default()
            .push(i);
    }
    let mut candidates: Vec<i64> = ends
        .iter()
        .filter(|(n, v)| v.len() == 2 && !protected.contains(n))
        .map(|(n, _)| *n)
        .collect();
    candidates.sort_unstable();
    for v in candidates {
        let inc = &ends[&v];
        if inc.len() != 2 || inc[0] == inc[1] {
            continue;
        }
        let (i, j) = (inc[0].min(inc[1]), inc[0].max(inc[1]));
        let (a, b) = (
            segs[i].as_ref().expect("live"),
            segs[j].as_ref().expect("live"),
        );
        if a.attrs != b.attrs {
            continue;
        }
        let oneway = attrs[a.attrs].oneway;
        let a_first = a.nodes[0] == v;
        let b_first = b.nodes[0] == v;
        let a_last = *a.nodes.last().expect("two nodes") == v;
        let b_last = *b.nodes.last().expect("two nodes") == v;
        // Merged geometry in a's direction when possible.
        let merged: Vec<i64> = if a_last && b_first {
            a.nodes.iter().chain(&b.nodes[1..]).copied().collect()
        } else if b_last && a_first {
            b.nodes.iter().chain(&a.nodes[1..]).copied().collect()
        } else if oneway {
            continue;
        } else if a_last && b_last {
            a.nodes
                .iter()
                .chain(b.nodes.iter().rev().skip(1))
                .copied()
                .collect()
        } else {
            a.nodes.iter().rev().chain(&b.nodes[1..]).copied().collect()
        };
        if merged[0] == *merged.last().expect("two nodes") {
            continue;
        }
        let b = segs[j].take().expect("live");
        let a = segs[i].as_mut().expect("live");
        a.nodes = merged;
        for w in b.ways {
            if !a.ways.contains(&w) {
                a.ways.push(w);
            }
        }
        let other = if b.nodes[0] == v {
            *b.nodes.last().expect("two nodes")
        } else {
            b.nodes[0]
        };
        for x in ends.get_mut(&other).expect("indexed").iter_mut() {
            if *x == j {
                *x = i;
            }
        }
        ends.remove(&v);
    }

    // H. Emit nodes and links, sorted by OSM id for stable output.
    let mut net = Network::new(&format!("osm {file}"));
    let mut vertex_ids: BTreeSet<i64> = BTreeSet::new();
    for s in segs.iter().flatten() {
        vertex_ids.insert(s.nodes[0]);
        vertex_ids.insert(*s.nodes.last().expect("two nodes"));
    }
    let control_ids: BTreeSet<i64> = controls.iter().map(|p| p.id).collect();
    let country_of = |n: i64, country: &mut HashMap<i64, Option<String>>| -> String {
        match countries {
            Some(ci) => country
                .entry(n)
                .or_insert_with(|| {
                    let c = raw.coord(n).expect("coordinates checked");
                    ci.country_at(c[0], c[1]).map(str::to_string)
                })
                .clone()
                .unwrap_or_default(),
            None => String::new(),
        }
    };
    for &n in &vertex_ids {
        let c = raw.coord(n).expect("coordinates checked");
        let kind = if control_ids.contains(&n) || crossings.contains_key(&n) {
            NodeKind::Border
        } else {
            names.get(&n).map(|x| x.1).unwrap_or(NodeKind::Junction)
        };
        let mut node = Node::new(
            &format!("n{n}"),
            kind,
            c[0],
            c[1],
            &country_of(n, &mut country),
        );
        if let Some((name, _)) = names.get(&n) {
            node.name = name.clone();
        } else if let Some(p) = controls.iter().find(|p| p.id == n) {
            node.name = display_name(p);
        }
        net.add_node(node).expect("OSM node ids are unique");
    }
    let mut live: Vec<&Seg> = segs.iter().flatten().collect();
    live.sort_by_key(|s| (s.way, s.piece));
    for s in live {
        let a = &attrs[s.attrs];
        let from = net.node_id(&format!("n{}", s.nodes[0])).expect("added");
        let to = net
            .node_id(&format!("n{}", s.nodes.last().expect("two nodes")))
            .expect("added");
        let geometry: Vec<[f64; 2]> = s
            .nodes
            .iter()
            .map(|&n| raw.coord(n).expect("coordinates checked"))
            .collect();
        let length: f64 = geometry
            .windows(2)
            .map(|p| haversine_km(p[0][0], p[0][1], p[1][0], p[1][1]))
            .sum();
        let gauges: Vec<Option<u16>> = if a.mode == Mode::Rail {
            a.gauges.iter().map(|g| Some(*g)).collect()
        } else {
            vec![None]
        };
        for g in &gauges {
            let id = if gauges.len() > 1 {
                format!("w{}-{}@{}", s.way, s.piece, g.expect("rail"))
            } else {
                format!("w{}-{}", s.way, s.piece)
            };
            let mut l = Link::new(&id, from, to, a.mode, *g, length);
            l.speed_kmh = a.speed_kmh;
            l.oneway = a.oneway;
            l.open = a.open;
            l.tags = a.tags.clone();
            for w in &s.ways[1..] {
                l.tags.push(format!("osm:way={w}"));
            }
            l.geometry = geometry.clone();
            net.add_link(l).expect("link ids are unique");
        }
    }

    // I. Borders: tagged checkpoints first, then detected changes of country.
    for p in &controls {
        let Some(node) = net.node_id(&format!("n{}", p.id)) else {
            continue;
        };
        let here = net.node(node).country.clone();
        let other = other_side(&parts, p.id, &here, &mut country, countries, raw);
        let countries_pair = match (crossings.get(&p.id), other) {
            (Some(pair), _) => pair.clone(),
            (None, Some(o)) => {
                let mut pair = [here.clone(), o];
                pair.sort();
                pair
            }
            (None, None) => {
                diags.push(Diagnostic::warning(
                    format!("node {}", p.id),
                    Some("barrier"),
                    format!(
                        "border_control with no other country found along its ways; both sides set to \"{here}\""
                    ),
                ));
                [here.clone(), here.clone()]
            }
        };
        net.add_border(Border {
            source_id: format!("b-n{}", p.id),
            name: display_name(p),
            node,
            countries: countries_pair,
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
    for (n, pair) in &crossings {
        if control_ids.contains(n) {
            continue;
        }
        let node = net
            .node_id(&format!("n{n}"))
            .expect("crossings are vertices");
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

    // J. Terminals: a node at the site joined by connector links.
    sites.sort_by(|a, b| a.osm.cmp(&b.osm));
    sites.dedup_by(|a, b| a.osm == b.osm);
    let mut terminals = 0usize;
    for s in &sites {
        let id = format!("t{}", s.osm);
        let mut node = Node::new(
            &id,
            s.kind,
            s.lon,
            s.lat,
            &country_of_point(countries, s.lon, s.lat),
        );
        node.name = s.name.clone();
        let tn = net.add_node(node).expect("unique");
        let mut layers: BTreeSet<Layer> = BTreeSet::new();
        for &(f, v) in &s.attached {
            let Some(vn) = net.node_id(&format!("n{v}")) else {
                continue;
            };
            let (mode, gauge) = match f {
                Family::Rail => (
                    Mode::Rail,
                    node_layers
                        .get(&v)
                        .and_then(|set| set.iter().find(|(ff, _)| *ff == f).and_then(|x| x.1))
                        .or(Some(cfg.default_gauge_mm)),
                ),
                Family::Road => (Mode::Road, None),
                Family::Water => (cfg.ferry_mode, None),
            };
            let c = net.node(vn);
            let len = haversine_km(s.lon, s.lat, c.lon, c.lat);
            let mut l = Link::new(&format!("{id}>{}", f.name()), tn, vn, mode, gauge, len);
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
        // One layer only: no transfer to offer yet (a merge may add one).
        if transfers.is_empty() {
            continue;
        }
        net.add_terminal(Terminal {
            source_id: id.clone(),
            name: s.name.clone(),
            node: tn,
            transfers,
            handling_cost_per_t: cfg.terminal.handling_cost_per_t,
            hours: cfg.terminal.hours,
            co2_kg_per_t: cfg.terminal.co2_kg_per_t,
            capacity_t_per_day: None,
            commodities: Default::default(),
            open: true,
            tags: vec![format!("osm:{}", s.osm), s.kind.as_str().to_string()],
            source: None,
        })
        .expect("unique");
        terminals += 1;
    }

    let summary = OsmSummary {
        file: file.to_string(),
        elements: raw.counts,
        nodes: net.n_nodes(),
        links: net.n_links(),
        by_layer: net.links_by_layer(),
        closed_links: net.links.iter().filter(|l| !l.open).count(),
        terminals,
        borders_checkpoint: controls.len(),
        borders_detected: crossings
            .keys()
            .filter(|n| !control_ids.contains(n))
            .count(),
        skipped,
        warnings: diags.len(),
    };
    OsmImport {
        network: net,
        diagnostics: diags,
        summary,
    }
}

fn country_of_point(countries: Option<&CountryIndex>, lon: f64, lat: f64) -> String {
    countries
        .and_then(|c| c.country_at(lon, lat))
        .unwrap_or_default()
        .to_string()
}

/// The first different country met walking along the ways through `n`.
fn other_side(
    parts: &[(i64, Vec<i64>, usize)],
    n: i64,
    here: &str,
    cache: &mut HashMap<i64, Option<String>>,
    countries: Option<&CountryIndex>,
    raw: &RawOsm,
) -> Option<String> {
    let ci = countries?;
    for (_, nodes, _) in parts {
        if let Some(i) = nodes.iter().position(|&x| x == n) {
            for &m in nodes[i..].iter().chain(nodes[..i].iter().rev()) {
                let c = cache
                    .entry(m)
                    .or_insert_with(|| {
                        let c = raw.coord(m).expect("coordinates checked");
                        ci.country_at(c[0], c[1]).map(str::to_string)
                    })
                    .clone();
                if let Some(c) = c
                    && c != here
                {
                    return Some(c);
                }
            }
        }
    }
    None
}

fn display_name(p: &RawPoint) -> String {
    p.tag("name")
        .map(str::to_string)
        .unwrap_or_else(|| format!("n{}", p.id))
}

/// Whether tags describe a terminal site, what node kind it is, and which
/// families of links it should be joined to.
fn site_kind(tags: &[(String, String)]) -> Option<(NodeKind, Vec<Family>)> {
    let t = |k: &str| tag(tags, k);
    use Family::*;
    if t("amenity") == Some("ferry_terminal") {
        return Some((NodeKind::Port, vec![Water, Road, Rail]));
    }
    if t("landuse") == Some("port")
        || t("industrial") == Some("port")
        || t("seamark:type") == Some("harbour")
        || t("harbour").is_some_and(|v| v != "no")
    {
        return Some((NodeKind::Port, vec![Water, Rail, Road]));
    }
    let freight = t("usage") == Some("freight")
        || t("station") == Some("freight")
        || t("railway:traffic_mode") == Some("freight");
    if t("railway") == Some("yard") || (t("railway") == Some("station") && freight) {
        return Some((NodeKind::Terminal, vec![Rail, Road]));
    }
    None
}

/// The attributes of a way and whether its node order must be reversed
/// (`oneway=-1`).
fn way_attrs(
    w: &super::read::RawWay,
    mode: Mode,
    cfg: &OsmConfig,
    diags: &mut Vec<Diagnostic>,
) -> (Attrs, bool) {
    let mut tags = vec![format!("osm:way={}", w.id)];
    let mut open = true;
    let mut gauges = Vec::new();
    let mut oneway = false;
    let mut reverse = false;
    let maxspeed = w.tag("maxspeed").and_then(parse_speed_kmh);
    let speed_kmh;
    match mode {
        Mode::Rail => {
            if let Some(g) = w.tag("gauge") {
                {
                    for part in g.split(';') {
                        match part.trim().trim_end_matches("mm").trim().parse::<u16>() {
                            Ok(x) if x > 0 => {
                                if !gauges.contains(&x) {
                                    gauges.push(x)
                                }
                            }
                            _ => diags.push(Diagnostic::warning(
                                format!("way {}", w.id),
                                Some("gauge"),
                                format!("\"{g}\": \"{part}\" is not a gauge in mm; ignored"),
                            )),
                        }
                    }
                }
            }
            if gauges.is_empty() {
                diags.push(Diagnostic::warning(
                    format!("way {}", w.id),
                    Some("gauge"),
                    format!(
                        "railway={} has no gauge; using the network default {} mm",
                        w.tag("railway").unwrap_or("rail"),
                        cfg.default_gauge_mm
                    ),
                ));
                gauges.push(cfg.default_gauge_mm);
                tags.push("gauge=default".into());
            }
            for k in ["usage", "service", "electrified"] {
                if let Some(v) = w.tag(k) {
                    tags.push(format!("{k}={v}"));
                }
            }
            if w.tag("railway") == Some("narrow_gauge") {
                tags.push("narrow_gauge".into());
            }
            speed_kmh = maxspeed.map(|s| s.min(cfg.max_train_speed_kmh));
        }
        Mode::Road => {
            let h = w.tag("highway").unwrap_or("road");
            tags.push(format!("highway={h}"));
            let implied = h == "motorway" || w.tag("junction") == Some("roundabout");
            match w.tag("oneway") {
                Some("yes" | "true" | "1") => oneway = true,
                Some("-1" | "reverse") => {
                    oneway = true;
                    reverse = true;
                }
                Some("no" | "false" | "0") => {}
                _ => oneway = implied,
            }
            if let Some(v) = w.tag("hgv") {
                tags.push(format!("hgv={v}"));
                if matches!(v, "no" | "destination" | "delivery") {
                    open = false;
                }
            }
            if let Some(t) = w.tag("maxweight").and_then(parse_weight_t) {
                tags.push(format!("maxweight={t}"));
                if t < cfg.truck_weight_t {
                    open = false;
                }
            }
            speed_kmh = maxspeed.map(|s| s.min(cfg.max_truck_speed_kmh));
        }
        Mode::Sea | Mode::River => {
            tags.push("route=ferry".into());
            speed_kmh = None;
        }
    }
    if let Some(n) = w.tag("name") {
        tags.push(format!("name={n}"));
    }
    tags.sort();
    (
        Attrs {
            mode,
            gauges,
            oneway,
            speed_kmh,
            open,
            tags,
        },
        reverse,
    )
}

/// `maxspeed` in km/h: `100`, `100 km/h`, `60 mph`, the first of `100;80`.
/// Symbolic values (`FR:urban`, `signals`, `none`) give `None`.
pub(crate) fn parse_speed_kmh(s: &str) -> Option<f64> {
    let s = s.split(';').next()?.trim();
    let (num, factor) = if let Some(x) = s.strip_suffix("mph") {
        (x.trim(), 1.609344)
    } else {
        (
            s.trim_end_matches("km/h").trim_end_matches("kmh").trim(),
            1.0,
        )
    };
    num.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .map(|v| v * factor)
}

/// `maxweight` in tonnes: `7.5`, `7.5 t`, `3500 kg`.
pub(crate) fn parse_weight_t(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, factor) = if let Some(x) = s.strip_suffix("kg") {
        (x.trim(), 0.001)
    } else {
        (s.trim_end_matches('t').trim(), 1.0)
    };
    num.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
        .map(|v| v * factor)
}

/// Dwell defaults for a tagged checkpoint (hours).
pub(crate) fn checkpoint_dwell() -> ModeTable<f64> {
    ModeTable {
        road: 2.0,
        rail: 4.0,
        sea: 0.0,
        river: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osm::read::RawWay;
    use proptest::prelude::*;
    use std::collections::BinaryHeap;

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
            .map(|l| (l.source_id.clone(), l.gauge_mm))
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
            default_gauge_mm: 1524,
            ..OsmConfig::default()
        };
        assert_eq!(
            build(&tiny(None, None), &cfg, None, "t").network.links[0].gauge_mm,
            Some(1524)
        );
    }

    #[test]
    fn speeds_and_weights_parse_with_units() {
        assert_eq!(parse_speed_kmh("100"), Some(100.0));
        assert_eq!(parse_speed_kmh("80 km/h"), Some(80.0));
        assert!((parse_speed_kmh("60 mph").unwrap() - 96.56).abs() < 0.01);
        assert_eq!(parse_speed_kmh("120;80"), Some(120.0));
        assert_eq!(parse_speed_kmh("FR:urban"), None);
        assert_eq!(parse_weight_t("7.5"), Some(7.5));
        assert_eq!(parse_weight_t("3500 kg"), Some(3.5));
        assert_eq!(parse_weight_t("12 t"), Some(12.0));
        assert_eq!(parse_weight_t("heavy"), None);
    }
}
