//! Canals and straits as data: the shipped `data/searoute/passages.csv`
//! (fees, waiting and transit hours, vessel limits, each with its source)
//! and how `import sea` puts those figures on a passage's links.
//!
//! A passage is drawn as several links (one per pair of lane vertices), so
//! its per-tonne fee, its per-vessel fee and its hours are spread over them
//! by length: a ship sailing the passage end to end pays each once. The
//! per-tonne fee becomes the links' `toll`, waiting plus transit hours
//! their fixed `hours`; the vessel limits and the per-vessel fee become
//! link tags (`max_draught_m=20.1`, `fee_per_vessel=…`), which persist in
//! every network format and which routing reads to keep a vessel class off
//! a passage it does not fit ([`corridor_model::VesselClass::fits`]).
//! Passages searoute does not tag (Dover, the Great Belt, the Sound) carry a bounding box that tags
//! the lane segments inside it.

use crate::open_data::import_error;
use corridor_model::Network;

/// The shipped passage table.
pub const PASSAGES_CSV: &str = include_str!("../../../data/searoute/passages.csv");
const FILE: &str = "data/searoute/passages.csv";

/// One row of the passage table: figures for a whole passage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Passage {
    /// The `passage=` tag value (searoute's name, e.g. `suez`, `ormuz`).
    pub id: String,
    pub name: String,
    /// Money (the network's currency, EUR in the shipped table) per tonne
    /// of cargo for one transit.
    pub fee_per_t: f64,
    /// Money per transit of one vessel; routing divides it by the vessel
    /// class's payload.
    pub fee_per_vessel: f64,
    pub waiting_h: f64,
    /// Fixed transit time; `None` leaves the time to the vessel's speed.
    pub transit_h: Option<f64>,
    pub max_draught_m: Option<f64>,
    pub max_beam_m: Option<f64>,
    pub max_length_m: Option<f64>,
    pub max_dwt_t: Option<f64>,
    /// Min lon, min lat, max lon, max lat: tags untagged lane segments.
    pub bbox: Option<[f64; 4]>,
    pub source: String,
}

/// The shipped table.
pub fn shipped_passages() -> Vec<Passage> {
    parse_passages(PASSAGES_CSV, FILE).expect("the shipped passage table parses")
}

/// Parses a passage table; `file` names it in errors (record and field).
pub fn parse_passages(text: &str, file: &str) -> crate::Result<Vec<Passage>> {
    let err = import_error(file);
    let mut r = crate::csv_rows::csv_reader(true).from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| err("header".into(), e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let at = format!("record {}", i + 1);
        let rec = rec.map_err(|e| err(at.clone(), e.to_string()))?;
        let cell = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|j| rec.get(j))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let num = |name: &str| -> crate::Result<Option<f64>> {
            cell(name)
                .map(|s| match s.parse::<f64>() {
                    Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
                    _ => Err(err(
                        at.clone(),
                        format!("{name}: \"{s}\" is not a non-negative number"),
                    )),
                })
                .transpose()
        };
        let id = cell("passage")
            .ok_or_else(|| err(at.clone(), "passage: missing".into()))?
            .to_ascii_lowercase();
        let transit_h = num("transit_h")?;
        let waiting_h = num("waiting_h")?.unwrap_or(0.0);
        if waiting_h > 0.0 && transit_h.is_none() {
            return Err(err(
                at,
                "waiting_h needs transit_h (the passage's hours replace its sailing time)".into(),
            ));
        }
        let bbox = cell("bbox").map(|s| parse_bbox(s, &at, file)).transpose()?;
        out.push(Passage {
            name: cell("name").unwrap_or(&id).to_string(),
            fee_per_t: num("fee_per_t")?.unwrap_or(0.0),
            fee_per_vessel: num("fee_per_vessel")?.unwrap_or(0.0),
            waiting_h,
            transit_h,
            max_draught_m: num("max_draught_m")?,
            max_beam_m: num("max_beam_m")?,
            max_length_m: num("max_length_m")?,
            max_dwt_t: num("max_dwt_t")?,
            bbox,
            source: cell("source").unwrap_or("").to_string(),
            id,
        });
    }
    Ok(out)
}

fn parse_bbox(s: &str, at: &str, file: &str) -> crate::Result<[f64; 4]> {
    let v: Vec<f64> = s
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    match v.as_slice() {
        [a, b, c, d] if a < c && b < d => Ok([*a, *b, *c, *d]),
        _ => Err(import_error(file)(
            at.to_string(),
            format!("bbox: \"{s}\" is not \"min_lon min_lat max_lon max_lat\""),
        )),
    }
}

/// Puts every passage's figures on the links tagged `passage=<id>` (first
/// tagging, for a passage with a bounding box, the untagged sea-lane
/// segments that have an end or their midpoint inside it). Returns how
/// many links each passage got.
pub fn apply_passages(net: &mut Network, passages: &[Passage]) -> Vec<(String, usize)> {
    let mut counts = Vec::new();
    for p in passages {
        let tag = format!("passage={}", p.id);
        if let Some(b) = p.bbox {
            tag_bbox(net, &tag, b);
        }
        let on: Vec<usize> = (0..net.links.len())
            .filter(|&i| net.links[i].tags.iter().any(|t| t == &tag))
            .collect();
        let total: f64 = on.iter().map(|&i| net.links[i].length_km).sum();
        for &i in &on {
            let l = &mut net.links[i];
            let share = if total > 0.0 {
                l.length_km / total
            } else {
                1.0 / on.len() as f64
            };
            l.toll += p.fee_per_t * share;
            if let Some(t) = p.transit_h {
                l.hours = Some((t + p.waiting_h) * share);
            }
            let limits = [
                ("max_draught_m", p.max_draught_m),
                ("max_beam_m", p.max_beam_m),
                ("max_length_m", p.max_length_m),
                ("max_dwt_t", p.max_dwt_t),
                (
                    "fee_per_vessel",
                    Some(p.fee_per_vessel * share).filter(|f| *f > 0.0),
                ),
            ];
            for (k, v) in limits {
                if let Some(v) = v {
                    l.tags.push(format!("{k}={v}"));
                }
            }
        }
        counts.push((p.id.clone(), on.len()));
    }
    counts
}

fn tag_bbox(net: &mut Network, tag: &str, [x0, y0, x1, y1]: [f64; 4]) {
    let inside = |p: [f64; 2]| p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1;
    for i in 0..net.links.len() {
        let l = &net.links[i];
        if l.mode != corridor_model::Mode::Sea || l.tags.iter().any(|t| t == "passage") {
            continue;
        }
        let (a, b) = (net.node(l.from), net.node(l.to));
        let (pa, pb) = ([a.lon, a.lat], [b.lon, b.lat]);
        let mid = [(pa[0] + pb[0]) / 2.0, (pa[1] + pb[1]) / 2.0];
        if inside(pa) || inside(pb) || inside(mid) {
            net.links[i]
                .tags
                .extend(["passage".into(), tag.to_string()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_has_every_passage_of_the_issue_with_a_source() {
        let ps = shipped_passages();
        for id in [
            "suez",
            "panama",
            "kiel",
            "bosporus",
            "dardanelles",
            "gibraltar",
            "malacca",
            "babalmandab",
            "ormuz",
            "dover",
            "great_belt",
            "sound",
        ] {
            let p = ps.iter().find(|p| p.id == id).expect(id);
            assert!(p.source.len() > 20, "{id} has a source");
        }
        let panama = ps.iter().find(|p| p.id == "panama").unwrap();
        assert_eq!(panama.max_beam_m, Some(51.25));
        assert_eq!(panama.transit_h, Some(9.0));
    }

    #[test]
    fn bad_rows_are_located() {
        let e = parse_passages("passage,fee_per_t\nsuez,-3\n", "p.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.csv") && e.contains("record 1") && e.contains("fee_per_t"),
            "{e}"
        );
        let e = parse_passages("passage,waiting_h\nsuez,3\n", "p.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("transit_h"), "{e}");
        let e = parse_passages("passage,bbox\ndover,1 2 3\n", "p.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bbox"), "{e}");
    }

    #[test]
    fn figures_are_spread_over_the_passage_by_length() {
        let g = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"passage":"suez"},"geometry":{"type":"LineString","coordinates":[[32,30],[32,30.1],[32,30.4]]}},
          {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1.5,51.0],[1.6,51.1]]}},
          {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[3,52],[4,53]]}}]}"#;
        let (net, s) = crate::sea::sea_lanes_from_str(g, "t.geojson", &[]).unwrap();
        assert_eq!(s.passages.get("suez"), Some(&2));
        assert_eq!(s.passages.get("dover"), Some(&1), "{:?}", s.passages);
        let suez: Vec<_> = net
            .links
            .iter()
            .filter(|l| l.tags.iter().any(|t| t == "passage=suez"))
            .collect();
        let toll: f64 = suez.iter().map(|l| l.toll).sum();
        let hours: f64 = suez.iter().map(|l| l.hours.unwrap()).sum();
        assert!((toll - 5.0).abs() < 1e-9 && (hours - 24.0).abs() < 1e-9);
        assert!(
            (suez[0].toll - 5.0 / 4.0).abs() < 1e-6,
            "a quarter of the length"
        );
        assert!(suez[0].tags.iter().any(|t| t == "max_draught_m=20.1"));
    }
}
