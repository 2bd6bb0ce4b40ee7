//! Finding the way node a station or terminal site joins: per network
//! family an R-tree of the nodes on its parts, each knowing the size of the
//! connected piece it lies on and, on rail, its gauge.
//!
//! Distances in the tree are on an equirectangular plane scaled at the
//! extract's mean latitude (good enough to order neighbours); the reach
//! test is haversine. It decides nothing about what gets attached (that is
//! `attach.rs`).

use super::union_find::UnionFind;
use super::ways::Ways;
use crate::osm::read::RawOsm;
use crate::osm::tags::Family;
use corridor_model::network::haversine_km;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

/// A way node of one family.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct WayNode {
    pub(super) id: i64,
    /// The smallest first gauge of the parts of this family through it
    /// (`None` off rail).
    pub(super) gauge: Option<u16>,
    /// Nodes of this family on its connected piece.
    piece: u32,
}

type Point = GeomWithData<[f64; 2], u32>;

pub(super) struct NodeIndex<'r> {
    raw: &'r RawOsm,
    /// Longitude scale: cos of the extract's mean latitude.
    kx: f64,
    trees: BTreeMap<Family, RTree<Point>>,
    /// By the index the trees hold: one entry per (family, node).
    nodes: Vec<WayNode>,
}

impl<'r> NodeIndex<'r> {
    pub(super) fn new(raw: &'r RawOsm, ways: &Ways) -> Self {
        let kx = raw.mean_lat().to_radians().cos().max(0.01);
        // Keys carry the family: rail and road share nodes at level
        // crossings but are separate networks.
        let mut dense: HashMap<(Family, i64), u32> = HashMap::new();
        let mut nodes: Vec<WayNode> = Vec::new();
        let mut points: BTreeMap<Family, Vec<Point>> = BTreeMap::new();
        let mut pieces = UnionFind::default();
        for part in &ways.parts {
            let family = ways.family(part);
            let gauge = ways.attrs[part.attrs].gauges.first().copied();
            let mut prev: Option<u32> = None;
            for &n in &part.nodes {
                let i = match dense.entry((family, n)) {
                    Entry::Occupied(e) => *e.get(),
                    Entry::Vacant(e) => {
                        let i = pieces.add();
                        e.insert(i);
                        nodes.push(WayNode {
                            id: n,
                            gauge,
                            piece: 0,
                        });
                        let c = raw
                            .coord(n)
                            .expect("parts hold only nodes with coordinates");
                        points
                            .entry(family)
                            .or_default()
                            .push(GeomWithData::new([c[0] * kx, c[1]], i));
                        i
                    }
                };
                let node = &mut nodes[i as usize];
                node.gauge = node.gauge.min(gauge);
                if let Some(p) = prev {
                    pieces.union(p, i);
                }
                prev = Some(i);
            }
        }
        for (i, node) in nodes.iter_mut().enumerate() {
            node.piece = pieces.size(i as u32);
        }
        let trees = points
            .into_iter()
            .map(|(f, v)| (f, RTree::bulk_load(v)))
            .collect();
        Self {
            raw,
            kx,
            trees,
            nodes,
        }
    }

    /// The node of `family` a point at (`lon`, `lat`) joins: among the
    /// nodes within `max_km`, one on the largest connected piece, the
    /// nearest of those. Looks at the 2000 nearest at most.
    pub(super) fn nearest(
        &self,
        family: Family,
        lon: f64,
        lat: f64,
        max_km: f64,
    ) -> Option<WayNode> {
        let tree = self.trees.get(&family)?;
        let mut best: Option<&WayNode> = None;
        for hit in tree.nearest_neighbor_iter(&[lon * self.kx, lat]).take(2000) {
            let node = &self.nodes[hit.data as usize];
            let c = self.raw.coord(node.id)?;
            if haversine_km(lon, lat, c[0], c[1]) > max_km {
                break;
            }
            if best.is_none_or(|b| node.piece > b.piece) {
                best = Some(node);
            }
        }
        best.copied()
    }
}

#[cfg(test)]
mod tests {
    use super::super::log::Log;
    use super::super::ways::tests::{RAIL, raw};
    use super::*;
    use crate::osm::OsmConfig;

    #[test]
    fn a_point_joins_the_largest_piece_within_reach() {
        //   1 ── 2                   way 10: a stub
        //              3 ── 4 ── 5   way 11: the main line
        // Nodes are 0.01° (≈ 0.8 km) apart; a point at 2½ is nearer 2
        // than 3, but 3 lies on the bigger piece.
        let raw = raw(5, &[(10, &[1, 2], RAIL), (11, &[3, 4, 5], RAIL)]);
        let ways = Ways::collect(
            &raw,
            &OsmConfig::default(),
            &mut Log::new(Default::default()),
        );
        let index = NodeIndex::new(&raw, &ways);
        let at = |x: f64| 7.0 + x * 0.01;
        let hit = index.nearest(Family::Rail, at(2.4), 43.0, 2.0).unwrap();
        assert_eq!((hit.id, hit.gauge, hit.piece), (3, Some(1435), 3));
        // Out of reach of the main line, the stub will do.
        assert_eq!(
            index.nearest(Family::Rail, at(1.9), 43.0, 0.5).unwrap().id,
            2
        );
        // Too far from anything, and no road at all.
        assert_eq!(index.nearest(Family::Rail, at(9.0), 43.0, 2.0), None);
        assert_eq!(index.nearest(Family::Road, at(3.0), 43.0, 2.0), None);
    }

    #[test]
    fn a_dual_gauge_node_reports_its_smallest_first_gauge() {
        //   1 ── 2 ── 3      way 10 gauge 1520, way 11 gauge 1435;1520
        let raw = raw(
            3,
            &[
                (10, &[1, 2], &[("railway", "rail"), ("gauge", "1520")]),
                (11, &[2, 3], &[("railway", "rail"), ("gauge", "1435;1520")]),
            ],
        );
        let ways = Ways::collect(
            &raw,
            &OsmConfig::default(),
            &mut Log::new(Default::default()),
        );
        let index = NodeIndex::new(&raw, &ways);
        let gauge = |x: f64| {
            index
                .nearest(Family::Rail, 7.0 + x * 0.01, 43.0, 0.1)
                .unwrap()
                .gauge
        };
        assert_eq!(
            [gauge(1.0), gauge(2.0), gauge(3.0)],
            [Some(1520), Some(1435), Some(1435)]
        );
    }
}
