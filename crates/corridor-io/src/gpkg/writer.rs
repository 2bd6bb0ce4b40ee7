//! The GeoPackage container (OGC 12-128r18, version 1.3): an SQLite
//! database built in memory with the required metadata tables
//! (`gpkg_spatial_ref_sys` with WGS 84 and the two undefined systems,
//! `gpkg_contents`, `gpkg_geometry_columns`), `application_id` `GPKG`
//! and `user_version` 10300, one table per layer with typed columns, an
//! R*Tree spatial index per feature layer (extension `gpkg_rtree_index`)
//! and column descriptions with JSON lists marked as such
//! (`gpkg_data_columns`, extension `gpkg_schema`). The finished database
//! is serialised to bytes, so the caller writes it atomically like any
//! other output. What goes into the layers is the business of the other
//! files of this module.

use super::geometry::{Envelope, Geometry};
use crate::{Error, Result};
use rusqlite::types::Value;
use rusqlite::{Connection, MAIN_DB, params};

/// `GPKG` as the big-endian integer the SQLite header holds.
const APPLICATION_ID: i32 = 0x4750_4B47;
/// GeoPackage 1.3.0 (`MMmmPP`). 1.3 rather than 1.4: GDAL before 3.8
/// warns about a version newer than it knows, and nothing here needs 1.4.
const USER_VERSION: i32 = 10300;
/// Every geometry is WGS 84 longitude/latitude.
pub(crate) const SRS_ID: i32 = 4326;
const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

/// The metadata tables, as the standard defines them (its Annex C).
const SCHEMA: &str = r#"
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
CREATE TABLE gpkg_data_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  name TEXT,
  title TEXT,
  description TEXT,
  mime_type TEXT,
  constraint_name TEXT,
  CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
  CONSTRAINT gdc_tn UNIQUE (table_name, name)
);
CREATE TABLE gpkg_data_column_constraints (
  constraint_name TEXT NOT NULL,
  constraint_type TEXT NOT NULL,
  value TEXT,
  min NUMERIC,
  min_is_inclusive BOOLEAN,
  max NUMERIC,
  max_is_inclusive BOOLEAN,
  description TEXT,
  CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value)
);
INSERT INTO gpkg_extensions VALUES
  ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write'),
  ('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write');
"#;

/// The R*Tree triggers of the `gpkg_rtree_index` extension (GeoPackage
/// 1.3, Annex F.3), with `<t>` the table, `<c>` the geometry column and
/// `<i>` the key. They keep the index right when a GIS edits the file;
/// they call GeoPackage SQL functions (`ST_IsEmpty`, `ST_MinX`, …) that
/// readers such as GDAL provide, so they are created after our rows are in.
const RTREE_TRIGGERS: &str = r#"
CREATE TRIGGER "rtree_<t>_<c>_insert" AFTER INSERT ON "<t>"
  WHEN (new."<c>" NOT NULL AND NOT ST_IsEmpty(NEW."<c>"))
BEGIN
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW."<i>", ST_MinX(NEW."<c>"), ST_MaxX(NEW."<c>"), ST_MinY(NEW."<c>"), ST_MaxY(NEW."<c>"));
END;
CREATE TRIGGER "rtree_<t>_<c>_update1" AFTER UPDATE OF "<c>" ON "<t>"
  WHEN OLD."<i>" = NEW."<i>" AND (NEW."<c>" NOTNULL AND NOT ST_IsEmpty(NEW."<c>"))
BEGIN
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW."<i>", ST_MinX(NEW."<c>"), ST_MaxX(NEW."<c>"), ST_MinY(NEW."<c>"), ST_MaxY(NEW."<c>"));
END;
CREATE TRIGGER "rtree_<t>_<c>_update2" AFTER UPDATE OF "<c>" ON "<t>"
  WHEN OLD."<i>" = NEW."<i>" AND (NEW."<c>" ISNULL OR ST_IsEmpty(NEW."<c>"))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD."<i>";
END;
CREATE TRIGGER "rtree_<t>_<c>_update3" AFTER UPDATE OF "<c>" ON "<t>"
  WHEN OLD."<i>" != NEW."<i>" AND (NEW."<c>" NOTNULL AND NOT ST_IsEmpty(NEW."<c>"))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD."<i>";
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW."<i>", ST_MinX(NEW."<c>"), ST_MaxX(NEW."<c>"), ST_MinY(NEW."<c>"), ST_MaxY(NEW."<c>"));
END;
CREATE TRIGGER "rtree_<t>_<c>_update4" AFTER UPDATE ON "<t>"
  WHEN OLD."<i>" != NEW."<i>" AND (NEW."<c>" ISNULL OR ST_IsEmpty(NEW."<c>"))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id IN (OLD."<i>", NEW."<i>");
END;
CREATE TRIGGER "rtree_<t>_<c>_delete" AFTER DELETE ON "<t>"
  WHEN old."<c>" NOT NULL
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD."<i>";
END;
"#;

/// The key column of every layer (GDAL's default name, so QGIS shows it
/// as the feature id) and the geometry column of feature layers.
const FID: &str = "fid";
const GEOM: &str = "geom";

/// A column's storage type as the GeoPackage names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 32-bit (`MEDIUMINT`), so GDAL reads an Integer rather than an
    /// Integer64; every count and index here fits.
    Integer,
    Real,
    Text,
    /// 0 or 1; GDAL shows it as a boolean field.
    Boolean,
    /// A JSON array as TEXT, marked `application/json` so GDAL reads it as
    /// a JSON string field.
    Json,
}

impl Kind {
    fn sql(self) -> &'static str {
        match self {
            Kind::Integer => "MEDIUMINT",
            Kind::Real => "REAL",
            Kind::Text | Kind::Json => "TEXT",
            Kind::Boolean => "BOOLEAN",
        }
    }
}

/// One attribute column: its name, type and what it holds (with its unit;
/// written to `gpkg_data_columns.description`).
#[derive(Clone, Debug)]
pub(crate) struct Column {
    pub name: String,
    pub kind: Kind,
    pub doc: String,
}

/// Shorthand for a column.
pub(crate) fn col(name: &str, kind: Kind, doc: &str) -> Column {
    Column {
        name: name.to_string(),
        kind,
        doc: doc.to_string(),
    }
}

/// What a layer's rows are drawn as; `Attributes` is a table without
/// geometry (totals, the cut, commodities).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Point,
    /// Lines, each a MultiLineString split at the ±180° meridian (one part
    /// when it does not cross).
    MultiLineString,
    Attributes,
}

/// A layer: a table, its `gpkg_contents` description and its columns.
#[derive(Clone, Debug)]
pub(crate) struct Layer {
    pub name: &'static str,
    pub description: String,
    pub shape: Shape,
    pub columns: Vec<Column>,
}

impl Layer {
    /// The `geometry_type_name` of a feature layer; `None` for an
    /// attribute table.
    fn geometry_type(&self) -> Option<&'static str> {
        match self.shape {
            Shape::Point => Some("POINT"),
            Shape::MultiLineString => Some("MULTILINESTRING"),
            Shape::Attributes => None,
        }
    }
}

/// The R*Tree of a layer's geometry column, named as the extension says.
fn rtree_name(table: &str) -> String {
    format!("rtree_{table}_{GEOM}")
}

/// A finite number, or NULL (SQLite would store NaN as NULL anyway; an
/// infinity would read as a number it is not).
pub(crate) fn real(x: f64) -> Value {
    if x.is_finite() {
        Value::Real(x)
    } else {
        Value::Null
    }
}

pub(crate) fn opt_real(x: Option<f64>) -> Value {
    x.map_or(Value::Null, real)
}

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

pub(crate) fn opt_text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text)
}

pub(crate) fn boolean(b: bool) -> Value {
    Value::Integer(i64::from(b))
}

pub(crate) fn int(i: usize) -> Value {
    Value::Integer(i64::try_from(i).unwrap_or(i64::MAX))
}

/// A list as a JSON array (`["a","b"]`).
pub(crate) fn json_list<S: AsRef<str>>(items: &[S]) -> Value {
    let v: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    Value::Text(serde_json::to_string(&v).unwrap_or_else(|_| "[]".into()))
}

/// `name` as an SQL identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sql_err(e: rusqlite::Error) -> Error {
    Error::Report(format!("cannot build the GeoPackage: {e}"))
}

/// When the contents last changed: `SOURCE_DATE_EPOCH` when set (the
/// reproducible-builds convention, so a rerun gives the same bytes), now
/// otherwise; seconds since 1970.
fn last_change_epoch() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
}

/// A GeoPackage being built in memory.
pub(crate) struct GeoPackage {
    conn: Connection,
    last_change: i64,
}

impl GeoPackage {
    /// An empty GeoPackage: header fields and the metadata tables.
    pub(crate) fn new() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(sql_err)?;
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {USER_VERSION};"
        ))
        .map_err(sql_err)?;
        conn.execute_batch("BEGIN;").map_err(sql_err)?;
        conn.execute_batch(SCHEMA).map_err(sql_err)?;
        let mut srs = conn
            .prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .map_err(sql_err)?;
        for (name, id, org, code, def, doc) in [
            (
                "Undefined cartesian SRS",
                -1,
                "NONE",
                -1,
                "undefined",
                "undefined cartesian coordinate reference system",
            ),
            (
                "Undefined geographic SRS",
                0,
                "NONE",
                0,
                "undefined",
                "undefined geographic coordinate reference system",
            ),
            (
                "WGS 84 geodetic",
                SRS_ID,
                "EPSG",
                SRS_ID,
                WGS84_WKT,
                "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
            ),
        ] {
            srs.execute(params![name, id, org, code, def, doc])
                .map_err(sql_err)?;
        }
        drop(srs);
        Ok(Self {
            conn,
            last_change: last_change_epoch(),
        })
    }

    /// Adds `layer` with `n` rows. `fill(i, row)` pushes row `i`'s values
    /// (one per column, in order) into the cleared `row` and returns its
    /// geometry (`None` for a row that cannot be drawn, or in an attribute
    /// table). Row `i` gets feature id `i + 1`, so ids follow the order of
    /// the result. Rows are streamed: one buffer serves the whole layer.
    pub(crate) fn add(
        &mut self,
        layer: &Layer,
        n: usize,
        fill: impl FnMut(usize, &mut Vec<Value>) -> Option<Geometry>,
    ) -> Result<()> {
        self.create(layer)?;
        let extent = self.insert(layer, n, fill)?;
        self.register(layer, extent)
    }

    /// The layer's table, and for features its (still empty) R*Tree.
    fn create(&self, layer: &Layer) -> Result<()> {
        let mut defs = vec![format!(
            "{} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
            quote(FID)
        )];
        if let Some(g) = layer.geometry_type() {
            defs.push(format!("{} {g}", quote(GEOM)));
        }
        defs.extend(
            layer
                .columns
                .iter()
                .map(|c| format!("{} {}", quote(&c.name), c.kind.sql())),
        );
        let mut sql = format!("CREATE TABLE {} ({});", quote(layer.name), defs.join(", "));
        if layer.geometry_type().is_some() {
            sql += &format!(
                "CREATE VIRTUAL TABLE {} USING rtree(id, minx, maxx, miny, maxy);",
                quote(&rtree_name(layer.name))
            );
        }
        self.conn.execute_batch(&sql).map_err(sql_err)
    }

    /// Writes the rows and their index entries; returns the extent of the
    /// geometries written.
    fn insert(
        &self,
        layer: &Layer,
        n: usize,
        mut fill: impl FnMut(usize, &mut Vec<Value>) -> Option<Geometry>,
    ) -> Result<Option<Envelope>> {
        let t = layer.name;
        let geom_type = layer.geometry_type();
        let mut names = vec![quote(FID)];
        if geom_type.is_some() {
            names.push(quote(GEOM));
        }
        names.extend(layer.columns.iter().map(|c| quote(&c.name)));
        let marks = vec!["?"; names.len()].join(", ");
        let mut insert = self
            .conn
            .prepare(&format!(
                "INSERT INTO {} ({}) VALUES ({marks})",
                quote(t),
                names.join(", ")
            ))
            .map_err(sql_err)?;
        let mut index = match geom_type {
            Some(_) => Some(
                self.conn
                    .prepare(&format!(
                        "INSERT INTO {} VALUES (?1, ?2, ?3, ?4, ?5)",
                        quote(&rtree_name(t))
                    ))
                    .map_err(sql_err)?,
            ),
            None => None,
        };
        let mut row = Vec::with_capacity(layer.columns.len());
        let mut blob = Vec::new();
        let mut extent: Option<Envelope> = None;
        for i in 0..n {
            row.clear();
            let geometry = fill(i, &mut row);
            debug_assert_eq!(row.len(), layer.columns.len(), "layer {t} row {i}");
            let fid = i as i64 + 1;
            insert.raw_bind_parameter(1, fid).map_err(sql_err)?;
            let mut at = 2;
            if let Some(index) = &mut index {
                match &geometry {
                    Some(g) => {
                        debug_assert_eq!(Some(g.type_name()), geom_type, "layer {t} row {i}");
                        g.write_blob(SRS_ID, &mut blob);
                        insert.raw_bind_parameter(at, &blob[..]).map_err(sql_err)?;
                        let e = g.envelope();
                        index
                            .execute(params![fid, e[0], e[1], e[2], e[3]])
                            .map_err(sql_err)?;
                        extent = Some(extent.map_or(e, |x| {
                            [
                                x[0].min(e[0]),
                                x[1].max(e[1]),
                                x[2].min(e[2]),
                                x[3].max(e[3]),
                            ]
                        }));
                    }
                    None => insert
                        .raw_bind_parameter(at, Value::Null)
                        .map_err(sql_err)?,
                }
                at += 1;
            }
            for (k, v) in row.iter().enumerate() {
                insert.raw_bind_parameter(at + k, v).map_err(sql_err)?;
            }
            insert.raw_execute().map_err(sql_err)?;
        }
        Ok(extent)
    }

    /// The layer's rows in the metadata tables (contents with its extent,
    /// column descriptions, geometry column), and the index's triggers and
    /// extension row.
    fn register(&self, layer: &Layer, extent: Option<Envelope>) -> Result<()> {
        let conn = &self.conn;
        let t = layer.name;
        let geom_type = layer.geometry_type();
        let [min_x, max_x, min_y, max_y] = match extent {
            Some(e) => e.map(Some),
            None => [None; 4],
        };
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
             VALUES (?1, ?2, ?1, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', ?4, 'unixepoch'), ?5, ?6, ?7, ?8, ?9)",
            params![
                t,
                if geom_type.is_some() { "features" } else { "attributes" },
                layer.description,
                self.last_change,
                min_x,
                min_y,
                max_x,
                max_y,
                geom_type.map(|_| SRS_ID),
            ],
        )
        .map_err(sql_err)?;
        let mut doc = conn
            .prepare("INSERT INTO gpkg_data_columns (table_name, column_name, name, description, mime_type) VALUES (?1, ?2, ?2, ?3, ?4)")
            .map_err(sql_err)?;
        for c in &layer.columns {
            let mime = (c.kind == Kind::Json).then_some("application/json");
            doc.execute(params![t, c.name, c.doc, mime])
                .map_err(sql_err)?;
        }
        let Some(geom_type) = geom_type else {
            return Ok(());
        };
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, ?3, ?4, 0, 0)",
            params![t, GEOM, geom_type, SRS_ID],
        )
        .map_err(sql_err)?;
        let triggers = RTREE_TRIGGERS
            .replace("<t>", &t.replace('"', "\"\""))
            .replace("<c>", GEOM)
            .replace("<i>", FID);
        conn.execute_batch(&triggers).map_err(sql_err)?;
        conn.execute(
            "INSERT INTO gpkg_extensions VALUES (?1, ?2, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
            params![t, GEOM],
        )
        .map_err(sql_err)?;
        Ok(())
    }

    /// The finished file's bytes.
    pub(crate) fn into_bytes(self) -> Result<Vec<u8>> {
        let mut conn = self.conn;
        conn.execute_batch("COMMIT;").map_err(sql_err)?;
        let data = conn.serialize(MAIN_DB).map_err(sql_err)?;
        Ok(data.to_vec())
    }
}
