//! Stitching networks built from different sources (OSM extracts, sea
//! lanes, inland waterways, port lists) into one: ports and terminals are
//! joined to each layer they lack in another input by a connector no
//! longer than that mode's limit (land: a vertex on the main piece; sea
//! and river: the nearest point on a lane or river link, where the link
//! gets a vertex), and their terminals get the transfers between the
//! layers they now reach. What was joined, at what
//! length, what was not (with the nearest candidate) and which land inputs
//! reach no sea go to the [`MergeReport`].
//!
//! It copies and connects; it reads no files and changes no attribute of
//! the links it copies (a lane split for a port keeps the original link and
//! gets two copies to the new vertex). Ids that clash between inputs are
//! prefixed with the input's label and reported. Given a [`Land`] layer,
//! a sea connector whose straight line crosses land is refused (and
//! reported by name and distance); the port then joins the lane by the
//! shorter of a straight line to a farther lane point that stays in
//! water and a connector that follows the water ([`crate::water_path`]:
//! a fjord, round an island, up an estuary), if either lies within the
//! limit.

pub use crate::land::Land;
use crate::snap::{LineIndex, OnLine, SnapIndex};
use crate::water_path::{WaterPath, WaterSearch, path_km, water_path};
use corridor_model::{
    Layer, Link, LinkId, Mode, NOT_FREIGHT_PORT_TAGS, Network, Node, NodeId, NodeKind, Terminal,
    network::haversine_km,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use corridor_model::results::{
    ConnectorLimits, Joined, MergeReport, MergedCounts, NoSea, OverLand, Unjoined,
};

/// How far to reach when joining layers, and what the merge's terminals
/// charge.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeConfig {
    /// The longest connector per mode; nothing is joined beyond.
    pub limits: ConnectorLimits,
    /// Handling parameters of terminals the merge creates.
    pub handling_cost_per_t: f64,
    pub handling_hours: f64,
    pub handling_co2_kg_per_t: f64,
    /// Land polygons a sea connector must not cross (`None`: no test, as
    /// before land was known; the CLI passes the shipped country layer).
    pub land: Option<Arc<Land>>,
    /// How many km of land a sea connector may cross: ports lie on (or,
    /// in a 1:50m outline, a little inside) the coast line, and the
    /// outlines merge small islands and narrow channels.
    pub coast_km: f64,
}

/// See [`MergeConfig::coast_km`]. The 1:50m outlines fill bays and
/// estuaries: Dublin, Tampa and Norfolk lie 5–6 km inside them, Riga 13 km
/// up the Daugava. Measured on the World Port Index's ports with a sea
/// frontage (docs/unjoined-ports.md), 2 km leaves 17 % of them off the
/// lanes, 5 km 9 %, 10 km 5.8 %, 15 km 4.9 % (straight connectors only;
/// 4.3 % at 15 km with connectors that follow the water, which may cross
/// as much land at the port's end); Cernavodă's 60 km over land stays
/// refused at any of these.
pub const DEFAULT_COAST_KM: f64 = 15.0;

impl Default for MergeConfig {
    fn default() -> Self {
        Self {
            limits: ConnectorLimits::default(),
            handling_cost_per_t: 3.0,
            handling_hours: 12.0,
            handling_co2_kg_per_t: 1.0,
            land: None,
            coast_km: DEFAULT_COAST_KM,
        }
    }
}

/// Merges labelled networks. The first input gives the merged network its
/// name, currency, defaults and vehicles.
pub fn merge(
    inputs: Vec<(String, Network)>,
    cfg: &MergeConfig,
) -> crate::Result<(Network, MergeReport)> {
    let mut report = MergeReport {
        limits: cfg.limits,
        coast_km: cfg.land.as_ref().map(|_| cfg.coast_km),
        ..MergeReport::default()
    };
    let (mut out, mut input_of) = copy_inputs(&inputs, &mut report)?;
    let candidates = join_layers(&mut out, &mut input_of, cfg, &mut report)?;
    give_transfers(&mut out, &candidates, cfg, &mut report)?;
    let labels: Vec<String> = inputs.iter().map(|(l, _)| l.clone()).collect();
    report.no_sea = inputs_without_sea(&out, &input_of, &labels);
    report.unjoined.sort_by(|a, b| {
        let d = |u: &Unjoined| u.nearest_km.unwrap_or(f64::INFINITY);
        d(a).total_cmp(&d(b)).then_with(|| a.node.cmp(&b.node))
    });
    // The km joined as built (a lane end within LANE_END_KM of the point
    // planned moves the connector's end).
    let sea_km: BTreeMap<&str, f64> = report
        .joined
        .iter()
        .filter(|j| j.layer.mode == Mode::Sea)
        .map(|j| (j.node.as_str(), j.km))
        .collect();
    for o in &mut report.over_land {
        o.joined_km = sea_km.get(o.node.as_str()).copied();
    }
    report
        .over_land
        .sort_by(|a, b| a.km.total_cmp(&b.km).then_with(|| a.node.cmp(&b.node)));
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
        let mut unique = |id: &str, taken: bool| {
            taken.then(|| {
                report.renamed += 1;
                format!("{label}/{id}")
            })
        };
        let mut node_map = Vec::with_capacity(net.n_nodes());
        for n in &net.nodes {
            let mut n = n.clone();
            let taken = out.node_id(&n.source_id).is_some();
            if let Some(id) = unique(&n.source_id, taken) {
                n.source_id = id.into();
            }
            node_map.push(out.add_node(n).map_err(model_err)?);
            input_of.push(k);
        }
        for l in &net.links {
            let mut l = l.clone();
            l.from = node_map[l.from.index()];
            l.to = node_map[l.to.index()];
            let taken = out.link_id(&l.source_id).is_some();
            if let Some(id) = unique(&l.source_id, taken) {
                l.source_id = id.into();
            }
            out.add_link(l).map_err(model_err)?;
        }
        for t in &net.terminals {
            let mut t = t.clone();
            t.node = node_map[t.node.index()];
            let taken = out.terminal_id(&t.source_id).is_some();
            if let Some(id) = unique(&t.source_id, taken) {
                t.source_id = id;
            }
            out.add_terminal(t).map_err(model_err)?;
        }
        for b in &net.borders {
            let mut b = b.clone();
            b.node = node_map[b.node.index()];
            let taken = out.border_id(&b.source_id).is_some();
            if let Some(id) = unique(&b.source_id, taken) {
                b.source_id = id;
            }
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

/// A connector the merge will add: to an existing vertex, or to a new
/// vertex on a sea lane at the point nearest the port.
enum Plan {
    Vertex {
        from: NodeId,
        to: NodeId,
        layer: Layer,
        km: f64,
    },
    /// To a point on a sea lane or river link (`layer` says which),
    /// straight or along `water` ([lon, lat] from the port to the point).
    OnLine {
        from: NodeId,
        hit: OnLine,
        layer: Layer,
        water: Option<Vec<[f64; 2]>>,
    },
}

/// Where each port or terminal may join: land vertices per mode, the open
/// sea lanes between two plain vertices as lines (ports and terminals are
/// never targets, so connectors do not chain), and the open river links
/// but connectors (a waterway layer is a chain of river ports, so its
/// links end at terminals).
struct Targets {
    vertices: BTreeMap<Mode, SnapIndex>,
    /// Per land mode and node, how many nodes that mode's links connect
    /// it to: a terminal joins the main network, not a stub of sidings
    /// that happens to lie nearer.
    pieces: BTreeMap<Mode, Vec<u32>>,
    lanes: LineIndex,
    rivers: LineIndex,
    layers: Vec<BTreeSet<Layer>>,
}

impl Targets {
    fn new(out: &Network) -> Self {
        let layers = out.layers_at_nodes();
        let vertices = [Mode::Rail, Mode::Road]
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
        // A sea link ending at a port or terminal is that place's own
        // route (a ferry, a hand-typed crossing), not a lane to join midway.
        // When a shipping network is merged (`import sea` tags its lanes),
        // ports join its lanes only: a harbour ferry of an OpenStreetMap
        // extract is no way to the ocean.
        let tagged = out.links.iter().any(corridor_model::is_sea_lane);
        let lanes = LineIndex::new(out, |id| {
            let l = out.link(id);
            let lane_end =
                |n: NodeId| !matches!(out.node(n).kind, NodeKind::Port | NodeKind::Terminal);
            l.mode == Mode::Sea
                && l.open
                && lane_end(l.from)
                && lane_end(l.to)
                && (!tagged || corridor_model::is_sea_lane(l))
        });
        let rivers = LineIndex::new(out, |id| {
            let l = out.link(id);
            l.mode == Mode::River && l.open && !l.tags.iter().any(|t| t == "connector")
        });
        let pieces = [Mode::Rail, Mode::Road]
            .iter()
            .map(|&m| (m, piece_sizes(out, m)))
            .collect();
        Self {
            vertices,
            pieces,
            lanes,
            rivers,
            layers,
        }
    }
}

/// For every node, the number of nodes in its connected piece of the links
/// of mode `m` (1 for a node no such link touches).
fn piece_sizes(out: &Network, m: Mode) -> Vec<u32> {
    fn root(parent: &mut [u32], mut i: u32) -> u32 {
        while parent[i as usize] != i {
            let up = parent[parent[i as usize] as usize];
            parent[i as usize] = up;
            i = up;
        }
        i
    }
    let n = out.n_nodes();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for l in out.links.iter().filter(|l| l.mode == m) {
        let a = root(&mut parent, l.from.index() as u32);
        let b = root(&mut parent, l.to.index() as u32);
        if a != b {
            parent[a as usize] = b;
        }
    }
    let mut size = vec![0u32; n];
    for i in 0..n as u32 {
        size[root(&mut parent, i) as usize] += 1;
    }
    (0..n as u32)
        .map(|i| size[root(&mut parent, i) as usize])
        .collect()
}

/// How many candidate vertices within the limit a terminal looks at.
const LAND_CANDIDATES: usize = 2000;

/// Joins every port and terminal to each mode it lacks from another input
/// (rail once per gauge; ports to sea and river too, never a leisure or
/// passenger-only one) by a connector no longer than the mode's limit:
/// land to a vertex, sea and river to the nearest point on a line.
/// Records what was joined and, for what was not, the nearest candidate.
/// Returns the ports and terminals.
fn join_layers(
    out: &mut Network,
    input_of: &mut Vec<usize>,
    cfg: &MergeConfig,
    report: &mut MergeReport,
) -> crate::Result<Vec<NodeId>> {
    let mut reaches: Vec<BTreeSet<(Mode, usize)>> = vec![BTreeSet::new(); out.n_nodes()];
    for l in &out.links {
        let (a, b) = (l.from.index(), l.to.index());
        reaches[a].insert((l.mode, input_of[b]));
        reaches[b].insert((l.mode, input_of[a]));
    }
    let targets = Targets::new(out);
    let mut plans: Vec<Plan> = Vec::new();
    let mut candidates: Vec<NodeId> = Vec::new();
    for (i, n) in out.nodes.iter().enumerate() {
        let wants: &[Mode] = match n.kind {
            NodeKind::Port => &[Mode::Sea, Mode::River, Mode::Rail, Mode::Road],
            NodeKind::Terminal => &[Mode::Rail, Mode::Road],
            _ => continue,
        };
        let id = NodeId::from_index(i);
        candidates.push(id);
        let k = input_of[i];
        let not_freight = n
            .tags
            .iter()
            .any(|t| NOT_FREIGHT_PORT_TAGS.contains(&t.as_str()));
        if not_freight {
            report.not_freight.push(n.source_id.to_string());
        }
        for &m in wants {
            if reaches[i].iter().any(|&(mm, kk)| mm == m && kk != k) {
                continue;
            }
            if matches!(m, Mode::Sea | Mode::River) && not_freight {
                continue;
            }
            let before = plans.len();
            let limit = cfg.limits.km(m);
            if m == Mode::Sea {
                let over = plan_sea(out, input_of, &targets, id, cfg, &mut plans);
                report.over_land.extend(over);
            } else if m == Mode::River {
                plan_line(out, input_of, &targets, id, m, limit, &mut plans);
            } else {
                plan_land(out, input_of, &targets, id, m, limit, &mut plans);
            }
            if plans.len() == before {
                match nearest_beyond(out, input_of, &targets, id, m, limit) {
                    Some(u) if m == Mode::Sea || u.nearest_km < Some(LAND_NEAR * limit) => {
                        report.unjoined.push(u)
                    }
                    Some(_) => *report.far_from_land.entry(m).or_default() += 1,
                    None => {}
                }
            }
        }
    }
    for plan in plans {
        apply(out, input_of, plan, report)?;
    }
    Ok(candidates)
}

/// A port or terminal farther than this many times the limit from every
/// rail or road vertex lies outside the land inputs' area (a world port
/// list merged with one city's extract): it is counted, not listed.
const LAND_NEAR: f64 = 10.0;

impl Targets {
    /// The lines a port joins on `m` (sea or river) and the layer it gets.
    fn lines(&self, m: Mode) -> (&LineIndex, Layer) {
        if m == Mode::River {
            (&self.rivers, Layer::river())
        } else {
            (&self.lanes, Layer::sea())
        }
    }
}

/// The nearest open lane or river point of another input within `limit`.
fn plan_line(
    out: &Network,
    input_of: &[usize],
    t: &Targets,
    id: NodeId,
    m: Mode,
    limit: f64,
    plans: &mut Vec<Plan>,
) {
    let n = out.node(id);
    let k = input_of[id.index()];
    let other = |l: LinkId| input_of[out.link(l).from.index()] != k;
    let (lines, layer) = t.lines(m);
    if let Some(hit) = lines.nearest_where(n.lon, n.lat, limit, other) {
        plans.push(Plan::OnLine {
            from: id,
            hit,
            layer,
            water: None,
        });
    }
}

/// The nearest open lane point of another input within the sea limit
/// that the port reaches without crossing land (every point, without a
/// land layer). When the nearest point of all is refused over land, the
/// shorter of a straight connector to a farther point that stays in water
/// and one along the water, and says so.
fn plan_sea(
    out: &Network,
    input_of: &[usize],
    t: &Targets,
    id: NodeId,
    cfg: &MergeConfig,
    plans: &mut Vec<Plan>,
) -> Option<OverLand> {
    let n = out.node(id);
    let k = input_of[id.index()];
    let other = |l: LinkId| input_of[out.link(l).from.index()] != k;
    let limit = cfg.limits.sea_km;
    let wet = |h: &OnLine| {
        cfg.land
            .as_ref()
            .is_none_or(|land| land.land_km([n.lon, n.lat], [h.lon, h.lat], h.km) <= cfg.coast_km)
    };
    let nearest = t.lanes.nearest_where(n.lon, n.lat, limit, other)?;
    if wet(&nearest) {
        plans.push(Plan::OnLine {
            from: id,
            hit: nearest,
            layer: Layer::sea(),
            water: None,
        });
        return None;
    }
    let straight = t.lanes.nearest_reachable(n.lon, n.lat, limit, other, wet);
    let water = cfg
        .land
        .as_deref()
        .and_then(|land| along_water(land, t, [n.lon, n.lat], cfg, other))
        .filter(|(_, w)| straight.is_none_or(|s| w.km < s.km));
    let joined_km = water.as_ref().map(|(_, w)| w.km).or(straight.map(|h| h.km));
    let along_water = water.is_some();
    let chosen = match water {
        Some((hit, w)) => Some((hit, Some(w.points))),
        None => straight.map(|h| (h, None)),
    };
    if let Some((hit, water)) = chosen {
        plans.push(Plan::OnLine {
            from: id,
            hit,
            layer: Layer::sea(),
            water,
        });
    }
    Some(OverLand {
        node: n.source_id.to_string(),
        name: n.name.to_string(),
        lane: out.link(nearest.link).source_id.to_string(),
        km: nearest.km,
        joined_km,
        along_water,
    })
}

/// The lane point a port reaches along the water within the sea limit,
/// and the path ([`water_path`]). Land within `coast_km` of the port is
/// open to the path: the same allowance as a straight connector's, taken
/// at the port's end, where the 1:50m outlines fill estuaries and put
/// ports inland (Caen 10 km up its canal, Riga 13 km up the Daugava).
fn along_water(
    land: &Land,
    t: &Targets,
    port: [f64; 2],
    cfg: &MergeConfig,
    other: impl Fn(LinkId) -> bool + Copy,
) -> Option<(OnLine, WaterPath)> {
    let search = WaterSearch {
        limit_km: cfg.limits.sea_km,
        shore_km: cfg.coast_km,
    };
    let cell = search.cell_km();
    let goals = t
        .lanes
        .points_within(port[0], port[1], search.limit_km, cell / 2.0, other);
    let mut hit = None;
    let path = water_path(land, port, &goals, &search, |p| {
        let h = t.lanes.nearest_where(p[0], p[1], 2.0 * cell, other)?;
        hit = Some(h);
        Some([h.lon, h.lat])
    })?;
    // Each segment passes the straight connectors' land test (the raster
    // judges cell centres; this judges the lines).
    let wet = path.points.windows(2).all(|s| {
        let km = haversine_km(s[0][0], s[0][1], s[1][0], s[1][1]);
        land.land_km(s[0], s[1], km) <= cfg.coast_km
    });
    Some((hit?, path)).filter(|_| wet)
}

/// A vertex of `m` of another input within `limit`, on the largest
/// connected piece there, the nearest of those (an OSM extract's station
/// track and a harbour's sidings are often separate pieces a few hundred
/// metres apart); for rail one per gauge, so a terminal at a break of gauge
/// joins both networks.
fn plan_land(
    out: &Network,
    input_of: &[usize],
    t: &Targets,
    id: NodeId,
    m: Mode,
    limit: f64,
    plans: &mut Vec<Plan>,
) {
    let n = out.node(id);
    let k = input_of[id.index()];
    let mut done: BTreeSet<Option<u16>> = BTreeSet::new();
    loop {
        let fresh = |v: NodeId| {
            t.layers[v.index()]
                .iter()
                .find(|l| l.mode == m && !done.contains(&l.gauge_mm))
                .copied()
        };
        let piece = &t.pieces[&m];
        let Some((v, km)) = t.vertices[&m]
            .within_where(n.lon, n.lat, limit, LAND_CANDIDATES, |v| {
                input_of[v.index()] != k && fresh(v).is_some()
            })
            .into_iter()
            .min_by(|a, b| {
                piece[b.0.index()]
                    .cmp(&piece[a.0.index()])
                    .then(a.1.total_cmp(&b.1))
            })
        else {
            break;
        };
        let layer = fresh(v).expect("checked by the predicate");
        done.insert(layer.gauge_mm);
        plans.push(Plan::Vertex {
            from: id,
            to: v,
            layer,
            km,
        });
        if m != Mode::Rail {
            break;
        }
    }
}

/// The nearest candidate of `m` at any distance, for a mode not joined;
/// `None` when no other input has the mode at all.
fn nearest_beyond(
    out: &Network,
    input_of: &[usize],
    t: &Targets,
    id: NodeId,
    m: Mode,
    limit: f64,
) -> Option<Unjoined> {
    let n = out.node(id);
    let k = input_of[id.index()];
    let (nearest, km) = if matches!(m, Mode::Sea | Mode::River) {
        let other = |l: LinkId| input_of[out.link(l).from.index()] != k;
        let hit = t
            .lines(m)
            .0
            .nearest_where(n.lon, n.lat, f64::INFINITY, other)?;
        (out.link(hit.link).source_id.to_string(), hit.km)
    } else {
        let (v, km) = t.vertices[&m]
            .nearest_where(n.lon, n.lat, f64::INFINITY, |v| input_of[v.index()] != k)?;
        (out.node(v).source_id.to_string(), km)
    };
    Some(Unjoined {
        node: n.source_id.to_string(),
        name: n.name.to_string(),
        mode: m,
        nearest: Some(nearest),
        nearest_km: Some(km),
        limit_km: limit,
    })
}

/// Lane points closer than this to a lane's end join that end's vertex
/// rather than a new one.
const LANE_END_KM: f64 = 0.5;

/// Adds a planned connector (and, on a lane, the vertex it joins: a node
/// on the lane with two links to the lane's ends, copies of the lane
/// link with its tags and the matching part of its length, so no route
/// gets shorter and closing a passage by tag closes them too).
fn apply(
    out: &mut Network,
    input_of: &mut Vec<usize>,
    plan: Plan,
    report: &mut MergeReport,
) -> crate::Result<()> {
    let (from, to, layer, km, water) = match plan {
        Plan::Vertex {
            from,
            to,
            layer,
            km,
        } => (from, to, layer, km, None),
        Plan::OnLine {
            from,
            hit,
            layer,
            water,
        } => {
            let to = lane_vertex(out, input_of, from, &hit)?;
            let p = out.node(from);
            let q = out.node(to);
            let straight = haversine_km(p.lon, p.lat, q.lon, q.lat);
            // The path ends where the lane vertex is (an end of the lane
            // when the point lay within LANE_END_KM of it).
            let water = water.map(|mut w| {
                if let Some(last) = w.last_mut() {
                    *last = [q.lon, q.lat];
                }
                w
            });
            match water {
                Some(w) => (from, to, layer, path_km(&w), Some((w, straight))),
                None => (from, to, layer, straight, None),
            }
        }
    };
    let (n, v) = (out.node(from), out.node(to));
    let mut link = Link::new(
        &format!("{}>{}", n.source_id, v.source_id),
        from,
        to,
        layer.mode,
        layer.gauge_mm,
        km,
    );
    link.tags.push("connector".into());
    let straight_km = water.as_ref().map(|(_, s)| *s);
    if let Some((w, _)) = water {
        link.tags.push("along-water".into());
        link.geometry = w;
    }
    report.joined.push(Joined {
        node: n.source_id.to_string(),
        name: n.name.to_string(),
        layer,
        to: v.source_id.to_string(),
        km,
        straight_km,
    });
    if out.link_id(&link.source_id).is_none() {
        out.add_link(link).map_err(model_err)?;
    }
    Ok(())
}

/// The vertex a port joins on a lane: an end of the lane link when the
/// nearest point is within [`LANE_END_KM`] of it, else a new vertex
/// splitting the lane in two copies.
fn lane_vertex(
    out: &mut Network,
    input_of: &mut Vec<usize>,
    port: NodeId,
    hit: &OnLine,
) -> crate::Result<NodeId> {
    let lane = out.link(hit.link).clone();
    if hit.along_km <= LANE_END_KM {
        return Ok(lane.from);
    }
    if hit.line_km - hit.along_km <= LANE_END_KM {
        return Ok(lane.to);
    }
    let id = format!("{}@{}", lane.source_id, out.node(port).source_id);
    let mut node = Node::new(&id, NodeKind::Junction, hit.lon, hit.lat, "");
    node.name = format!("{} {:.4},{:.4}", lane.mode, hit.lat, hit.lon).into();
    let v = out.add_node(node).map_err(model_err)?;
    input_of.push(input_of[lane.from.index()]);
    let share = hit.along_km / hit.line_km.max(f64::MIN_POSITIVE);
    let (geom_a, geom_b) = split_geometry(&lane.geometry, share, [hit.lon, hit.lat]);
    for (suffix, a, b, part, geom) in [
        ("a", lane.from, v, share, geom_a),
        ("b", v, lane.to, 1.0 - share, geom_b),
    ] {
        let mut l = lane.clone();
        l.source_id = format!("{id}{suffix}").into();
        l.from = a;
        l.to = b;
        l.length_km = lane.length_km * part;
        // A passage's fee and hours are spread by length (passages.rs).
        l.toll = lane.toll * part;
        l.hours = lane.hours.map(|h| h * part);
        l.geometry = geom;
        out.add_link(l).map_err(model_err)?;
    }
    Ok(v)
}

/// A geometry cut where `share` of its great-circle length lies before
/// `at`; straight lines (no geometry) stay straight.
fn split_geometry(g: &[[f64; 2]], share: f64, at: [f64; 2]) -> (Vec<[f64; 2]>, Vec<[f64; 2]>) {
    if g.len() < 2 {
        return (Vec::new(), Vec::new());
    }
    let seg: Vec<f64> = g
        .windows(2)
        .map(|w| haversine_km(w[0][0], w[0][1], w[1][0], w[1][1]))
        .collect();
    let total: f64 = seg.iter().sum();
    let mut run = 0.0;
    let mut cut = seg.len() - 1;
    for (i, s) in seg.iter().enumerate() {
        if run + s >= share * total {
            cut = i;
            break;
        }
        run += s;
    }
    let mut a: Vec<[f64; 2]> = g[..=cut].to_vec();
    a.push(at);
    let mut b = vec![at];
    b.extend_from_slice(&g[cut + 1..]);
    (a, b)
}

/// Land inputs (with rail or road links) that no port on the sea reaches:
/// routes from them cannot get to a sea lane. Names the nearest port that
/// is on the sea.
fn inputs_without_sea(out: &Network, input_of: &[usize], labels: &[String]) -> Vec<NoSea> {
    let layers = out.layers_at_nodes();
    let on_sea = |i: usize| {
        matches!(out.nodes[i].kind, NodeKind::Port | NodeKind::Terminal)
            && layers[i].iter().any(|l| l.mode == Mode::Sea)
    };
    let mut land = vec![false; labels.len()];
    let mut reached = vec![false; labels.len()];
    for l in &out.links {
        if !matches!(l.mode, Mode::Rail | Mode::Road) {
            continue;
        }
        let (a, b) = (l.from.index(), l.to.index());
        land[input_of[a]] |= !l.tags.iter().any(|t| t == "connector");
        for (p, q) in [(a, b), (b, a)] {
            if on_sea(p) {
                reached[input_of[q]] = true;
            }
        }
    }
    let ports: Vec<usize> = (0..out.n_nodes()).filter(|&i| on_sea(i)).collect();
    let mut v = Vec::new();
    for (k, label) in labels.iter().enumerate() {
        if !land[k] || reached[k] {
            continue;
        }
        let idx = SnapIndex::new(out, |id| {
            input_of[id.index()] == k
                && layers[id.index()]
                    .iter()
                    .any(|l| matches!(l.mode, Mode::Rail | Mode::Road))
        });
        let best = ports
            .iter()
            .filter_map(|&p| {
                let n = &out.nodes[p];
                idx.nearest(n.lon, n.lat).map(|(_, km)| (km, p))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        v.push(NoSea {
            input: label.clone(),
            nearest_port: best.map(|(_, p)| out.nodes[p].source_id.to_string()),
            km: best.map(|(km, _)| km),
        });
    }
    v
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
                    name: n.name.to_string(),
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
        // A port whose lane points within the limit all lie behind land
        // has a lane within the limit: say so, not "no sea lane".
        let sea = match report.over_land.iter().find(|o| o.node == n.source_id) {
            Some(o) => format!("the sea lane {:.1} km away only over land", o.km),
            None => format!("no sea lane within {} km", cfg.limits.sea_km),
        };
        match here.as_slice() {
            [] => report.unconnected.push((
                n.source_id.to_string(),
                format!(
                    "{sea}, no river within {} km, no rail within {} km, no road within {} km",
                    cfg.limits.river_km, cfg.limits.rail_km, cfg.limits.road_km
                ),
            )),
            [one] => report.one_layer.push((n.source_id.to_string(), *one)),
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
                limits: ConnectorLimits {
                    rail_km: 10.0,
                    ..ConnectorLimits::default()
                },
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

    #[test]
    fn a_port_joins_the_shipping_lanes_not_a_nearer_harbour_ferry() {
        // An OpenStreetMap extract's harbour ferry, 0.5 km from the port;
        // the shipping lane (tagged as `import sea` tags it) 5 km out.
        let ferry = line(
            "f",
            Mode::Sea,
            None,
            &[("f1", 7.425, 43.735), ("f2", 7.43, 43.735)],
        );
        let mut sea = line(
            "s",
            Mode::Sea,
            None,
            &[("x", 7.3, 43.69), ("y", 7.6, 43.69)],
        );
        for l in &mut sea.links {
            l.tags.push(corridor_model::SEA_LANE_TAG.into());
        }
        let mut ports = Network::new("p");
        ports
            .add_node(Node::new("MCMON", NodeKind::Port, 7.425, 43.731, "MC"))
            .unwrap();
        let inputs = |sea: Network| {
            vec![
                ("osm".into(), ferry.clone()),
                ("sea".into(), sea),
                ("ports".into(), ports.clone()),
            ]
        };
        let (net, rep) = merge(inputs(sea.clone()), &MergeConfig::default()).unwrap();
        let joined: Vec<_> = rep.joined.iter().filter(|j| j.node == "MCMON").collect();
        assert_eq!(joined.len(), 1, "{joined:?}");
        assert!(joined[0].km > 4.0, "{joined:?}");
        let p = net.node_id("MCMON").unwrap();
        let on_ferry = |net: &Network| {
            net.links.iter().any(|l| {
                (l.from == p || l.to == p)
                    && ["f1", "f2"]
                        .iter()
                        .any(|f| net.node_id(f).is_some_and(|n| n == l.from || n == l.to))
            })
        };
        assert!(!on_ferry(&net));
        // Without a tagged shipping network any sea link is a lane: the
        // ferry is then the nearest.
        let mut untagged = sea;
        for l in &mut untagged.links {
            l.tags.clear();
        }
        let (_, rep) = merge(inputs(untagged), &MergeConfig::default()).unwrap();
        let joined: Vec<_> = rep.joined.iter().filter(|j| j.node == "MCMON").collect();
        assert!(joined.iter().all(|j| j.km < 1.0), "{joined:?}");
    }

    #[test]
    fn a_port_joins_a_river_within_the_river_limit_and_a_marina_does_not() {
        // A river 111 km long between two river ports (terminals, as the
        // waterway layer has them); ports 3 and 20 km off its middle.
        let mut river = line(
            "w",
            Mode::River,
            None,
            &[("up", 0.0, 0.0), ("down", 1.0, 0.0)],
        );
        river.nodes[0].kind = NodeKind::Terminal;
        river.nodes[1].kind = NodeKind::Terminal;
        let mut ports = Network::new("p");
        for (id, lat) in [("NEAR", 0.027), ("FAR", 0.18), ("CLUB", -0.027)] {
            ports
                .add_node(Node::new(id, NodeKind::Port, 0.5, lat, ""))
                .unwrap();
        }
        ports.nodes[2].tags.push("leisure-harbour".into());
        let (net, rep) = merge(
            vec![("river".into(), river), ("ports".into(), ports)],
            &MergeConfig::default(),
        )
        .unwrap();
        let j = rep.joined.iter().find(|j| j.node == "NEAR").unwrap();
        assert_eq!(j.layer, Layer::river());
        assert!((j.km - 3.0).abs() < 0.05, "{}", j.km);
        let near = net.node_id("NEAR").unwrap();
        assert!(net.links.iter().any(|l| l.from == near
            && l.mode == Mode::River
            && l.tags.iter().any(|t| t == "connector")));
        // The river is split at the point joined, lengths adding up.
        let a = net.link(net.link_id("w1@NEARa").unwrap()).length_km;
        let b = net.link(net.link_id("w1@NEARb").unwrap()).length_km;
        assert!((a + b - 1.0).abs() < 1e-9);
        // 20 km off: beyond the 15 km river limit, reported with the distance.
        let u = rep.unjoined.iter().find(|u| u.node == "FAR").unwrap();
        assert_eq!(u.mode, Mode::River);
        assert!((u.nearest_km.unwrap() - 20.0).abs() < 0.1, "{u:?}");
        assert!(!rep.joined.iter().any(|j| j.node == "FAR"));
        // A marina is kept off the river as off the sea.
        assert!(!rep.joined.iter().any(|j| j.node == "CLUB"));
        assert!(rep.not_freight.iter().any(|id| id == "CLUB"));
        // Wider on request.
        let wide = MergeConfig {
            limits: ConnectorLimits {
                river_km: 25.0,
                ..ConnectorLimits::default()
            },
            ..MergeConfig::default()
        };
        let river = line(
            "w",
            Mode::River,
            None,
            &[("up", 0.0, 0.0), ("down", 1.0, 0.0)],
        );
        let mut ports = Network::new("p");
        ports
            .add_node(Node::new("FAR", NodeKind::Port, 0.5, 0.18, ""))
            .unwrap();
        let (_, rep) = merge(
            vec![("river".into(), river), ("ports".into(), ports)],
            &wide,
        )
        .unwrap();
        assert!(
            rep.joined
                .iter()
                .any(|j| j.node == "FAR" && j.layer == Layer::river())
        );
    }

    #[test]
    fn a_terminal_joins_the_main_line_not_a_nearer_stub() {
        // A stub of two vertices 0.3 km from the terminal, a line of four
        // 1.1 km away: the line is the network.
        let mut rail = line(
            "r",
            Mode::Rail,
            Some(1435),
            &[
                ("m1", 15.0, 48.01),
                ("m2", 15.01, 48.01),
                ("m3", 15.02, 48.01),
                ("m4", 15.03, 48.01),
            ],
        );
        let s1 = rail
            .add_node(Node::new("s1", NodeKind::Junction, 15.0, 48.0027, ""))
            .unwrap();
        let s2 = rail
            .add_node(Node::new("s2", NodeKind::Junction, 14.99, 48.0027, ""))
            .unwrap();
        rail.add_link(Link::new("s", s1, s2, Mode::Rail, Some(1435), 0.7))
            .unwrap();
        let mut t = Network::new("t");
        t.add_node(Node::new("T", NodeKind::Terminal, 15.0, 48.0, ""))
            .unwrap();
        let (_, rep) = merge(
            vec![("rail".into(), rail), ("t".into(), t)],
            &MergeConfig::default(),
        )
        .unwrap();
        let j = rep.joined.iter().find(|j| j.node == "T").unwrap();
        assert_eq!(j.to, "m1", "{j:?}");
        assert!((j.km - 1.11).abs() < 0.01, "{}", j.km);
    }

    #[test]
    fn a_port_joins_a_lane_between_its_vertices_and_never_beyond_the_limit() {
        // A lane 200 km long; the port is 10 km off its middle, 100 km
        // from either vertex.
        let sea = line("s", Mode::Sea, None, &[("w", 0.0, 0.0), ("e", 1.8, 0.0)]);
        let mut ports = Network::new("p");
        ports
            .add_node(Node::new("XXMID", NodeKind::Port, 0.9, 0.09, "XX"))
            .unwrap();
        ports
            .add_node(Node::new("XXFAR", NodeKind::Port, 0.9, 1.0, "XX"))
            .unwrap();
        let (net, rep) = merge(
            vec![("sea".into(), sea), ("ports".into(), ports)],
            &MergeConfig::default(),
        )
        .unwrap();
        let j = rep.joined.iter().find(|j| j.node == "XXMID").unwrap();
        assert!((j.km - 10.0).abs() < 0.1, "{}", j.km);
        // The lane keeps its link and gets a vertex with two copies whose
        // lengths add up to it, so no route gets shorter.
        let s1 = net.link(net.link_id("s1").unwrap()).length_km;
        let a = net.link(net.link_id(&format!("s1@XXMID{}", "a")).unwrap());
        let b = net.link(net.link_id("s1@XXMIDb").unwrap());
        assert!((a.length_km + b.length_km - s1).abs() < 1e-9);
        assert!(
            (a.length_km - b.length_km).abs() < 0.5,
            "{} {}",
            a.length_km,
            b.length_km
        );
        // 111 km off the lane: not joined, reported with the distance.
        let u = rep.unjoined.iter().find(|u| u.node == "XXFAR").unwrap();
        assert_eq!(u.mode, Mode::Sea);
        assert!((u.nearest_km.unwrap() - 111.2).abs() < 0.5, "{u:?}");
        assert!(rep.unconnected.iter().any(|(id, _)| id == "XXFAR"));
    }
    #[test]
    fn a_sea_connector_over_land_is_refused_and_a_lane_reached_by_water_is_joined() {
        use geo::{LineString, Polygon};
        // A peninsula (1° square) between an inland port and the lane
        // east of it; the lane also runs north, past the peninsula's tip.
        let land = Land::new([Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 1.0),
                (0.0, 1.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        let sea = line(
            "s",
            Mode::Sea,
            None,
            &[("a", 1.1, 0.5), ("b", 1.1, 1.6), ("c", 0.5, 1.6)],
        );
        let mut ports = Network::new("p");
        // Inland: 67 km to the lane east, 56 of them over land; the lane
        // north is beyond the limit.
        ports
            .add_node(Node::new("XXIN", NodeKind::Port, 0.5, 0.5, "XX"))
            .unwrap();
        // 5.6 km inside the north coast (a coarse outline): the lane east
        // is 67 km away, 50 of them over land; the lane north 72 km, 5.6
        // of them over land.
        ports
            .add_node(Node::new("XXCOAST", NodeKind::Port, 0.5, 0.95, "XX"))
            .unwrap();
        let cfg = MergeConfig {
            land: Some(Arc::new(land)),
            limits: ConnectorLimits {
                sea_km: 100.0,
                ..ConnectorLimits::default()
            },
            ..MergeConfig::default()
        };
        let (_, rep) = merge(
            vec![("sea".into(), sea.clone()), ("ports".into(), ports.clone())],
            &cfg,
        )
        .unwrap();
        assert!(!rep.joined.iter().any(|j| j.node == "XXIN"));
        let o = rep.over_land.iter().find(|o| o.node == "XXIN").unwrap();
        assert!((o.km - 66.7).abs() < 0.5 && o.joined_km.is_none(), "{o:?}");
        // Unconnected, and not for want of a lane within the limit.
        let (_, why) = rep.unconnected.iter().find(|(id, _)| id == "XXIN").unwrap();
        assert!(
            why.starts_with("the sea lane 66.") && why.contains("km away only over land"),
            "{why}"
        );
        // Out of the coast line and round the peninsula's north-east
        // corner to the lane east (0.5° + 0.11°, 68 km) along the water
        // beats the straight 72 km line north (which the merge joined
        // before connectors followed the water).
        let j = rep.joined.iter().find(|j| j.node == "XXCOAST").unwrap();
        assert!(
            (67.0..70.0).contains(&j.km) && j.straight_km.is_some(),
            "{j:?}"
        );
        let o = rep.over_land.iter().find(|o| o.node == "XXCOAST").unwrap();
        assert!(
            (o.km - 66.7).abs() < 0.5 && o.joined_km == Some(j.km) && o.along_water,
            "{o:?}"
        );
        assert_eq!(rep.coast_km, Some(DEFAULT_COAST_KM));
        // Without land, the straight lines of before.
        let (_, rep) = merge(
            vec![("sea".into(), sea), ("ports".into(), ports)],
            &MergeConfig::default(),
        )
        .unwrap();
        assert!(rep.joined.iter().any(|j| j.node == "XXIN"));
        assert!(rep.over_land.is_empty());
    }

    #[test]
    fn a_port_at_the_head_of_a_fjord_joins_along_the_water_and_one_in_a_lake_does_not() {
        use geo::{LineString, Polygon};
        // A square of land 1° a side at the equator; a fjord 0.05° wide
        // from its east coast to 0.3° E; a lake inside its south half. The
        // lane runs east–west 0.1° north of the land.
        let land = Land::new([Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 0.475),
                (0.3, 0.475),
                (0.3, 0.525),
                (1.0, 0.525),
                (1.0, 1.0),
                (0.0, 1.0),
                (0.0, 0.0),
            ]),
            vec![LineString::from(vec![
                (0.4, 0.1),
                (0.6, 0.1),
                (0.6, 0.3),
                (0.4, 0.3),
                (0.4, 0.1),
            ])],
        )]);
        let sea = line("s", Mode::Sea, None, &[("w", 0.2, 1.1), ("e", 1.5, 1.1)]);
        let mut ports = Network::new("p");
        ports
            .add_node(Node::new("XXFJORD", NodeKind::Port, 0.31, 0.5, "XX"))
            .unwrap();
        ports
            .add_node(Node::new("XXLAKE", NodeKind::Port, 0.5, 0.2, "XX"))
            .unwrap();
        let land = Arc::new(land);
        let cfg = MergeConfig {
            land: Some(land.clone()),
            limits: ConnectorLimits {
                sea_km: 200.0,
                ..ConnectorLimits::default()
            },
            ..MergeConfig::default()
        };
        let (net, rep) = merge(vec![("sea".into(), sea), ("ports".into(), ports)], &cfg).unwrap();
        // Straight north: 66.7 km, 52 of them over land: refused. Along
        // the water, by hand: out of the fjord to its mouth's north
        // corner (1.0, 0.525), 76.8 km, and up the coast to the lane,
        // 63.9 km: 140.7 km (the raster passes corners within a cell).
        let by_hand = haversine_km(0.31, 0.5, 1.0, 0.525) + haversine_km(1.0, 0.525, 1.0, 1.1);
        assert!((by_hand - 140.7).abs() < 0.1, "{by_hand}");
        let j = rep.joined.iter().find(|j| j.node == "XXFJORD").unwrap();
        let straight = j.straight_km.unwrap();
        assert!(
            j.km > straight && j.km > by_hand - 1.0 && j.km < by_hand + 2.0,
            "{j:?}"
        );
        let o = rep.over_land.iter().find(|o| o.node == "XXFJORD").unwrap();
        assert!(o.along_water && o.joined_km == Some(j.km), "{o:?}");
        assert!((o.km - 66.7).abs() < 0.5, "{o:?}");
        let port = net.node_id("XXFJORD").unwrap();
        let link = net.links.iter().find(|l| l.from == port).unwrap();
        assert!(link.tags.iter().any(|t| t == "along-water"));
        assert_eq!(link.length_km, j.km);
        assert_eq!(link.geometry[0], [0.31, 0.5]);
        let end = net.node(link.to);
        assert_eq!(*link.geometry.last().unwrap(), [end.lon, end.lat]);
        for s in link.geometry.windows(2) {
            let km = haversine_km(s[0][0], s[0][1], s[1][0], s[1][1]);
            assert!(land.land_km(s[0], s[1], km) <= cfg.coast_km, "{s:?}");
        }
        // A lake with no way to the sea: refused, not joined.
        let o = rep.over_land.iter().find(|o| o.node == "XXLAKE").unwrap();
        assert!(o.joined_km.is_none() && !o.along_water, "{o:?}");
        assert!(!rep.joined.iter().any(|j| j.node == "XXLAKE"));
    }
}
