//! Connectors that follow the water. When a port's straight line to the
//! nearest sea lane runs over land (the head of a fjord, behind an island,
//! up an estuary), the merge asks this module for a path over water: the
//! shortest 8-neighbour path on a local raster of the land layer around
//! the port, pulled taut where the straight line between its points stays
//! in water, with its great-circle length in km.
//!
//! The raster is square, centred on the port and twice the sea limit wide
//! (a path no longer than the limit never leaves it), in cells of
//! [`CELL_KM`] (wider when the limit would need more than
//! [`MAX_HALF_CELLS`] a side, so a search holds at most ~300 × 300 cells,
//! about 1 MB) in a local equirectangular projection. A cell whose centre
//! lies on land is blocked, except within `shore_km` (less a cell) of
//! the port: ports sit
//! on the shore, and the 1:50m outlines put many a little inland. Cells on
//! a lane are the goals, entered even where the lane crosses land the
//! layer does not draw as water (a river a lane sails up). A raster that
//! would cross the ±180° meridian or reach beyond 85° of latitude is not
//! searched (no path). It reads no files and knows no network: the lanes
//! come as points, and the caller says which lane point a goal cell joins.

use crate::land::Land;
use corridor_model::network::haversine_km;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The raster's cell, km: finer than the 1:50m outlines' ~1 km detail
/// gains nothing, and a fjord a few km wide still has open cells.
pub const CELL_KM: f64 = 1.0;

/// The most cells from the port to the raster's edge; beyond, cells grow.
pub const MAX_HALF_CELLS: usize = 150;

/// A path over water from a port to a lane point, as [lon, lat] points
/// (the port first), and its great-circle km.
#[derive(Clone, Debug, PartialEq)]
pub struct WaterPath {
    pub points: Vec<[f64; 2]>,
    pub km: f64,
}

/// How far a search may go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaterSearch {
    /// The longest path, km (the merge's sea connector limit).
    pub limit_km: f64,
    /// Around the port, land cells within this many km are open.
    pub shore_km: f64,
}

impl WaterSearch {
    /// The raster's cell size, km.
    pub fn cell_km(&self) -> f64 {
        CELL_KM.max(self.limit_km / MAX_HALF_CELLS as f64)
    }
}

/// km per degree of latitude, and of longitude at the equator.
const KM_PER_DEG_LAT: f64 = 110.574;
const KM_PER_DEG_LON: f64 = 111.320;

/// Raster steps, in hundredths of a cell: straight and diagonal.
const ORTH: u32 = 100;
const DIAG: u32 = 141;

/// The land raster around a port: cell (i, j) has its centre at grid
/// coordinates (i, j), the port at (half, half).
struct Grid {
    lon0: f64,
    lat0: f64,
    /// Cells per degree of longitude and of latitude.
    cx: f64,
    cy: f64,
    half: i32,
    side: usize,
    blocked: Vec<bool>,
    goal: Vec<bool>,
}

impl Grid {
    fn new(land: &Land, port: [f64; 2], s: &WaterSearch) -> Option<Self> {
        let cell = s.cell_km();
        let half = (s.limit_km / cell).ceil() as i32 + 1;
        let side = (2 * half + 1) as usize;
        let [lon0, lat0] = port;
        let cy = KM_PER_DEG_LAT / cell;
        let cx = KM_PER_DEG_LON * lat0.to_radians().cos() / cell;
        let (dlon, dlat) = (half as f64 / cx, half as f64 / cy);
        if lat0.abs() + dlat > 85.0 || lon0 - dlon < -180.0 || lon0 + dlon > 180.0 {
            return None;
        }
        let mut blocked = vec![false; side * side];
        // One cell less: the taut line from the port may clip a cell's
        // corner beyond the disc.
        let shore2 = (s.shore_km / cell - 1.0).max(0.0).powi(2);
        for j in 0..side {
            let lat = lat0 + (j as i32 - half) as f64 / cy;
            let row = land.row_on_land(lat, lon0 - dlon, 1.0 / cx, side);
            let dj = (j as i32 - half) as f64;
            for (i, on_land) in row.into_iter().enumerate() {
                let di = (i as i32 - half) as f64;
                blocked[j * side + i] = on_land && di * di + dj * dj > shore2;
            }
        }
        Some(Self {
            lon0,
            lat0,
            cx,
            cy,
            half,
            side,
            blocked,
            goal: vec![false; side * side],
        })
    }

    fn xy(&self, p: [f64; 2]) -> [f64; 2] {
        [
            (p[0] - self.lon0) * self.cx + self.half as f64,
            (p[1] - self.lat0) * self.cy + self.half as f64,
        ]
    }

    fn lon_lat(&self, g: [f64; 2]) -> [f64; 2] {
        [
            self.lon0 + (g[0] - self.half as f64) / self.cx,
            self.lat0 + (g[1] - self.half as f64) / self.cy,
        ]
    }

    /// The cell containing grid point `g`, if inside the raster.
    fn at(&self, g: [f64; 2]) -> Option<usize> {
        let (i, j) = (g[0].round(), g[1].round());
        let n = self.side as f64;
        (i >= 0.0 && j >= 0.0 && i < n && j < n).then(|| j as usize * self.side + i as usize)
    }

    fn open(&self, k: usize) -> bool {
        !self.blocked[k] || self.goal[k]
    }

    /// Whether the straight line from `a` to `b` (grid coordinates) runs
    /// through open cells only, sampled every quarter cell.
    fn clear(&self, a: [f64; 2], b: [f64; 2]) -> bool {
        let steps = ((b[0] - a[0]).hypot(b[1] - a[1]) * 4.0).ceil().max(1.0) as usize;
        (0..=steps).all(|s| {
            let t = s as f64 / steps as f64;
            let p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
            self.at(p).is_some_and(|k| self.open(k))
        })
    }

    /// Dijkstra from the port's cell to the nearest goal cell over open
    /// cells, up to `max` hundredths of a cell; the cells from the port.
    fn search(&self, max: u32) -> Option<Vec<usize>> {
        let side = self.side;
        let start = self.half as usize * side + self.half as usize;
        let mut dist = vec![u32::MAX; side * side];
        let mut prev = vec![u32::MAX; side * side];
        let mut heap = BinaryHeap::new();
        dist[start] = 0;
        heap.push(Reverse((0u32, start)));
        while let Some(Reverse((d, k))) = heap.pop() {
            if d > dist[k] {
                continue;
            }
            if self.goal[k] {
                let mut cells = vec![k];
                while let Some(&c) = cells.last().filter(|&&c| c != start) {
                    cells.push(prev[c] as usize);
                }
                cells.reverse();
                return Some(cells);
            }
            let (i, j) = ((k % side) as i32, (k / side) as i32);
            for (di, dj) in [
                (-1, -1),
                (0, -1),
                (1, -1),
                (-1, 0),
                (1, 0),
                (-1, 1),
                (0, 1),
                (1, 1),
            ] {
                let (ni, nj) = (i + di, j + dj);
                if ni < 0 || nj < 0 || ni >= side as i32 || nj >= side as i32 {
                    continue;
                }
                let nk = nj as usize * side + ni as usize;
                let nd = d + if di != 0 && dj != 0 { DIAG } else { ORTH };
                if nd <= max && nd < dist[nk] && self.open(nk) {
                    dist[nk] = nd;
                    prev[nk] = k as u32;
                    heap.push(Reverse((nd, nk)));
                }
            }
        }
        None
    }
}

/// Pulls a path taut: from each point, straight to the farthest following
/// point the straight line reaches through open cells.
fn taut(g: &Grid, pts: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out = vec![pts[0]];
    let mut i = 0;
    while i + 1 < pts.len() {
        let mut j = i + 1;
        while j + 1 < pts.len() && g.clear(pts[i], pts[j + 1]) {
            j += 1;
        }
        out.push(pts[j]);
        i = j;
    }
    out
}

/// The shortest path over water from `port` to a lane, `lanes` being
/// points along the lanes near the port (at most half a cell apart), and
/// `finish` the lane point a goal cell's centre joins. `None` when no
/// water path within the limit exists (or the raster is not searched).
pub fn water_path(
    land: &Land,
    port: [f64; 2],
    lanes: &[[f64; 2]],
    s: &WaterSearch,
    finish: impl FnOnce([f64; 2]) -> Option<[f64; 2]>,
) -> Option<WaterPath> {
    let mut g = Grid::new(land, port, s)?;
    for &p in lanes {
        if let Some(k) = g.at(g.xy(p)) {
            g.goal[k] = true;
        }
    }
    // Raster paths zigzag up to ~8 % longer than the taut one.
    let max = (s.limit_km / s.cell_km() * 1.1 * ORTH as f64).min(u32::MAX as f64 / 2.0) as u32;
    let cells = g.search(max)?;
    let side = g.side;
    let centre = |k: usize| [(k % side) as f64, (k / side) as f64];
    let end = finish(g.lon_lat(centre(*cells.last()?)))?;
    let mut pts: Vec<[f64; 2]> = vec![g.xy(port)];
    pts.extend(cells.iter().skip(1).map(|&k| centre(k)));
    pts.push(g.xy(end));
    let mut points: Vec<[f64; 2]> = taut(&g, &pts).iter().map(|&p| g.lon_lat(p)).collect();
    points[0] = port;
    *points.last_mut()? = end;
    let km = path_km(&points);
    (km <= s.limit_km).then_some(WaterPath { points, km })
}

/// Great-circle km along [lon, lat] points.
pub fn path_km(points: &[[f64; 2]]) -> f64 {
    points
        .windows(2)
        .map(|w| haversine_km(w[0][0], w[0][1], w[1][0], w[1][1]))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> LineString<f64> {
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
    }

    /// Points every 0.002° (~0.2 km) along the meridian `lon` from
    /// `lat0` to `lat1`: a lane for the raster.
    fn lane(lon: f64, lat0: f64, lat1: f64) -> Vec<[f64; 2]> {
        let n = ((lat1 - lat0) / 0.002) as usize;
        (0..=n)
            .map(|k| [lon, lat0 + (lat1 - lat0) * k as f64 / n as f64])
            .collect()
    }

    const SEARCH: WaterSearch = WaterSearch {
        limit_km: 100.0,
        shore_km: 5.0,
    };

    #[test]
    fn a_port_behind_a_wall_of_land_goes_round_its_end_by_the_shortest_way() {
        // A wall of land 0.2° (22 km) thick east of the port, from 1°
        // south to 0.2° north; the lane runs north–south 0.4° east. By
        // hand: port (0, 0) → the wall's north-west corner (0.1, 0.2) →
        // due east to the lane at (0.4, 0.2): 24.9 + 33.4 = 58.3 km.
        let land = Land::new([Polygon::new(rect(0.1, -1.0, 0.3, 0.2), vec![])]);
        let straight = 0.4 * KM_PER_DEG_LON;
        assert!(land.land_km([0.0, 0.0], [0.4, 0.0], straight) > 20.0);
        let w = water_path(&land, [0.0, 0.0], &lane(0.4, -1.0, 1.0), &SEARCH, |p| {
            Some([0.4, p[1]])
        })
        .unwrap();
        let by_hand = haversine_km(0.0, 0.0, 0.1, 0.2) + haversine_km(0.1, 0.2, 0.4, 0.2);
        assert!((by_hand - 58.3).abs() < 0.1, "{by_hand}");
        // The raster passes corners within a cell: at most ~1 km longer.
        assert!(
            w.km >= by_hand - 0.2 && w.km < by_hand + 1.5,
            "{} vs {by_hand}: {:?}",
            w.km,
            w.points
        );
        assert_eq!(w.points[0], [0.0, 0.0]);
        assert_eq!(w.points.last().unwrap()[0], 0.4);
        // Pulled taut: a few corners, not a cell per km.
        assert!(w.points.len() <= 6, "{:?}", w.points);
        // Over water: no segment crosses more than a cell's corner of land.
        for s in w.points.windows(2) {
            let km = haversine_km(s[0][0], s[0][1], s[1][0], s[1][1]);
            assert!(land.land_km(s[0], s[1], km) < 1.0, "{s:?}");
        }
    }

    #[test]
    fn a_port_in_a_closed_lagoon_has_no_water_path_and_the_limit_holds() {
        // A lagoon 0.4° wide inside land 0.3° thick all round.
        let land = Land::new([Polygon::new(
            rect(-0.5, -0.5, 0.5, 0.5),
            vec![rect(-0.2, -0.2, 0.2, 0.2)],
        )]);
        let lanes = lane(0.7, -1.0, 1.0);
        let finish = |p: [f64; 2]| Some([0.7, p[1]]);
        assert_eq!(water_path(&land, [0.0, 0.0], &lanes, &SEARCH, finish), None);
        // Open the lagoon by a channel 0.1° wide south: now a way out,
        // 0.5° down the channel and 0.65° east, about 128 km: beyond the
        // 100 km limit, within 250.
        let open = Land::new([Polygon::new(
            LineString::from(vec![
                (-0.5, -0.5),
                (-0.05, -0.5),
                (-0.05, -0.2),
                (-0.2, -0.2),
                (-0.2, 0.2),
                (0.2, 0.2),
                (0.2, -0.2),
                (0.05, -0.2),
                (0.05, -0.5),
                (0.5, -0.5),
                (0.5, 0.5),
                (-0.5, 0.5),
                (-0.5, -0.5),
            ]),
            vec![],
        )]);
        assert_eq!(water_path(&open, [0.0, 0.0], &lanes, &SEARCH, finish), None);
        let far = WaterSearch {
            limit_km: 250.0,
            ..SEARCH
        };
        let w = water_path(&open, [0.0, 0.0], &lanes, &far, finish).unwrap();
        assert!((120.0..250.0).contains(&w.km), "{w:?}");
        assert!(w.points.iter().any(|p| p[1] < -0.45), "{w:?}");
    }

    #[test]
    fn rows_of_the_raster_see_land_holes_and_shared_borders() {
        // Two countries side by side, a lake in the west one.
        let land = Land::new([
            Polygon::new(rect(0.0, 0.0, 1.0, 1.0), vec![rect(0.4, 0.4, 0.6, 0.6)]),
            Polygon::new(rect(1.0, 0.0, 2.0, 1.0), vec![]),
        ]);
        let row = land.row_on_land(0.5, -0.45, 0.1, 30);
        let lon = |k: usize| -0.45 + 0.1 * k as f64;
        for (k, on) in row.iter().enumerate() {
            assert_eq!(*on, land.contains(lon(k), 0.5), "{}", lon(k));
        }
        assert!(!row[4] && row[5] && !row[9] && !row[10] && row[11] && row[20] && !row[25]);
    }
}
