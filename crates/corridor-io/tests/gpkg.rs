//! The GeoPackage writer checked without GDAL: the file is reopened with
//! SQLite and its metadata tables are held to the OGC standard (12-128,
//! version 1.3): header fields, the three required spatial reference
//! systems, contents with extents, geometry columns, the R*Tree index and
//! its extension row; a line and a point blob are compared byte for byte
//! with blobs built here from the standard's layout.

use corridor_io::gpkg;
use corridor_model::Network;
use corridor_model::results::{Bottleneck, CapacityReport, ElementFlow};
use rusqlite::{Connection, OpenFlags};

/// `gauge_break` with the road link `d1` drawn as a bent line.
fn network() -> Network {
    let mut net = corridor_fixtures::networks::gauge_break();
    let d1 = net.link_id("d1").unwrap();
    net.links[d1.index()].geometry = vec![[24.0, 50.0], [23.8, 50.2], [23.5, 50.0]];
    net.links[d1.index()].tags = vec!["e40".into(), "a \"quoted\" tag".into()];
    net
}

/// The bytes written to a file and opened read-only.
fn open(bytes: &[u8]) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.gpkg");
    std::fs::write(&path, bytes).unwrap();
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    (dir, conn)
}

fn strings(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
        r.get(0)
    })
    .unwrap()
}

/// A GeoPackage blob from the standard's layout (clause 2.1.3): magic,
/// version 0, flags (little-endian; envelope kind 1 for lines, none for
/// points), SRS id, envelope `[minx, maxx, miny, maxy]`, then ISO WKB: a
/// Point, or for a line that does not cross ±180° a one-part
/// MultiLineString.
fn blob(points: &[[f64; 2]]) -> Vec<u8> {
    let mut b = b"GP\x00".to_vec();
    let line = points.len() > 1;
    b.push(if line { 0x03 } else { 0x01 });
    b.extend(4326i32.to_le_bytes());
    if line {
        let xs = points.iter().map(|p| p[0]);
        let ys = points.iter().map(|p| p[1]);
        for v in [
            xs.clone().fold(f64::MAX, f64::min),
            xs.fold(f64::MIN, f64::max),
            ys.clone().fold(f64::MAX, f64::min),
            ys.fold(f64::MIN, f64::max),
        ] {
            b.extend(v.to_le_bytes());
        }
    }
    b.push(1);
    if line {
        // A MultiLineString (5) of one LineString (2), each WKB geometry
        // with its own byte order.
        b.extend(5u32.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        b.push(1);
        b.extend(2u32.to_le_bytes());
        b.extend((points.len() as u32).to_le_bytes());
    } else {
        b.extend(1u32.to_le_bytes());
    }
    for [x, y] in points {
        b.extend(x.to_le_bytes());
        b.extend(y.to_le_bytes());
    }
    b
}

#[test]
fn the_header_says_geopackage_1_3() {
    let bytes = gpkg::network(&network()).unwrap();
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    // application_id at offset 68, user_version at 60, both big-endian.
    assert_eq!(&bytes[68..72], b"GPKG");
    assert_eq!(&bytes[60..64], &10300u32.to_be_bytes());
    let (_dir, conn) = open(&bytes);
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let broken: Vec<String> = strings(&conn, "PRAGMA foreign_key_check");
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn the_metadata_tables_describe_four_layers_in_wgs84() {
    let net = network();
    let (_dir, conn) = open(&gpkg::network(&net).unwrap());
    let srs: Vec<(i64, String, i64)> = conn
        .prepare("SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        srs,
        [
            (-1, "NONE".to_string(), -1),
            (0, "NONE".to_string(), 0),
            (4326, "EPSG".to_string(), 4326)
        ]
    );
    let contents = strings(
        &conn,
        "SELECT table_name || ' ' || data_type || ' ' || identifier || ' ' || srs_id FROM gpkg_contents ORDER BY rowid",
    );
    assert_eq!(
        contents,
        [
            "nodes features nodes 4326",
            "links features links 4326",
            "terminals features terminals 4326",
            "borders features borders 4326",
        ]
    );
    let extent: (f64, f64, f64, f64) = conn
        .query_row(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'links'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(extent, (22.0, 50.0, 24.0, 50.2));
    let stamp = strings(&conn, "SELECT last_change FROM gpkg_contents");
    for s in stamp {
        assert_eq!(s.len(), "2026-01-01T00:00:00.000Z".len(), "{s}");
        assert!(s.ends_with('Z') && &s[10..11] == "T", "{s}");
    }
    let columns = strings(
        &conn,
        "SELECT table_name || '.' || column_name || ' ' || geometry_type_name || ' ' || srs_id || ' ' || z || m FROM gpkg_geometry_columns ORDER BY rowid",
    );
    assert_eq!(
        columns,
        [
            "nodes.geom POINT 4326 00",
            "links.geom MULTILINESTRING 4326 00",
            "terminals.geom POINT 4326 00",
            "borders.geom POINT 4326 00",
        ]
    );
    let rtree = strings(
        &conn,
        "SELECT table_name || ' ' || scope FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' ORDER BY rowid",
    );
    assert_eq!(
        rtree,
        [
            "nodes write-only",
            "links write-only",
            "terminals write-only",
            "borders write-only"
        ]
    );
    for (table, n) in [
        ("nodes", net.nodes.len()),
        ("links", net.links.len()),
        ("terminals", net.terminals.len()),
        ("borders", net.borders.len()),
    ] {
        assert_eq!(count(&conn, table), n as i64, "{table}");
        assert_eq!(
            count(&conn, &format!("rtree_{table}_geom")),
            n as i64,
            "{table}"
        );
    }
    let json = strings(
        &conn,
        "SELECT column_name FROM gpkg_data_columns WHERE table_name = 'links' AND mime_type = 'application/json' ORDER BY rowid",
    );
    assert_eq!(json, ["allow", "ban", "tags"]);
}

#[test]
fn geometries_are_standard_blobs_byte_for_byte() {
    let net = network();
    let (_dir, conn) = open(&gpkg::network(&net).unwrap());
    let geom = |table: &str, id: &str| -> Vec<u8> {
        conn.query_row(
            &format!("SELECT geom FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(
        geom("links", "d1"),
        blob(&[[24.0, 50.0], [23.8, 50.2], [23.5, 50.0]])
    );
    // Without a geometry of its own a link is the straight line between its nodes.
    assert_eq!(geom("links", "r2"), blob(&[[23.5, 50.0], [22.0, 50.0]]));
    assert_eq!(geom("nodes", "west"), blob(&[[22.0, 50.0]]));
    assert_eq!(geom("borders", "ua-pl"), blob(&[[23.5, 50.0]]));
    // The index holds the line's box (R*Tree stores 32-bit floats, rounded outwards).
    let b: (f64, f64, f64, f64) = conn
        .query_row(
            "SELECT minx, maxx, miny, maxy FROM rtree_links_geom WHERE id = (SELECT fid FROM links WHERE id = 'd1')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(
        b.0 <= 23.5 && b.1 >= 24.0 && b.2 <= 50.0 && b.3 >= 50.2,
        "{b:?}"
    );
    assert!(b.1 - b.0 < 0.5 + 1e-5 && b.3 - b.2 < 0.2 + 1e-5, "{b:?}");
}

#[test]
fn attributes_are_typed_and_in_network_order() {
    let net = network();
    let (_dir, conn) = open(&gpkg::network(&net).unwrap());
    let ids = strings(&conn, "SELECT id FROM links ORDER BY fid");
    let expected: Vec<&str> = net.links.iter().map(|l| l.source_id.as_str()).collect();
    assert_eq!(ids, expected);
    let (gauge, open, length, tags): (Option<i64>, i64, f64, String) = conn
        .query_row(
            "SELECT gauge, open, length_km, tags FROM links WHERE id = 'd1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((gauge, open, length), (None, 1, 90.0));
    let tags: Vec<String> = serde_json::from_str(&tags).unwrap();
    assert_eq!(tags, ["e40", "a \"quoted\" tag"]);
    let gauge: i64 = conn
        .query_row("SELECT gauge FROM links WHERE id = 'r1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(gauge, 1520);
    let types = strings(
        &conn,
        "SELECT name || ' ' || type FROM pragma_table_info('borders') ORDER BY cid",
    );
    assert_eq!(
        &types[..6],
        [
            "fid INTEGER",
            "geom POINT",
            "id TEXT",
            "name TEXT",
            "node TEXT",
            "country_a TEXT"
        ]
    );
    assert!(types.contains(&"open BOOLEAN".to_string()), "{types:?}");
    assert!(types.contains(&"fee_per_t REAL".to_string()), "{types:?}");
}

#[test]
fn result_tables_without_geometry_are_attribute_tables() {
    let net = network();
    let report = CapacityReport {
        from: vec!["east".into()],
        to: vec!["west".into()],
        commodity: "grain".into(),
        minimize: "cost".into(),
        max_flow: 100.0,
        unit: "t/day".into(),
        max_flow_mt_per_year: None,
        bottlenecks: vec![Bottleneck {
            kind: "border".into(),
            id: "ua-pl".into(),
            name: "ua-pl".into(),
            capacity: 100.0,
            share: 1.0,
        }],
        elements: vec![ElementFlow {
            kind: "link".into(),
            id: "r1".into(),
            name: "r1".into(),
            flow: 100.0,
            capacity: None,
            utilisation: None,
        }],
        cost_per_unit: 12.5,
        exact: true,
        upper_bound: None,
        notes: Vec::new(),
    };
    let (_dir, conn) = open(&gpkg::capacity(&report, &net).unwrap());
    let kinds = strings(
        &conn,
        "SELECT table_name || ' ' || data_type || ' ' || ifnull(srs_id, 'null') FROM gpkg_contents ORDER BY rowid",
    );
    assert_eq!(
        kinds,
        [
            "links features 4326",
            "terminals features 4326",
            "borders features 4326",
            "nodes features 4326",
            "bottlenecks attributes null",
            "summary attributes null",
        ]
    );
    assert_eq!(count(&conn, "gpkg_geometry_columns"), 4);
    assert_eq!(count(&conn, "links"), 1);
    // The border is drawn because it is in the cut, though it carries nothing.
    let (flow, cut, share): (f64, i64, f64) = conn
        .query_row(
            "SELECT flow, bottleneck, share_of_cut FROM borders WHERE id = 'ua-pl'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((flow, cut, share), (0.0, 1, 1.0));
    let geom: Vec<u8> = conn
        .query_row("SELECT geom FROM links WHERE id = 'r1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(geom, blob(&[[24.0, 50.0], [23.5, 50.0]]));
    let (max_flow, exact): (f64, i64) = conn
        .query_row("SELECT max_flow, exact FROM summary", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((max_flow, exact), (100.0, 1));
}
