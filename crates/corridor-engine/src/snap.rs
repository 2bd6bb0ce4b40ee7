//! Finding the network node a user means: `lat,lon` snapped to the nearest
//! vertex with an R-tree, a UN/LOCODE, a node id or a node name.
//!
//! Points are stored on the unit sphere (x, y, z), so the R-tree's
//! straight-line nearest neighbour is also the great-circle nearest one,
//! everywhere on Earth and across the ±180° meridian. This module answers
//! "which node and how far"; it never adds nodes or links (the merge does).

use corridor_model::{Network, NodeId};
use rstar::RTree;
use rstar::primitives::GeomWithData;

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
