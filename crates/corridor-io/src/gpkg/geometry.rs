//! GeoPackage geometry blobs (OGC 12-128, clause 2.1.3 "GeoPackageBinary"):
//! the `GP` header with its SRS id and envelope, then the geometry as
//! ISO WKB, little-endian, 2D. Only what Corridor draws is encoded: points
//! (places, terminals, borders, transfers) and line strings (links, legs).
//! Reading blobs back is left to GDAL and to the tests.

/// A 2D geometry in (lon, lat) degrees.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Geometry {
    Point([f64; 2]),
    /// At least two positions (callers give `None` rather than a shorter line).
    LineString(Vec<[f64; 2]>),
}

/// `[min_x, max_x, min_y, max_y]`, the order of the blob's envelope and of
/// the R*Tree's columns.
pub(crate) type Envelope = [f64; 4];

/// WKB geometry type codes (ISO 13249-3 / OGC 06-103r4), 2D.
const WKB_POINT: u32 = 1;
const WKB_LINESTRING: u32 = 2;

/// Header flags: bit 0 little-endian, bits 1–3 the envelope kind
/// (0 none, 1 `[minx, maxx, miny, maxy]`); standard (not extended) binary,
/// not empty.
const FLAGS_NO_ENVELOPE: u8 = 0b0000_0001;
const FLAGS_XY_ENVELOPE: u8 = 0b0000_0011;

impl Geometry {
    /// The bounding box of the positions.
    pub(crate) fn envelope(&self) -> Envelope {
        match self {
            Geometry::Point([x, y]) => [*x, *x, *y, *y],
            Geometry::LineString(points) => points.iter().fold(
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
            Geometry::LineString(_) => "LINESTRING",
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
            Geometry::LineString(_) => out.push(FLAGS_XY_ENVELOPE),
        }
        out.extend_from_slice(&srs_id.to_le_bytes());
        if let Geometry::LineString(_) = self {
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
            Geometry::LineString(points) => {
                out.extend_from_slice(&WKB_LINESTRING.to_le_bytes());
                let n = u32::try_from(points.len()).unwrap_or(u32::MAX);
                out.extend_from_slice(&n.to_le_bytes());
                for [x, y] in points.iter().take(n as usize) {
                    out.extend_from_slice(&x.to_le_bytes());
                    out.extend_from_slice(&y.to_le_bytes());
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

    #[test]
    fn a_line_carries_its_envelope_in_x_then_y_order() {
        let mut b = Vec::new();
        let line = Geometry::LineString(vec![[2.0, 5.0], [1.0, 7.0], [3.0, 6.0]]);
        assert_eq!(line.envelope(), [1.0, 3.0, 5.0, 7.0]);
        line.write_blob(4326, &mut b);
        assert_eq!(&b[..4], &[b'G', b'P', 0, 3]);
        let env: Vec<f64> = b[8..40]
            .chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(env, [1.0, 3.0, 5.0, 7.0]);
        assert_eq!(b[40], 1);
        assert_eq!(u32::from_le_bytes(b[41..45].try_into().unwrap()), 2);
        assert_eq!(u32::from_le_bytes(b[45..49].try_into().unwrap()), 3);
        assert_eq!(b.len(), 49 + 3 * 16);
    }
}
