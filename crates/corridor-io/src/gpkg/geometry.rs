//! GeoPackage geometry blobs (OGC 12-128, clause 2.1.3 "GeoPackageBinary"):
//! the `GP` header with its SRS id and envelope, then the geometry as
//! ISO WKB, little-endian, 2D. Only what Corridor draws is encoded: points
//! (places, terminals, borders, transfers) and multi line strings (links,
//! legs, itineraries). Every line is a MultiLineString cut at the ±180°
//! meridian by the same function as the GeoJSON maps
//! ([`crate::geojson_out::split_at_antimeridian`]): one part when it does
//! not cross, so a line layer holds one geometry type, as
//! `gpkg_geometry_columns` declares it. Reading blobs back is left to GDAL
//! and to the tests.

use crate::geojson_out::split_at_antimeridian;

/// A 2D geometry in (lon, lat) degrees.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Geometry {
    Point([f64; 2]),
    /// At least one part, each of at least two positions, none with a step
    /// across the ±180° meridian (build it with [`Geometry::line`]).
    MultiLineString(Vec<Vec<[f64; 2]>>),
}

/// `[min_x, max_x, min_y, max_y]`, the order of the blob's envelope and of
/// the R*Tree's columns.
pub(crate) type Envelope = [f64; 4];

/// WKB geometry type codes (ISO 13249-3 / OGC 06-103r4), 2D.
const WKB_POINT: u32 = 1;
const WKB_LINESTRING: u32 = 2;
const WKB_MULTILINESTRING: u32 = 5;

/// Header flags: bit 0 little-endian, bits 1–3 the envelope kind
/// (0 none, 1 `[minx, maxx, miny, maxy]`); standard (not extended) binary,
/// not empty.
const FLAGS_NO_ENVELOPE: u8 = 0b0000_0001;
const FLAGS_XY_ENVELOPE: u8 = 0b0000_0011;

/// Appends `n` as the u32 count WKB gives, saturating (no part or line
/// Corridor writes has 2³² positions).
fn push_count(n: usize, out: &mut Vec<u8>) -> usize {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    out.extend_from_slice(&n.to_le_bytes());
    n as usize
}

impl Geometry {
    /// A line as the layers store it: split at the ±180° meridian into
    /// parts; `None` for fewer than two positions (nothing to draw).
    pub(crate) fn line(points: &[[f64; 2]]) -> Option<Geometry> {
        let parts = split_at_antimeridian(points);
        (!parts.is_empty()).then_some(Geometry::MultiLineString(parts))
    }

    /// The bounding box of the positions (of every part: a line split at
    /// the meridian spans both ends of the map, as its parts do).
    pub(crate) fn envelope(&self) -> Envelope {
        match self {
            Geometry::Point([x, y]) => [*x, *x, *y, *y],
            Geometry::MultiLineString(parts) => parts.iter().flatten().fold(
                [
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                ],
                |[a, b, c, d], [x, y]| [a.min(*x), b.max(*x), c.min(*y), d.max(*y)],
            ),
        }
    }

    /// The `geometry_type_name` a layer of these declares.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Geometry::Point(_) => "POINT",
            Geometry::MultiLineString(_) => "MULTILINESTRING",
        }
    }

    /// Writes the GeoPackage blob into `out` (cleared first, so one buffer
    /// serves a whole layer). Points carry no envelope, as the standard
    /// allows and GDAL does: it would only repeat the point.
    pub(crate) fn write_blob(&self, srs_id: i32, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(b"GP");
        out.push(0); // version 1 of the binary format
        match self {
            Geometry::Point(_) => out.push(FLAGS_NO_ENVELOPE),
            Geometry::MultiLineString(_) => out.push(FLAGS_XY_ENVELOPE),
        }
        out.extend_from_slice(&srs_id.to_le_bytes());
        if let Geometry::MultiLineString(_) = self {
            for v in self.envelope() {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.push(1); // WKB byte order: little-endian
        match self {
            Geometry::Point([x, y]) => {
                out.extend_from_slice(&WKB_POINT.to_le_bytes());
                out.extend_from_slice(&x.to_le_bytes());
                out.extend_from_slice(&y.to_le_bytes());
            }
            Geometry::MultiLineString(parts) => {
                out.extend_from_slice(&WKB_MULTILINESTRING.to_le_bytes());
                let n = push_count(parts.len(), out);
                for points in parts.iter().take(n) {
                    // Each part is a whole WKB LineString, byte order first.
                    out.push(1);
                    out.extend_from_slice(&WKB_LINESTRING.to_le_bytes());
                    let m = push_count(points.len(), out);
                    for [x, y] in points.iter().take(m) {
                        out.extend_from_slice(&x.to_le_bytes());
                        out.extend_from_slice(&y.to_le_bytes());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_header_srs_then_wkb() {
        let mut b = Vec::new();
        Geometry::Point([30.5, 46.5]).write_blob(4326, &mut b);
        let mut want = vec![b'G', b'P', 0, 1];
        want.extend_from_slice(&4326i32.to_le_bytes());
        want.push(1);
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(&30.5f64.to_le_bytes());
        want.extend_from_slice(&46.5f64.to_le_bytes());
        assert_eq!(b, want);
        assert_eq!(b.len(), 8 + 21);
    }

    fn f64s(b: &[u8]) -> Vec<f64> {
        b.chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn a_line_is_one_part_and_carries_its_envelope_in_x_then_y_order() {
        let mut b = Vec::new();
        let line = Geometry::line(&[[2.0, 5.0], [1.0, 7.0], [3.0, 6.0]]).unwrap();
        assert_eq!(line.type_name(), "MULTILINESTRING");
        assert_eq!(line.envelope(), [1.0, 3.0, 5.0, 7.0]);
        line.write_blob(4326, &mut b);
        assert_eq!(&b[..4], &[b'G', b'P', 0, 3]);
        assert_eq!(f64s(&b[8..40]), [1.0, 3.0, 5.0, 7.0]);
        // MultiLineString of one LineString of three positions.
        assert_eq!(b[40], 1);
        assert_eq!(u32_at(&b, 41), 5);
        assert_eq!(u32_at(&b, 45), 1);
        assert_eq!(b[49], 1);
        assert_eq!(u32_at(&b, 50), 2);
        assert_eq!(u32_at(&b, 54), 3);
        assert_eq!(f64s(&b[58..]), [2.0, 5.0, 1.0, 7.0, 3.0, 6.0]);
    }

    #[test]
    fn a_line_across_the_antimeridian_is_two_parts_within_the_map() {
        let mut b = Vec::new();
        // 170°E to 170°W: crosses +180 half way, at latitude 15.
        let line = Geometry::line(&[[170.0, 10.0], [-170.0, 20.0]]).unwrap();
        assert_eq!(line.envelope(), [-180.0, 180.0, 10.0, 20.0]);
        line.write_blob(4326, &mut b);
        assert_eq!(f64s(&b[8..40]), [-180.0, 180.0, 10.0, 20.0]);
        assert_eq!(u32_at(&b, 41), 5);
        assert_eq!(u32_at(&b, 45), 2);
        let first = 49;
        assert_eq!(
            (b[first], u32_at(&b, first + 1), u32_at(&b, first + 5)),
            (1, 2, 2)
        );
        assert_eq!(f64s(&b[first + 9..first + 41]), [170.0, 10.0, 180.0, 15.0]);
        let second = first + 41;
        assert_eq!(
            (b[second], u32_at(&b, second + 1), u32_at(&b, second + 5)),
            (1, 2, 2)
        );
        assert_eq!(f64s(&b[second + 9..]), [-180.0, 15.0, -170.0, 20.0]);
    }

    #[test]
    fn fewer_than_two_positions_are_no_line() {
        assert_eq!(Geometry::line(&[]), None);
        assert_eq!(Geometry::line(&[[1.0, 2.0]]), None);
    }
}
