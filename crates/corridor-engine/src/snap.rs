//! Finding the network node a user means: `lat,lon` snapped to the nearest
//! vertex with an R-tree, a UN/LOCODE, a node id or a node name.
//!
//! Points are stored on the unit sphere (x, y, z), so the R-tree's
//! straight-line nearest neighbour is also the great-circle nearest one,
//! everywhere on Earth and across the ±180° meridian. [`LineIndex`] answers
//! the same for the nearest point *on* a line (sea lanes have few vertices,
//! often far off a port). This module answers "which node or line and how
//! far"; it never adds nodes or links (the merge does).

use corridor_model::{LinkId, Network, NodeId};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

const EARTH_RADIUS_KM: f64 = 6371.0088;

fn unit(lon: f64, lat: f64) -> [f64; 3] {
    let (lo, la) = (lon.to_radians(), lat.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Great-circle km from a squared chord length on the unit sphere.
fn chord2_to_km(d2: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (d2.sqrt() / 2.0).min(1.0).asin()
}

/// An R-tree over some of a network's nodes.
pub struct SnapIndex {
    tree: RTree<GeomWithData<[f64; 3], NodeId>>,
}

impl std::fmt::Debug for SnapIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SnapIndex({} nodes)", self.tree.size())
    }
}

impl SnapIndex {
    /// Indexes the nodes for which `keep` is true.
    pub fn new(net: &Network, mut keep: impl FnMut(NodeId) -> bool) -> Self {
        let pts = net
            .nodes
            .iter()
            .enumerate()
            .map(|(i, _)| NodeId::from_index(i))
            .filter(|&id| keep(id))
            .map(|id| {
                let n = net.node(id);
                GeomWithData::new(unit(n.lon, n.lat), id)
            })
            .collect();
        Self {
            tree: RTree::bulk_load(pts),
        }
    }

    /// Indexes the nodes that at least one link touches: the vertices a
    /// route can start from.
    pub fn routable(net: &Network) -> Self {
        let mut has = vec![false; net.n_nodes()];
        for l in &net.links {
            has[l.from.index()] = true;
            has[l.to.index()] = true;
        }
        Self::new(net, |id| has[id.index()])
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The nearest indexed node and its great-circle distance in km.
    pub fn nearest(&self, lon: f64, lat: f64) -> Option<(NodeId, f64)> {
        self.nearest_where(lon, lat, f64::INFINITY, |_| true)
    }

    /// The nearest indexed node within `max_km` for which `ok` holds.
    pub fn nearest_where(
        &self,
        lon: f64,
        lat: f64,
        max_km: f64,
        mut ok: impl FnMut(NodeId) -> bool,
    ) -> Option<(NodeId, f64)> {
        let q = unit(lon, lat);
        for (p, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let km = chord2_to_km(d2);
            if km > max_km {
                return None;
            }
            if ok(p.data) {
                return Some((p.data, km));
            }
        }
        None
    }

    /// The indexed nodes within `max_km` for which `ok` holds, nearest
    /// first, at most `cap` of them.
    pub fn within_where(
        &self,
        lon: f64,
        lat: f64,
        max_km: f64,
        cap: usize,
        mut ok: impl FnMut(NodeId) -> bool,
    ) -> Vec<(NodeId, f64)> {
        let q = unit(lon, lat);
        self.tree
            .nearest_neighbor_iter_with_distance_2(&q)
            .map(|(p, d2)| (p.data, chord2_to_km(d2)))
            .take_while(|&(_, km)| km <= max_km)
            .filter(|&(id, _)| ok(id))
            .take(cap)
            .collect()
    }
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

/// Angle between two unit vectors, robust for tiny and large angles.
fn angle(a: [f64; 3], b: [f64; 3]) -> f64 {
    let c = cross(a, b);
    dot(c, c).sqrt().atan2(dot(a, b))
}

/// The nearest point of a line to a query point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OnLine {
    pub link: LinkId,
    /// The point on the line.
    pub lon: f64,
    pub lat: f64,
    /// Great-circle km from the query point.
    pub km: f64,
    /// Great-circle km along the line's geometry from its first point.
    pub along_km: f64,
    /// Great-circle km of the whole geometry.
    pub line_km: f64,
}

/// One straight (great-circle) stretch of a link's geometry.
#[derive(Clone, Copy, Debug)]
struct Stretch {
    link: LinkId,
    a: [f64; 3],
    b: [f64; 3],
    /// km along the link where the stretch starts, and the link's length.
    start_km: f64,
    line_km: f64,
}

/// Points per stretch tried when its nearest point is not reachable.
const SAMPLES: usize = 16;

impl Stretch {
    fn on_line(&self, c: [f64; 3], km: f64, from_a: f64) -> OnLine {
        OnLine {
            link: self.link,
            lon: c[1].atan2(c[0]).to_degrees(),
            lat: c[2].clamp(-1.0, 1.0).asin().to_degrees(),
            km,
            along_km: self.start_km + from_a * EARTH_RADIUS_KM,
            line_km: self.line_km,
        }
    }

    /// `n + 1` evenly spaced points of the arc with their angular distance
    /// from `p` and from `a`, the farthest first (callers pop the nearest).
    fn samples(&self, p: [f64; 3], n: usize) -> Vec<(f64, [f64; 3], f64)> {
        let th = angle(self.a, self.b);
        let mut v: Vec<(f64, [f64; 3], f64)> = (0..=n)
            .map(|k| {
                let t = k as f64 / n as f64;
                let (sa, sb) = if th < 1e-12 {
                    (1.0 - t, t)
                } else {
                    (((1.0 - t) * th).sin() / th.sin(), (t * th).sin() / th.sin())
                };
                let c = std::array::from_fn(|d| sa * self.a[d] + sb * self.b[d]);
                (angle(p, c), c, t * th)
            })
            .collect();
        v.sort_by(|x, y| y.0.total_cmp(&x.0));
        v
    }

    /// The point of the arc a→b nearest `p`, its angular distance and the
    /// angle from `a` to it.
    fn nearest(&self, p: [f64; 3]) -> ([f64; 3], f64, f64) {
        let (a, b) = (self.a, self.b);
        let n = cross(a, b);
        let nn = dot(n, n).sqrt();
        let ends = || {
            let (da, db) = (angle(p, a), angle(p, b));
            if da <= db {
                (a, da, 0.0)
            } else {
                (b, db, angle(a, b))
            }
        };
        if nn < 1e-12 {
            return ends();
        }
        let n = [n[0] / nn, n[1] / nn, n[2] / nn];
        let h = dot(p, n);
        let c = [p[0] - h * n[0], p[1] - h * n[1], p[2] - h * n[2]];
        let cl = dot(c, c).sqrt();
        if cl < 1e-12 {
            return ends();
        }
        let c = [c[0] / cl, c[1] / cl, c[2] / cl];
        // Within the arc when c lies between a and b seen from the normal.
        if dot(cross(a, c), n) >= 0.0 && dot(cross(c, b), n) >= 0.0 {
            (c, h.abs().min(1.0).asin(), angle(a, c))
        } else {
            ends()
        }
    }
}

/// An R-tree over the great-circle stretches of some links (their
/// geometry, or the straight line between their nodes): each stretch is
/// boxed on the unit sphere with its chord's box widened by the arc's
/// sagitta, so a box's distance never exceeds the stretch's, and a
/// best-first walk finds the exact nearest point.
pub struct LineIndex {
    tree: RTree<GeomWithData<Rectangle<[f64; 3]>, usize>>,
    stretches: Vec<Stretch>,
}

impl std::fmt::Debug for LineIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LineIndex({} stretches)", self.stretches.len())
    }
}

impl LineIndex {
    /// Indexes the links for which `keep` is true.
    pub fn new(net: &Network, mut keep: impl FnMut(LinkId) -> bool) -> Self {
        let mut stretches = Vec::new();
        for (i, l) in net.links.iter().enumerate() {
            let id = LinkId::from_index(i);
            if !keep(id) {
                continue;
            }
            let pts: Vec<[f64; 3]> = if l.geometry.len() >= 2 {
                l.geometry.iter().map(|p| unit(p[0], p[1])).collect()
            } else {
                let (a, b) = (net.node(l.from), net.node(l.to));
                vec![unit(a.lon, a.lat), unit(b.lon, b.lat)]
            };
            let line_km: f64 =
                pts.windows(2).map(|w| angle(w[0], w[1])).sum::<f64>() * EARTH_RADIUS_KM;
            let mut start_km = 0.0;
            for w in pts.windows(2) {
                stretches.push(Stretch {
                    link: id,
                    a: w[0],
                    b: w[1],
                    start_km,
                    line_km,
                });
                start_km += angle(w[0], w[1]) * EARTH_RADIUS_KM;
            }
        }
        let boxes = stretches
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let sag = 1.0 - (angle(s.a, s.b) / 2.0).cos();
                let lo = std::array::from_fn(|d| s.a[d].min(s.b[d]) - sag - 1e-12);
                let hi = std::array::from_fn(|d| s.a[d].max(s.b[d]) + sag + 1e-12);
                GeomWithData::new(Rectangle::from_corners(lo, hi), k)
            })
            .collect();
        Self {
            tree: RTree::bulk_load(boxes),
            stretches,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.stretches.is_empty()
    }

    /// The nearest point within `max_km` on a link for which `ok` holds.
    pub fn nearest_where(
        &self,
        lon: f64,
        lat: f64,
        max_km: f64,
        ok: impl FnMut(LinkId) -> bool,
    ) -> Option<OnLine> {
        self.nearest_reachable(lon, lat, max_km, ok, |_| true)
    }

    /// The nearest point within `max_km` on a link for which `ok` holds,
    /// among the points for which `reach` holds (a sea connector that does
    /// not cross land). Each stretch offers its nearest point, and when
    /// that fails, points at every sixteenth of its length, nearest first
    /// (a port behind a headland sees a farther part of the lane): the
    /// answer is the nearest of those, not of every point.
    pub fn nearest_reachable(
        &self,
        lon: f64,
        lat: f64,
        max_km: f64,
        mut ok: impl FnMut(LinkId) -> bool,
        mut reach: impl FnMut(&OnLine) -> bool,
    ) -> Option<OnLine> {
        let q = unit(lon, lat);
        let mut best: Option<OnLine> = None;
        for (r, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let bound = chord2_to_km(d2);
            if bound > max_km || best.as_ref().is_some_and(|b| bound > b.km) {
                break;
            }
            let s = &self.stretches[r.data];
            if !ok(s.link) {
                continue;
            }
            let (c, ang, from_a) = s.nearest(q);
            let mut offers = vec![(ang, c, from_a)];
            let mut sampled = false;
            while let Some((ang, c, from_a)) = offers.pop() {
                let km = ang * EARTH_RADIUS_KM;
                if km > max_km || best.as_ref().is_some_and(|b| km >= b.km) {
                    continue;
                }
                let hit = s.on_line(c, km, from_a);
                if reach(&hit) {
                    best = Some(hit);
                    break;
                }
                if !sampled {
                    sampled = true;
                    offers = s.samples(q, SAMPLES);
                }
            }
        }
        best
    }
}

impl LineIndex {
    /// Points every `step_km` along the links for which `ok` holds, those
    /// within `max_km` of (`lon`, `lat`), as [lon, lat]: the targets of a
    /// search over water that rasters them (water_path.rs).
    pub fn points_within(
        &self,
        lon: f64,
        lat: f64,
        max_km: f64,
        step_km: f64,
        mut ok: impl FnMut(LinkId) -> bool,
    ) -> Vec<[f64; 2]> {
        let q = unit(lon, lat);
        let chord = 2.0
            * (max_km / EARTH_RADIUS_KM / 2.0)
                .min(std::f64::consts::FRAC_PI_2)
                .sin();
        let mut v = Vec::new();
        for r in self.tree.locate_within_distance(q, chord * chord) {
            let s = &self.stretches[r.data];
            if !ok(s.link) {
                continue;
            }
            let n = ((angle(s.a, s.b) * EARTH_RADIUS_KM / step_km).ceil() as usize).max(1);
            for (ang, c, _) in s.samples(q, n) {
                if ang * EARTH_RADIUS_KM <= max_km {
                    v.push([
                        c[1].atan2(c[0]).to_degrees(),
                        c[2].clamp(-1.0, 1.0).asin().to_degrees(),
                    ]);
                }
            }
        }
        v
    }
}

/// Parses `lat,lon` (decimal degrees, latitude first as people say it).
pub fn parse_lat_lon(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let lat: f64 = a.trim().parse().ok()?;
    let lon: f64 = b.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// Resolves what a user typed as `--from`/`--to` to a node and how far it
/// had to snap (km; 0 for an exact id, code or name).
///
/// In order: `lat,lon` (nearest node with a link), a node id, a UN/LOCODE
/// (`NLRTM`, `NL RTM`: a node with that id or tag `unlocode=NLRTM`), a node
/// name (case-insensitive; stations, ports and terminals win over other
/// nodes of the same name, then the lowest node index).
pub fn resolve_place(net: &Network, s: &str) -> crate::Result<(NodeId, f64)> {
    let s = s.trim();
    if let Some((lat, lon)) = parse_lat_lon(s) {
        return SnapIndex::routable(net).nearest(lon, lat).ok_or_else(|| {
            crate::Error::InvalidRequest(format!(
                "cannot snap \"{s}\": the network has no node with a link"
            ))
        });
    }
    if let Some(id) = net.node_id(s) {
        return Ok((id, 0.0));
    }
    let code: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if code.len() == 5
        && code.bytes().take(2).all(|b| b.is_ascii_alphabetic())
        && code.bytes().skip(2).all(|b| b.is_ascii_alphanumeric())
    {
        if let Some(id) = net.node_id(&code) {
            return Ok((id, 0.0));
        }
        let tag = format!("unlocode={code}");
        if let Some(i) = net.nodes.iter().position(|n| n.tags.contains(&tag)) {
            return Ok((NodeId::from_index(i), 0.0));
        }
    }
    let mut best: Option<(u8, usize)> = None;
    for (i, n) in net.nodes.iter().enumerate() {
        if n.name.eq_ignore_ascii_case(s) || (n.name.to_lowercase() == s.to_lowercase()) {
            use corridor_model::NodeKind::*;
            let rank = match n.kind {
                Station | Port | Terminal => 0,
                City => 1,
                _ => 2,
            };
            if best.is_none_or(|(r, _)| rank < r) {
                best = Some((rank, i));
            }
        }
    }
    best.map(|(_, i)| (NodeId::from_index(i), 0.0))
        .ok_or_else(|| crate::Error::UnknownId {
            kind: "place (expected lat,lon, a node id, a UN/LOCODE or a node name)",
            id: s.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::{Link, Mode, Node, NodeKind, network::haversine_km};
    use proptest::prelude::*;

    fn grid(points: &[(f64, f64)]) -> Network {
        let mut n = Network::new("g");
        for (i, &(lon, lat)) in points.iter().enumerate() {
            n.add_node(Node::new(
                &format!("p{i}"),
                NodeKind::Junction,
                lon,
                lat,
                "",
            ))
            .unwrap();
        }
        for i in 1..points.len() {
            n.add_link(Link::new(
                &format!("l{i}"),
                NodeId::from_index(i - 1),
                NodeId::from_index(i),
                Mode::Road,
                None,
                1.0,
            ))
            .unwrap();
        }
        n
    }

    proptest! {
        /// The R-tree answer equals a linear scan by haversine distance.
        #[test]
        fn nearest_matches_a_linear_scan(
            pts in proptest::collection::vec((-180.0f64..180.0, -85.0f64..85.0), 2..60),
            q in (-180.0f64..180.0, -85.0f64..85.0),
        ) {
            let net = grid(&pts);
            let (id, km) = SnapIndex::routable(&net).nearest(q.0, q.1).unwrap();
            let best = pts.iter().map(|p| haversine_km(q.0, q.1, p.0, p.1)).fold(f64::INFINITY, f64::min);
            prop_assert!((km - best).abs() < 1e-6 * (1.0 + best), "{km} vs {best}");
            let n = net.node(id);
            prop_assert!((haversine_km(q.0, q.1, n.lon, n.lat) - best).abs() < 1e-6 * (1.0 + best));
        }
    }

    proptest! {
        /// The nearest point on a line is no farther than any of the
        /// line's points sampled densely, and not much nearer.
        #[test]
        fn nearest_on_lines_matches_dense_sampling(
            pts in proptest::collection::vec((-179.0f64..179.0, -70.0f64..70.0), 2..12),
            q in (-180.0f64..180.0, -80.0f64..80.0),
        ) {
            let net = grid(&pts);
            let idx = LineIndex::new(&net, |_| true);
            let hit = idx.nearest_where(q.0, q.1, f64::INFINITY, |_| true).unwrap();
            let mut sampled = f64::INFINITY;
            for w in pts.windows(2) {
                let (a, b) = (unit(w[0].0, w[0].1), unit(w[1].0, w[1].1));
                let th = angle(a, b);
                for k in 0..=2000 {
                    let t = k as f64 / 2000.0;
                    let (sa, sb) = if th < 1e-12 { (1.0 - t, t) } else {
                        (((1.0 - t) * th).sin() / th.sin(), (t * th).sin() / th.sin())
                    };
                    let p = [sa * a[0] + sb * b[0], sa * a[1] + sb * b[1], sa * a[2] + sb * b[2]];
                    let (lon, lat) = (p[1].atan2(p[0]).to_degrees(), p[2].clamp(-1.0, 1.0).asin().to_degrees());
                    sampled = sampled.min(haversine_km(q.0, q.1, lon, lat));
                }
            }
            prop_assert!(hit.km <= sampled + 1e-6, "{} vs {sampled}", hit.km);
            // Samples are at most 10 km apart on a 20,000 km arc.
            prop_assert!(hit.km >= sampled - 12.0, "{} vs {sampled}", hit.km);
            prop_assert!((haversine_km(q.0, q.1, hit.lon, hit.lat) - hit.km).abs() < 1e-3 * (1.0 + hit.km));
        }
    }

    #[test]
    fn places_resolve_by_coordinates_code_and_name() {
        let mut net = grid(&[(179.9, 10.0), (4.1, 51.9), (10.0, 53.5)]);
        net.nodes[1].source_id = "NLRTM".into();
        net.nodes[2].name = "Hamburg Hbf".into();
        net.nodes[2].kind = NodeKind::Station;
        net.reindex().unwrap();
        // Across the antimeridian: -179.9 is 0.2° from 179.9.
        let (id, km) = resolve_place(&net, "10.0,-179.9").unwrap();
        assert_eq!(id.index(), 0);
        assert!(km < 25.0, "{km}");
        assert_eq!(
            resolve_place(&net, "NL RTM").unwrap(),
            (NodeId::from_index(1), 0.0)
        );
        assert_eq!(resolve_place(&net, "hamburg hbf").unwrap().0.index(), 2);
        let e = resolve_place(&net, "Atlantis").unwrap_err().to_string();
        assert!(e.contains("Atlantis"), "{e}");
    }
}
