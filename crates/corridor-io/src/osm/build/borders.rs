//! Phase C (checkpoints) and E: where a network crosses a border. A
//! `barrier=border_control` node on a way is a checkpoint; where
//! consecutive nodes of a part lie in different countries, the first node
//! on the far side is a detected crossing. Both are kept as vertices.
//!
//! The country of each way node is [`NodeCountries`]
//! (`node_countries.rs`). It finds borders; `emit.rs` writes them, with
//! their dwell times from the config.

use super::cuts::Cuts;
use super::log::Log;
pub(super) use super::node_countries::NodeCountries;
use super::ways::{Part, Ways};
use crate::osm::read::{RawOsm, RawPoint};
use crate::osm::tags::is_checkpoint;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A `barrier=border_control` node on an imported way.
#[derive(Clone, Debug)]
pub(super) struct Checkpoint<'r> {
    pub(super) point: &'r RawPoint,
    /// The first other country met walking along its ways (`None` without
    /// a country layer or if there is none).
    pub(super) other: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Borders<'r> {
    /// In node id order.
    pub(super) checkpoints: Vec<Checkpoint<'r>>,
    /// Detected changes of country: node → the two countries, sorted.
    pub(super) crossings: BTreeMap<i64, [String; 2]>,
}

impl<'r> Borders<'r> {
    /// Checkpoints on the parts of `ways` and, with a country layer, every
    /// change of country along them.
    pub(super) fn find(
        raw: &'r RawOsm,
        ways: &Ways,
        countries: &mut NodeCountries,
        cuts: &mut Cuts,
        log: &mut Log,
    ) -> Self {
        let mut checkpoints = Vec::new();
        for p in raw.points.iter().filter(|p| is_checkpoint(p)) {
            if cuts.on_way(p.id) {
                checkpoints.push(Checkpoint {
                    point: p,
                    other: None,
                });
                cuts.keep(p.id);
            } else {
                log.skip("barrier=border_control node on no imported way", 1);
            }
        }
        let mut borders = Borders {
            checkpoints,
            crossings: BTreeMap::new(),
        };
        if countries.index.is_some() {
            borders.walk(raw, &ways.parts, countries, cuts);
        }
        borders
    }

    /// One pass along every part: records changes of country, and from
    /// each checkpoint looks both ways for the first other country (the
    /// first part through it that has one decides).
    fn walk(
        &mut self,
        raw: &RawOsm,
        parts: &[Part],
        countries: &mut NodeCountries,
        cuts: &mut Cuts,
    ) {
        let mut unresolved: HashSet<i64> = self.checkpoints.iter().map(|c| c.point.id).collect();
        let mut other: HashMap<i64, String> = HashMap::new();
        for part in parts {
            let mut last: Option<&str> = None;
            for (i, &n) in part.nodes.iter().enumerate() {
                if let Some(c) = countries.of_node(raw, n) {
                    if let Some(prev) = last
                        && prev != c
                    {
                        let mut pair = [prev.to_string(), c.to_string()];
                        pair.sort();
                        self.crossings.entry(n).or_insert(pair);
                        cuts.keep(n);
                    }
                    last = Some(c);
                }
                if !unresolved.is_empty()
                    && unresolved.contains(&n)
                    && let Some(o) = other_side(raw, &part.nodes, i, countries)
                {
                    unresolved.remove(&n);
                    other.insert(n, o.to_string());
                }
            }
        }
        for cp in &mut self.checkpoints {
            cp.other = other.get(&cp.point.id).cloned();
        }
    }

    /// The checkpoint at node `n`, if any (the first, should the file hold
    /// the node twice).
    pub(super) fn checkpoint(&self, n: i64) -> Option<&Checkpoint<'r>> {
        let i = self.checkpoints.partition_point(|c| c.point.id < n);
        self.checkpoints.get(i).filter(|c| c.point.id == n)
    }

    /// Whether node `n` becomes a border node.
    pub(super) fn is_border(&self, n: i64) -> bool {
        self.crossings.contains_key(&n) || self.checkpoint(n).is_some()
    }
}

/// Walking from `nodes[i]` to the end, then from it back to the start: the
/// first country other than `nodes[i]`'s (`""` if it has none).
fn other_side<'c>(
    raw: &RawOsm,
    nodes: &[i64],
    i: usize,
    countries: &mut NodeCountries<'c>,
) -> Option<&'c str> {
    let here = countries.of_node(raw, nodes[i]).unwrap_or_default();
    nodes[i..]
        .iter()
        .chain(nodes[..i].iter().rev())
        .filter_map(|&m| countries.of_node(raw, m))
        .find(|&c| c != here)
}

#[cfg(test)]
mod tests {
    use super::super::ways::tests::{ROAD, raw};
    use super::*;
    use crate::countries::CountryIndex;
    use crate::osm::OsmConfig;

    /// Country AAA west of 7.035°E, BBB east of it (nodes 1–3 in AAA,
    /// 4–6 in BBB), nothing north of 43.5°N.
    pub(in crate::osm::build) fn two_countries() -> CountryIndex {
        let square = |code: &str, x0: f64, x1: f64| {
            format!(
                r#"{{"type":"Feature","properties":{{"ADM0_A3":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},42.5],[{x1},42.5],[{x1},43.5],[{x0},43.5],[{x0},42.5]]]}}}}"#
            )
        };
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            square("AAA", 6.5, 7.035),
            square("BBB", 7.035, 7.5)
        );
        CountryIndex::from_geojson_str(&text, "test").unwrap()
    }

    fn checkpoint(id: i64, x: f64) -> RawPoint {
        RawPoint {
            id,
            lon: 7.0 + x * 0.01,
            lat: 43.0,
            tags: vec![("barrier".into(), "border_control".into())],
        }
    }

    #[test]
    fn a_change_of_country_along_a_way_is_a_crossing_on_the_far_side() {
        //   AAA              │ BBB
        //   1 ── 2 ── 3 ──── 4 ── 5 ── 6     way 10
        //             K                      a checkpoint on 3; 9 is one off the way
        let mut raw = raw(6, &[(10, &[1, 2, 3, 4, 5, 6], ROAD)]);
        raw.points = vec![checkpoint(3, 3.0), checkpoint(9, 9.0)];
        let cfg = OsmConfig::default();
        let mut log = Log::new(Default::default());
        let ways = Ways::collect(&raw, &cfg, &mut log);
        let mut cuts = Cuts::at_junctions(&ways);
        let index = two_countries();
        let mut countries = NodeCountries::new(Some(&index));
        let b = Borders::find(&raw, &ways, &mut countries, &mut cuts, &mut log);
        assert_eq!(
            b.crossings,
            BTreeMap::from([(4, ["AAA".to_string(), "BBB".to_string()])])
        );
        assert_eq!(b.checkpoints.len(), 1);
        assert_eq!(b.checkpoint(3).unwrap().other.as_deref(), Some("BBB"));
        assert!(b.is_border(3) && b.is_border(4) && !b.is_border(5));
        assert_eq!(
            log.skipped["barrier=border_control node on no imported way"],
            1
        );
        let (_, kept) = cuts.into_sets();
        assert_eq!(kept, [3, 4].into());
        assert_eq!(countries.of_node(&raw, 6), Some("BBB"));
        assert_eq!(countries.at(7.0, 44.0), "");
    }

    #[test]
    fn without_a_country_layer_only_checkpoints_are_found() {
        let mut raw = raw(6, &[(10, &[1, 2, 3, 4, 5, 6], ROAD)]);
        raw.points = vec![checkpoint(3, 3.0)];
        let mut log = Log::new(Default::default());
        let ways = Ways::collect(&raw, &OsmConfig::default(), &mut log);
        let mut cuts = Cuts::at_junctions(&ways);
        let mut countries = NodeCountries::new(None);
        let b = Borders::find(&raw, &ways, &mut countries, &mut cuts, &mut log);
        assert!(b.crossings.is_empty());
        assert_eq!(b.checkpoint(3).unwrap().other, None);
        assert_eq!(countries.of_node(&raw, 3), None);
    }
}
