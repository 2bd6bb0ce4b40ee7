//! Country polygons (Natural Earth admin-0, keyed on `ADM0_A3`) and the
//! point-in-country lookup the OSM importer uses to find where a link
//! changes country.
//!
//! It reads the GeoJSON layer and answers "which country is this point in";
//! it does not decide what a border crossing costs (that is the importer's
//! configuration) and it knows nothing of links. The repository ships a
//! small European layer in `data/natural_earth/` which is compiled into the
//! library, so imports work without any file at hand.

use crate::open_data::{geojson_features, import_error, read_text};
use geo::{BoundingRect, Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use rstar::{AABB, RTree, RTreeObject};
use std::path::Path;

/// The shipped layer: Natural Earth 1:50m admin-0 countries of Europe and
/// its neighbours, public domain (see `data/natural_earth/README.md`).
pub const SHIPPED_EUROPE: &str =
    include_str!("../../../data/natural_earth/ne_50m_admin_0_countries_europe.geojson");

/// One country's outline.
#[derive(Clone, Debug)]
pub struct Country {
    /// Natural Earth `ADM0_A3` (FRA, MCO, …). Not `ISO_A3`: that is "-99"
    /// for France and Norway in the 4.0.0 layer.
    pub code: String,
    pub name: String,
    pub shape: MultiPolygon<f64>,
}

struct Entry {
    index: usize,
    bbox: AABB<[f64; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.bbox
    }
}

/// Countries with an R-tree over their bounding boxes, so a lookup tests
/// the polygons of the one or two countries whose box holds the point.
pub struct CountryIndex {
    countries: Vec<Country>,
    tree: RTree<Entry>,
}

impl std::fmt::Debug for CountryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CountryIndex({} countries)", self.countries.len())
    }
}

impl CountryIndex {
    /// The layer compiled into the library.
    pub fn shipped() -> Self {
        Self::from_geojson_str(SHIPPED_EUROPE, "data/natural_earth (shipped)")
            .expect("the shipped country layer is valid GeoJSON")
    }

    /// Reads a Natural Earth admin-0 GeoJSON file.
    pub fn from_path(path: &Path) -> crate::Result<Self> {
        let (text, file) = read_text(path)?;
        Self::from_geojson_str(&text, &file)
    }

    /// Parses a FeatureCollection of Polygon/MultiPolygon features with an
    /// `ADM0_A3` (or `adm0_a3`) property; `file` names it in errors.
    pub fn from_geojson_str(text: &str, file: &str) -> crate::Result<Self> {
        let err = import_error(file);
        let features = geojson_features(text, file)?;
        let mut countries = Vec::new();
        for (i, f) in features.iter().enumerate() {
            let at = format!("feature {}", i + 1);
            let props = f.get("properties");
            let prop = |k: &str| {
                props
                    .and_then(|p| p.get(k).or_else(|| p.get(k.to_ascii_lowercase().as_str())))
                    .and_then(|x| x.as_str())
                    .map(str::to_string)
            };
            let Some(code) = prop("ADM0_A3") else {
                return Err(err(at, "ADM0_A3: missing".into()));
            };
            let name = prop("NAME").unwrap_or_else(|| code.clone());
            let geom = f
                .get("geometry")
                .ok_or_else(|| err(at.clone(), "geometry: missing".into()))?;
            let coords = geom.get("coordinates");
            let shape = match (geom.get("type").and_then(|t| t.as_str()), coords) {
                (Some("Polygon"), Some(c)) => MultiPolygon(vec![
                    polygon(c).map_err(|m| err(at.clone(), format!("geometry: {m}")))?,
                ]),
                (Some("MultiPolygon"), Some(serde_json::Value::Array(ps))) => MultiPolygon(
                    ps.iter()
                        .map(polygon)
                        .collect::<Result<_, _>>()
                        .map_err(|m| err(at.clone(), format!("geometry: {m}")))?,
                ),
                (t, _) => {
                    return Err(err(
                        at,
                        format!("geometry: expected Polygon or MultiPolygon, found {t:?}"),
                    ));
                }
            };
            countries.push(Country { code, name, shape });
        }
        let entries = countries
            .iter()
            .enumerate()
            .filter_map(|(index, c)| {
                c.shape.bounding_rect().map(|r| Entry {
                    index,
                    bbox: AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                })
            })
            .collect();
        Ok(Self {
            countries,
            tree: RTree::bulk_load(entries),
        })
    }

    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The `ADM0_A3` code of the country containing the point, if any
    /// (points at sea or outside the layer give `None`).
    pub fn country_at(&self, lon: f64, lat: f64) -> Option<&str> {
        let p = Point::new(lon, lat);
        let mut hits: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_point([lon, lat]))
            .map(|e| e.index)
            .collect();
        // Overlapping boxes come out of the tree in no fixed order; test
        // in file order so the answer on a shared edge is deterministic.
        hits.sort_unstable();
        hits.into_iter()
            .find(|&i| self.countries[i].shape.contains(&p))
            .map(|i| self.countries[i].code.as_str())
    }
}

fn ring(v: &serde_json::Value) -> Result<LineString<f64>, String> {
    let pts = v.as_array().ok_or("ring is not an array")?;
    pts.iter()
        .map(|p| match p.as_array().map(|a| a.as_slice()) {
            Some([x, y, ..]) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => Ok(Coord { x, y }),
                _ => Err("position is not numbers".to_string()),
            },
            _ => Err("position is not [lon, lat]".to_string()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(LineString)
}

fn polygon(v: &serde_json::Value) -> Result<Polygon<f64>, String> {
    let rings = v.as_array().ok_or("polygon is not an array of rings")?;
    let mut it = rings.iter();
    let outer = ring(it.next().ok_or("polygon has no ring")?)?;
    let holes = it.map(ring).collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon::new(outer, holes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_layer_places_known_cities() {
        let c = CountryIndex::shipped();
        assert_eq!(c.country_at(2.35, 48.86), Some("FRA")); // Paris
        assert_eq!(c.country_at(13.40, 52.52), Some("DEU")); // Berlin
        assert_eq!(c.country_at(24.94, 60.17), Some("FIN")); // Helsinki
        assert_eq!(c.country_at(15.61, 48.41), Some("AUT")); // Krems
        assert_eq!(c.country_at(-30.0, 40.0), None); // Atlantic
    }

    #[test]
    fn bad_layer_names_the_feature() {
        let e = CountryIndex::from_geojson_str(
            r#"{"type":"FeatureCollection","features":[{"properties":{"NAME":"x"},"geometry":null}]}"#,
            "c.geojson",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("c.geojson") && e.contains("feature 1") && e.contains("ADM0_A3"),
            "{e}"
        );
    }
}
