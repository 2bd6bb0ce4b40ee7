//! The country of each way node, looked up once per node in the country
//! layer (none without one): untagged track takes its country's gauge
//! (`ways.rs`), borders are where it changes (`borders.rs`), and the nodes
//! written by `emit.rs` carry it.
//!
//! A country whose own boundary relation the extract holds whole
//! (`boundary=administrative`, `admin_level=2`, `ISO3166-1`, every member
//! way and node present, every ring closed) is looked up in that outline,
//! not in the layer's: Natural Earth's 1:50m Monaco lies about a kilometre
//! off, and left 337 of the 365 nodes in Monaco's box without a country.
//! A point outside that outline is not in that country even where the
//! layer says so: it takes the layer's nearest other country within
//! `LAYER_SLACK_DEG` (France for Beausoleil), or none.

use crate::countries::CountryIndex;
use crate::osm::read::RawOsm;
use geo::{BoundingRect, Contains, Coord, Intersects, Line, LineString, Point, Polygon};
use std::collections::HashMap;

/// How far (degrees, ~2 km) the layer's outline of a country may stick
/// out of the extract's extent with the country still counted as inside
/// it: Natural Earth 1:50m's Monaco ends 0.0009° north of the Monaco
/// extract's edge.
const LAYER_SLACK_DEG: f64 = 0.02;

/// The country of way nodes, from the country layer (none without one).
pub(super) struct NodeCountries<'c> {
    pub(super) index: Option<&'c CountryIndex>,
    /// Countries outlined by the extract itself: code and closed rings.
    own: Vec<(&'c str, Vec<Polygon<f64>>)>,
    cache: HashMap<i64, Option<&'c str>>,
}

impl<'c> NodeCountries<'c> {
    /// Without an extract's own boundaries (see [`Self::with_own`]).
    pub(super) fn new(index: Option<&'c CountryIndex>) -> Self {
        Self {
            index,
            own: Vec::new(),
            cache: HashMap::new(),
        }
    }

    /// With the countries `raw` outlines whole, which win over the layer's
    /// outline of the same country; only with a layer (the codes are
    /// matched against it).
    pub(super) fn with_own(index: Option<&'c CountryIndex>, raw: &RawOsm) -> Self {
        let mut me = Self::new(index);
        let Some(layer) = index else {
            return me;
        };
        let extent = LineString::from(
            raw.coords
                .iter()
                .map(|c| (c.1[0], c.1[1]))
                .collect::<Vec<_>>(),
        )
        .bounding_rect();
        for r in &raw.country_relations {
            let Some(country) = layer.countries().iter().find(|c| c.code == r.code) else {
                continue;
            };
            // Only a country the extract holds whole (by the layer's
            // outline) may have its cut boundary closed by a chord.
            let inside = match (extent, country.shape.bounding_rect()) {
                (Some(e), Some(c)) => {
                    e.min().x <= c.min().x + LAYER_SLACK_DEG
                        && e.min().y <= c.min().y + LAYER_SLACK_DEG
                        && e.max().x >= c.max().x - LAYER_SLACK_DEG
                        && e.max().y >= c.max().y - LAYER_SLACK_DEG
                }
                _ => false,
            };
            let code = country.code.as_str();
            if let Some(rings) = rings(raw, &r.ways, inside) {
                me.own.push((code, rings));
            }
        }
        me
    }

    fn lookup(&self, lon: f64, lat: f64) -> Option<&'c str> {
        let index = self.index?;
        let p = Point::new(lon, lat);
        for (code, rings) in &self.own {
            // Even–odd: a ring inside another is a hole (roles not read).
            if rings.iter().filter(|r| r.contains(&p)).count() % 2 == 1 {
                return Some(code);
            }
        }
        let layer = index.country_at(lon, lat)?;
        if self.own.iter().any(|o| o.0 == layer) {
            // The layer's outline of an own country strays here (Natural
            // Earth's Monaco covers Beausoleil): its nearest neighbour.
            let own: Vec<&str> = self.own.iter().map(|o| o.0).collect();
            return index.nearest_other(lon, lat, &own, LAYER_SLACK_DEG);
        }
        Some(layer)
    }

    /// The country code of way node `n`; `None` at sea, outside the layer
    /// or without one.
    pub(super) fn of_node(&mut self, raw: &RawOsm, n: i64) -> Option<&'c str> {
        self.index?;
        if let Some(&c) = self.cache.get(&n) {
            return c;
        }
        let c = raw.coord(n).expect("way nodes have coordinates");
        let found = self.lookup(c[0], c[1]);
        self.cache.insert(n, found);
        found
    }

    /// The country code at a point, `""` if none.
    pub(super) fn at(&self, lon: f64, lat: f64) -> &'c str {
        self.lookup(lon, lat).unwrap_or_default()
    }
}

/// The closed rings the member ways `ways` of a boundary relation form,
/// joined end to end; `None` when a member way or node is missing from
/// the extract. An extract cut out of the planet ends a boundary at its
/// edge (Monaco's territorial waters run out to sea): one chain left open
/// is closed by a straight line between its ends when `may_close` (the
/// country lies inside the extract, by the layer's outline) and that line
/// crosses none of the extract's imported ways (so it stands in for
/// boundary the network does not reach); more open chains, a line across
/// the network, or a country larger than the extract (France around
/// Monaco, whose members there are the same chain) give `None`.
fn rings(raw: &RawOsm, ways: &[i64], may_close: bool) -> Option<Vec<Polygon<f64>>> {
    let mut open: Vec<Vec<i64>> = Vec::with_capacity(ways.len());
    for id in ways {
        let i = raw.boundary_ways.binary_search_by_key(id, |w| w.0).ok()?;
        open.push(raw.boundary_ways[i].1.clone());
    }
    let mut closed: Vec<Vec<i64>> = Vec::new();
    let mut loose: Vec<Vec<i64>> = Vec::new();
    while let Some(mut ring) = open.pop() {
        continue_chain(&mut ring, &mut open);
        if !is_closed(&ring) {
            ring.reverse();
            continue_chain(&mut ring, &mut open);
        }
        if is_closed(&ring) {
            closed.push(ring);
        } else {
            loose.push(ring);
        }
    }
    match loose.len() {
        0 => {}
        1 if may_close && loose[0].len() >= 3 => {
            let mut ring = loose.remove(0);
            let a = raw.coord(ring[0])?;
            let b = raw.coord(*ring.last()?)?;
            if crosses_network(raw, a, b) {
                return None;
            }
            ring.push(ring[0]);
            closed.push(ring);
        }
        _ => return None,
    }
    if closed.is_empty() {
        return None;
    }
    closed
        .iter()
        .map(|ring| {
            let pts: Option<Vec<Coord<f64>>> = ring
                .iter()
                .map(|&n| raw.coord(n).map(|c| Coord { x: c[0], y: c[1] }))
                .collect();
            Some(Polygon::new(LineString::new(pts?), vec![]))
        })
        .collect()
}

fn is_closed(ring: &[i64]) -> bool {
    ring.len() > 3 && ring.first() == ring.last()
}

/// Extends `ring` at its last node by the open ways that continue it.
fn continue_chain(ring: &mut Vec<i64>, open: &mut Vec<Vec<i64>>) {
    while let Some(&end) = ring.last() {
        if is_closed(ring) {
            return;
        }
        let Some(next) = open
            .iter()
            .position(|w| w.first() == Some(&end) || w.last() == Some(&end))
        else {
            return;
        };
        let mut w = open.swap_remove(next);
        if w.first() != Some(&end) {
            w.reverse();
        }
        ring.extend_from_slice(&w[1..]);
    }
}

/// Whether the straight line a–b crosses a segment of an imported way.
fn crosses_network(raw: &RawOsm, a: [f64; 2], b: [f64; 2]) -> bool {
    let chord = Line::new(Coord { x: a[0], y: a[1] }, Coord { x: b[0], y: b[1] });
    raw.ways.iter().any(|w| {
        w.refs
            .windows(2)
            .any(|p| match (raw.coord(p[0]), raw.coord(p[1])) {
                (Some(c), Some(d)) => chord.intersects(&Line::new(
                    Coord { x: c[0], y: c[1] },
                    Coord { x: d[0], y: d[1] },
                )),
                _ => false,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osm::read::{RawWay, WayKind};

    /// A unit square 1-2-3-4 drawn by two boundary ways, the second
    /// missing its last node (cut by the extract's edge).
    fn square(cut: bool) -> RawOsm {
        let mut raw = RawOsm {
            coords: vec![
                (1, [0.0, 0.0]),
                (2, [1.0, 0.0]),
                (3, [1.0, 1.0]),
                (4, [0.0, 1.0]),
            ],
            ..RawOsm::default()
        };
        raw.boundary_ways = vec![
            (10, vec![1, 2, 3]),
            (11, if cut { vec![3, 4] } else { vec![3, 4, 1] }),
        ];
        raw
    }

    #[test]
    fn boundary_rings_close_and_a_cut_one_closes_by_a_chord_off_the_network() {
        let inside = |rings: &[Polygon<f64>], x: f64, y: f64| {
            rings
                .iter()
                .filter(|r| r.contains(&Point::new(x, y)))
                .count()
                % 2
                == 1
        };
        let whole = rings(&square(false), &[10, 11], false).unwrap();
        assert!(inside(&whole, 0.5, 0.5) && !inside(&whole, 1.5, 0.5));
        // Cut: closed by the chord 4–1 only when allowed.
        assert!(rings(&square(true), &[10, 11], false).is_none());
        let cut = rings(&square(true), &[10, 11], true).unwrap();
        assert!(inside(&cut, 0.5, 0.5));
        // A member way missing from the extract.
        assert!(rings(&square(false), &[10, 12], true).is_none());
        // A road across the chord: the chord would cut the network.
        let mut raw = square(true);
        raw.coords.extend([(5, [-0.5, 0.5]), (6, [0.5, 0.5])]);
        raw.ways.push(RawWay {
            id: 20,
            refs: vec![5, 6],
            tags: Vec::new(),
            kind: WayKind::Road,
        });
        assert!(rings(&raw, &[10, 11], true).is_none());
    }
}
