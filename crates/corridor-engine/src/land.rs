//! Land as polygons (a country layer), to keep the merge's straight sea
//! connectors off it: a port must not join a sea lane by a line that runs
//! over land (Cernavodă on the Danube lay 60 km inland of the Black Sea
//! lane it was joined to).
//!
//! It answers one question, "how much of this straight connector runs
//! over land?", with an R-tree over the polygons' edges (the parts between
//! the edges a segment crosses alternate between land and sea). Ports sit
//! on the coast line and coarse outlines (1:50m, ~1 km) put many of them a
//! little inland, so the merge allows a few km (its `coast_km`). It reads
//! no files: the CLI hands it the shipped Natural Earth layer.

use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{Contains, Coord, Line, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

type Edge = GeomWithData<rstar::primitives::Line<[f64; 2]>, ()>;

/// Land polygons in lon/lat degrees, with their edges and bounding boxes
/// indexed.
pub struct Land {
    polygons: Vec<Polygon<f64>>,
    boxes: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    edges: RTree<Edge>,
}

impl std::fmt::Debug for Land {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Land({} polygons, {} edges)",
            self.polygons.len(),
            self.edges.size()
        )
    }
}

impl PartialEq for Land {
    fn eq(&self, other: &Self) -> bool {
        self.polygons == other.polygons
    }
}

impl Land {
    /// Indexes the polygons (outer rings and holes: a lake's hole is water
    /// too, though no lane runs there).
    pub fn new(polygons: impl IntoIterator<Item = Polygon<f64>>) -> Self {
        let polygons: Vec<Polygon<f64>> = polygons.into_iter().collect();
        let mut edges = Vec::new();
        let mut boxes = Vec::new();
        for (i, p) in polygons.iter().enumerate() {
            let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                for l in ring.lines() {
                    edges.push(Edge::new(
                        rstar::primitives::Line::new([l.start.x, l.start.y], [l.end.x, l.end.y]),
                        (),
                    ));
                }
            }
            for c in &p.exterior().0 {
                lo = [lo[0].min(c.x), lo[1].min(c.y)];
                hi = [hi[0].max(c.x), hi[1].max(c.y)];
            }
            if lo[0] <= hi[0] {
                boxes.push(GeomWithData::new(Rectangle::from_corners(lo, hi), i));
            }
        }
        Self {
            polygons,
            boxes: RTree::bulk_load(boxes),
            edges: RTree::bulk_load(edges),
        }
    }

    /// Whether the point (lon, lat) lies on land.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        let p = Point::new(lon, lat);
        self.boxes
            .locate_in_envelope_intersecting(&AABB::from_point([lon, lat]))
            .any(|b| self.polygons[b.data].contains(&p))
    }

    /// Which of `n` points on the parallel `lat`, from `lon0` eastwards
    /// `step` degrees apart, lie on land: one point-in-polygon test at the
    /// west end, then a flip at every polygon edge crossed (countries
    /// share borders, so crossing one flips twice and stays on land). For
    /// rastering the land around a port (water_path.rs) in one R-tree
    /// query per row instead of a polygon test per cell.
    pub fn row_on_land(&self, lat: f64, lon0: f64, step: f64, n: usize) -> Vec<bool> {
        let lon1 = lon0 + step * n.saturating_sub(1) as f64;
        let env = AABB::from_corners([lon0, lat], [lon1, lat]);
        let mut xs: Vec<f64> = self
            .edges
            .locate_in_envelope_intersecting(&env)
            .filter_map(|e| {
                let (p, q) = (e.geom().from, e.geom().to);
                ((p[1] <= lat) != (q[1] <= lat))
                    .then(|| p[0] + (lat - p[1]) * (q[0] - p[0]) / (q[1] - p[1]))
                    .filter(|&x| x > lon0)
            })
            .collect();
        xs.sort_by(f64::total_cmp);
        let mut inside = self.contains(lon0, lat);
        let mut next = xs.iter().peekable();
        (0..n)
            .map(|k| {
                let lon = lon0 + step * k as f64;
                while next.next_if(|&&x| x < lon).is_some() {
                    inside = !inside;
                }
                inside
            })
            .collect()
    }

    /// How many km of the straight connector from `a` (the port) to `b`
    /// (the lane point) ([lon, lat]; a line in degrees, connectors are
    /// short; `length_km` its great-circle length) run over land: the
    /// parts between the crossings of polygon edges, starting inside if
    /// `a` is on land. 0 when the lane point itself lies on land: the
    /// layer does not draw that water (country outlines cover the Great
    /// Lakes and the rivers some lanes sail up). Across the ±180° meridian
    /// `b` is shifted by 360° so the line stays short; polygons are not,
    /// so such a connector is only measured on `a`'s side.
    pub fn land_km(&self, a: [f64; 2], b: [f64; 2], length_km: f64) -> f64 {
        let mut b = b;
        if b[0] - a[0] > 180.0 {
            b[0] -= 360.0;
        } else if a[0] - b[0] > 180.0 {
            b[0] += 360.0;
        }
        let env = AABB::from_corners(
            [a[0].min(b[0]), a[1].min(b[1])],
            [a[0].max(b[0]), a[1].max(b[1])],
        );
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        if len2 == 0.0 {
            return 0.0;
        }
        let seg = Line::new(Coord { x: a[0], y: a[1] }, Coord { x: b[0], y: b[1] });
        let mut ts: Vec<f64> = self
            .edges
            .locate_in_envelope_intersecting(&env)
            .filter_map(|e| {
                let (p, q) = (e.geom().from, e.geom().to);
                let edge = Line::new(Coord { x: p[0], y: p[1] }, Coord { x: q[0], y: q[1] });
                match line_intersection(seg, edge)? {
                    LineIntersection::SinglePoint {
                        intersection: c, ..
                    } => Some(((c.x - a[0]) * dx + (c.y - a[1]) * dy) / len2),
                    // Along a coast: no way in or out.
                    LineIntersection::Collinear { .. } => None,
                }
            })
            .collect();
        if ts.is_empty() && !self.contains(a[0], a[1]) {
            return 0.0;
        }
        if self.contains(b[0], b[1]) {
            return 0.0;
        }
        ts.sort_by(f64::total_cmp);
        let mut inside = self.contains(a[0], a[1]);
        let (mut prev, mut over) = (0.0, 0.0);
        for t in ts {
            let t = t.clamp(0.0, 1.0);
            if inside {
                over += t - prev;
            }
            inside = !inside;
            prev = t;
        }
        if inside {
            over += 1.0 - prev;
        }
        over * length_km
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::LineString;

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
        Polygon::new(
            LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
            vec![],
        )
    }

    #[test]
    fn a_line_over_an_island_runs_its_width_over_land_and_one_beside_it_none() {
        // An island of 1° × 1° (about 111 km at the equator).
        let land = Land::new([square(0.0, 0.0, 1.0, 1.0)]);
        let km = 3.0 * 111.2;
        let over = land.land_km([-1.0, 0.5], [2.0, 0.5], km);
        assert!((over - 111.2).abs() < 0.1, "{over}");
        assert_eq!(land.land_km([-1.0, 1.5], [2.0, 1.5], km), 0.0);
        // A port inland: from it to the coast.
        let over = land.land_km([0.2, 0.5], [-0.2, 0.5], 0.4 * 111.2);
        assert!((over - 0.2 * 111.2).abs() < 0.1, "{over}");
        assert!(land.contains(0.5, 0.5) && !land.contains(1.5, 0.5));
        // A lane on a lake the outline covers: the layer cannot judge.
        assert_eq!(land.land_km([0.0, 0.5], [0.5, 0.5], 0.5 * 111.2), 0.0);
    }

    #[test]
    fn across_the_antimeridian_the_line_stays_short() {
        let land = Land::new([square(170.0, -10.0, 175.0, 10.0)]);
        // 179.5 → -179.5 is 1° of sea, not 359° across the island.
        assert_eq!(land.land_km([179.5, 0.0], [-179.5, 0.0], 111.2), 0.0);
        let over = land.land_km([169.0, 0.0], [176.0, 0.0], 7.0 * 111.2);
        assert!((over - 5.0 * 111.2).abs() < 0.5, "{over}");
    }
}
