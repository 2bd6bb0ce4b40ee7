//! Plumbing shared by the open-data importers (`countries`, `ports`, `sea`):
//! the [`Error::Import`] constructor for one file, the feature list of a
//! GeoJSON FeatureCollection and column lookup in a headed CSV. The
//! importers keep their own field rules; this module knows no field names.

use crate::Error;
use serde_json::Value;

/// Builds `Error::Import` values that name `file`; `at` is the record
/// ("feature 12", "line 40") or empty for whole-file problems.
pub(crate) fn import_error(file: &str) -> impl Fn(String, String) -> Error + '_ {
    move |at, message| Error::Import {
        file: file.to_string(),
        at,
        message,
    }
}

/// The whole of `path` as text; its display form names it in errors.
pub(crate) fn read_text(path: &std::path::Path) -> crate::Result<(String, String)> {
    let file = path.display().to_string();
    match crate::error::read_utf8(path) {
        Ok(text) => Ok((text, file)),
        Err(crate::Error::Io { os, .. }) => Err(import_error(&file)(String::new(), os.to_string())),
        Err(e) => Err(e),
    }
}

/// The `features` array of a GeoJSON FeatureCollection.
pub(crate) fn geojson_features(text: &str, file: &str) -> crate::Result<Vec<Value>> {
    let err = import_error(file);
    let mut v: Value = serde_json::from_str(text).map_err(|e| err(String::new(), e.to_string()))?;
    match v.get_mut("features").map(Value::take) {
        Some(Value::Array(features)) => Ok(features),
        _ => Err(err(String::new(), "not a GeoJSON FeatureCollection".into())),
    }
}

/// A headed CSV reader over `text` (a UTF-8 byte-order mark is dropped)
/// and its header row.
pub(crate) fn csv_with_headers<'t>(
    text: &'t str,
    file: &str,
) -> crate::Result<(csv::Reader<&'t [u8]>, csv::StringRecord)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| import_error(file)("line 1".into(), e.to_string()))?
        .clone();
    Ok((rdr, headers))
}

/// The data rows of `rdr` with their line numbers; a malformed row is an
/// error naming its line.
pub(crate) fn records<'r>(
    rdr: &'r mut csv::Reader<&[u8]>,
    file: &'r str,
) -> impl Iterator<Item = crate::Result<(u64, csv::StringRecord)>> + 'r {
    rdr.records().map(move |rec| match rec {
        Ok(rec) => Ok((rec.position().map_or(0, |p| p.line()), rec)),
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Err(import_error(file)(format!("line {line}"), e.to_string()))
        }
    })
}

/// A position in WGS84 degrees: finite, latitude within ±90 and longitude
/// within ±180. Out of range is a corrupt record, which would otherwise
/// become a node that snapping and distances get wrong; the message names
/// the bad value.
pub(crate) fn check_lon_lat(lon: f64, lat: f64) -> Result<(), String> {
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is out of range (-90 to 90)"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is out of range (-180 to 180)"));
    }
    Ok(())
}

/// Position of the column `name` (surrounding blanks ignored).
pub(crate) fn column(headers: &csv::StringRecord, name: &str, file: &str) -> crate::Result<usize> {
    headers
        .iter()
        .position(|h| h.trim() == name)
        .ok_or_else(|| import_error(file)("line 1".into(), format!("missing column \"{name}\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_of_a_collection_and_errors_otherwise() {
        let f = geojson_features(
            r#"{"type":"FeatureCollection","features":[{},{}]}"#,
            "a.json",
        );
        assert_eq!(f.unwrap().len(), 2);
        let e = geojson_features(r#"{"type":"Feature"}"#, "b.json").unwrap_err();
        assert!(e.to_string().contains("b.json"), "{e}");
        assert!(e.to_string().contains("FeatureCollection"), "{e}");
        assert!(geojson_features("{", "c.json").is_err());
    }

    #[test]
    fn columns_are_found_by_trimmed_name_and_missing_ones_named() {
        let (_, h) = csv_with_headers("\u{feff}a, b ,c\n1,2,3\n", "p.csv").unwrap();
        assert_eq!(column(&h, "b", "p.csv").unwrap(), 1);
        let e = column(&h, "d", "p.csv").unwrap_err().to_string();
        assert!(e.contains("p.csv") && e.contains("\"d\""), "{e}");
    }
}
