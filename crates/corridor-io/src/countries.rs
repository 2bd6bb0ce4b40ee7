//! Country polygons (Natural Earth admin-0) named by their ISO 3166-1
//! alpha-2 code, the one country code system of Corridor (ports, OSM
//! imports, `--avoid`), and the point-in-country lookup the OSM importer
//! uses to find where a link changes country.
//!
//! It reads the GeoJSON layer and answers "which country is this point in";
//! it does not decide what a border crossing costs (that is the importer's
//! configuration) and it knows nothing of links. The repository ships a
//! world layer in `data/natural_earth/` which is compiled into the
//! library, so imports work without any file at hand.

use crate::open_data::{geojson_features, import_error, read_text};
use geo::{BoundingRect, Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use rstar::{AABB, RTree, RTreeObject};
use std::path::Path;

/// The shipped layer: Natural Earth 1:50m admin-0 countries of the world
/// (Europe and its neighbours at full 1:50m detail, the rest simplified to
/// about 1 km), public domain (see `data/natural_earth/README.md`).
pub const SHIPPED_WORLD: &str =
    include_str!("../../../data/natural_earth/ne_50m_admin_0_countries.geojson");

/// One country's outline.
#[derive(Clone, Debug)]
pub struct Country {
    /// ISO 3166-1 alpha-2 (FR, MC, …), as ports and users write countries;
    /// see [`alpha2`] for where it comes from. A territory without one
    /// (Northern Cyprus, Somaliland) keeps its 3-letter `ADM0_A3`.
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
        Self::from_geojson_str(SHIPPED_WORLD, "data/natural_earth (shipped)")
            .expect("the shipped country layer is valid GeoJSON")
    }

    /// Reads a Natural Earth admin-0 GeoJSON file.
    pub fn from_path(path: &Path) -> crate::Result<Self> {
        let (text, file) = read_text(path)?;
        Self::from_geojson_str(&text, &file)
    }

    /// Parses a FeatureCollection of Polygon/MultiPolygon features with an
    /// `ISO_A2` or `ADM0_A3` property (either case; see [`alpha2`]);
    /// `file` names it in errors.
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
            let adm0 = prop("ADM0_A3");
            let Some(code) = alpha2(
                prop("ISO_A2").as_deref(),
                prop("ISO_A2_EH").as_deref(),
                adm0.as_deref(),
            )
            .or(adm0) else {
                return Err(err(at, "ISO_A2 and ADM0_A3: missing".into()));
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

    /// The ISO 3166-1 alpha-2 code of the country containing the point, if
    /// any (points at sea or outside the layer give `None`).
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

    /// The country nearest the point within `within_deg` degrees (planar
    /// distance to its outline), other than those in `skip`; the point
    /// need not lie in any. For a point the layer puts in a country whose
    /// better outline says otherwise (`osm::build::node_countries`).
    pub fn nearest_other(
        &self,
        lon: f64,
        lat: f64,
        skip: &[&str],
        within_deg: f64,
    ) -> Option<&str> {
        use geo::{Distance, Euclidean};
        let p = Point::new(lon, lat);
        let area = AABB::from_corners(
            [lon - within_deg, lat - within_deg],
            [lon + within_deg, lat + within_deg],
        );
        let mut hits: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&area)
            .map(|e| e.index)
            .filter(|&i| !skip.contains(&self.countries[i].code.as_str()))
            .collect();
        hits.sort_unstable();
        // Only the outline's segments near the point: France's has
        // thousands, and the importer asks for each stray node.
        let near = |l: &geo::Line<f64>| {
            l.start.x.min(l.end.x) <= lon + within_deg
                && l.start.x.max(l.end.x) >= lon - within_deg
                && l.start.y.min(l.end.y) <= lat + within_deg
                && l.start.y.max(l.end.y) >= lat - within_deg
        };
        let distance = |shape: &MultiPolygon<f64>| {
            if shape.contains(&p) {
                return 0.0;
            }
            shape
                .iter()
                .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
                .flat_map(|ring| ring.lines())
                .filter(near)
                .map(|l| Euclidean.distance(&p, &l))
                .fold(f64::INFINITY, f64::min)
        };
        hits.into_iter()
            .map(|i| (distance(&self.countries[i].shape), i))
            .filter(|&(d, _)| d <= within_deg)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, i)| self.countries[i].code.as_str())
    }
}

/// Countries whose `ISO_A2` Natural Earth leaves as "-99" in some
/// versions (France and Norway in 4.0.0, for their overseas parts), and
/// Kosovo, whose code XK is user-assigned and absent from some layers;
/// keyed on `ADM0_A3`.
const ALPHA2_BY_ADM0_A3: [(&str, &str); 3] = [("FRA", "FR"), ("NOR", "NO"), ("KOS", "XK")];

/// The ISO 3166-1 alpha-2 code of a Natural Earth feature: `ISO_A2` when
/// it is one (two letters, not "-99"), else `ISO_A2_EH` (Natural Earth's
/// "except historical" column, which fills France and Norway from 5.0
/// on), else the table above by `ADM0_A3`; `None` when none gives one.
pub fn alpha2(
    iso_a2: Option<&str>,
    iso_a2_eh: Option<&str>,
    adm0_a3: Option<&str>,
) -> Option<String> {
    let valid = |c: &&str| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase());
    iso_a2
        .filter(valid)
        .or_else(|| iso_a2_eh.filter(valid))
        .or_else(|| {
            adm0_a3.and_then(|a| {
                ALPHA2_BY_ADM0_A3
                    .iter()
                    .find(|(k, _)| *k == a)
                    .map(|(_, v)| *v)
            })
        })
        .map(str::to_string)
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
        assert_eq!(c.country_at(2.35, 48.86), Some("FR")); // Paris
        assert_eq!(c.country_at(13.40, 52.52), Some("DE")); // Berlin
        assert_eq!(c.country_at(24.94, 60.17), Some("FI")); // Helsinki
        assert_eq!(c.country_at(15.61, 48.41), Some("AT")); // Krems
        assert_eq!(c.country_at(10.75, 59.91), Some("NO")); // Oslo
        assert_eq!(c.country_at(7.41, 43.755), Some("MC")); // Monaco (the 1:50m outline)
        assert_eq!(c.country_at(-30.0, 40.0), None); // Atlantic
    }

    #[test]
    fn shipped_layer_covers_the_world() {
        let c = CountryIndex::shipped();
        for (lon, lat, want) in [
            (139.69, 35.69, "JP"),  // Tokyo
            (28.05, -26.20, "ZA"),  // Johannesburg
            (121.47, 31.23, "CN"),  // Shanghai
            (-87.65, 41.85, "US"),  // Chicago
            (-46.63, -23.55, "BR"), // São Paulo
            (72.88, 19.08, "IN"),   // Mumbai
            (76.95, 43.24, "KZ"),   // Almaty
            (44.06, 9.56, "SO"),    // Hargeisa (Somaliland joins SO)
            (33.36, 35.19, "CY"),   // North Nicosia (N. Cyprus joins CY)
        ] {
            assert_eq!(c.country_at(lon, lat), Some(want), "{lon},{lat}");
        }
        assert!(c.countries().len() > 230);
    }

    #[test]
    fn every_shipped_country_has_an_alpha2_code() {
        let c = CountryIndex::shipped();
        let mut codes: Vec<&str> = c.countries().iter().map(|c| c.code.as_str()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())),
            "{codes:?}"
        );
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "two countries share a code");
    }

    #[test]
    fn natural_earth_traps_fall_back_in_order() {
        assert_eq!(alpha2(Some("MC"), None, Some("MCO")).as_deref(), Some("MC"));
        // 4.0.0: France is "-99" and has no ISO_A2_EH column.
        assert_eq!(
            alpha2(Some("-99"), None, Some("FRA")).as_deref(),
            Some("FR")
        );
        // 5.x: ISO_A2_EH fills it.
        assert_eq!(
            alpha2(Some("-99"), Some("NO"), Some("NOR")).as_deref(),
            Some("NO")
        );
        assert_eq!(
            alpha2(Some("-99"), Some("-99"), Some("KOS")).as_deref(),
            Some("XK")
        );
        // No ISO code at all: the caller keeps ADM0_A3.
        assert_eq!(alpha2(Some("-99"), Some("-99"), Some("CYN")), None);
        let layer = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ADM0_A3":"CYN","ISO_A2":"-99"},"geometry":{"type":"Polygon","coordinates":[[[33,35],[34,35],[34,36],[33,35]]]}}]}"#;
        let c = CountryIndex::from_geojson_str(layer, "c.geojson").unwrap();
        assert_eq!(c.countries()[0].code, "CYN");
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
