//! Phase A: the network ways of the file (rail, road, ferry) as parts —
//! runs of nodes that lie inside the extract — each pointing at its link
//! attributes, interned so phases compare attributes by index.
//!
//! A way whose nodes are partly missing (the extract's edge cut it) becomes
//! one part per run of two or more present nodes. Areas (ports, yards) are
//! not parts: `attach.rs` reads them from the raw ways. What the tags mean
//! is `tags.rs`.

use super::log::Log;
use super::node_countries::NodeCountries;
use crate::osm::OsmConfig;
use crate::osm::read::{RawOsm, RawWay, WayKind};
use crate::osm::tags::{Attrs, Family, way_attrs, way_mode};
use corridor_model::Mode;
use std::collections::HashMap;

/// Locks on a waterway: one if the way is a lock chamber (`lock=yes`),
/// plus one per pair of `waterway=lock_gate` nodes on it (a lone gate
/// counts as a lock).
fn lock_count(raw: &RawOsm, w: &RawWay) -> usize {
    let gates = w
        .refs
        .iter()
        .filter(|&&r| {
            raw.points
                .binary_search_by_key(&r, |p| p.id)
                .is_ok_and(|i| raw.points[i].tag("waterway") == Some("lock_gate"))
        })
        .count();
    usize::from(w.tag("lock") == Some("yes")) + gates.div_ceil(2)
}

/// The middle one of a way's nodes that lie inside the extract.
fn middle_node(raw: &RawOsm, refs: &[i64]) -> Option<i64> {
    let inside: Vec<i64> = refs
        .iter()
        .copied()
        .filter(|&r| raw.coord(r).is_some())
        .collect();
    inside.get(inside.len() / 2).copied()
}

/// A run of at least two way nodes, all with coordinates, in travel order
/// (a `oneway=-1` way is already reversed).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Part {
    /// The OSM way it comes from; a way cut by the extract gives several.
    pub(super) way: i64,
    pub(super) nodes: Vec<i64>,
    /// Index into [`Ways::attrs`].
    pub(super) attrs: usize,
}

/// Every part in way-id order, and the distinct attributes they use.
#[derive(Debug, Default)]
pub(super) struct Ways {
    pub(super) attrs: Vec<Attrs>,
    pub(super) parts: Vec<Part>,
}

impl Ways {
    /// [`Ways::collect_in`] without a country layer (untagged track is
    /// 1435 mm unless `--default-gauge` says otherwise).
    #[cfg(test)]
    pub(super) fn collect(raw: &RawOsm, cfg: &OsmConfig, log: &mut Log) -> Ways {
        Self::collect_in(raw, cfg, &mut NodeCountries::new(None), log)
    }

    /// Reads the network ways of `raw`. Missing nodes are counted as
    /// skipped and gauge problems logged as warnings; untagged track takes
    /// the standard gauge of the country at the way's middle node.
    pub(super) fn collect_in(
        raw: &RawOsm,
        cfg: &OsmConfig,
        countries: &mut NodeCountries,
        log: &mut Log,
    ) -> Ways {
        let mut ways = Ways::default();
        // Attribute fingerprints → indices with that fingerprint, so
        // interning is not a scan of every attribute set so far.
        let mut interned: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut missing = 0usize;
        for w in &raw.ways {
            let Some(mode) = way_mode(w.kind, cfg) else {
                continue;
            };
            let country = match mode {
                Mode::Rail => middle_node(raw, &w.refs).and_then(|n| countries.of_node(raw, n)),
                _ => None,
            };
            let (mut a, reverse) = way_attrs(w, mode, cfg, country, &mut log.diagnostics);
            if w.kind == WayKind::Waterway {
                let locks = lock_count(raw, w);
                if locks > 0 {
                    a.tags.push(format!("locks={locks}"));
                    a.tags.sort();
                }
            }
            if a.tags.iter().any(|t| t == "gauge=default") {
                for &g in &a.gauges {
                    *log.untagged_gauge.entry(g).or_default() += 1;
                }
            }
            let bucket = interned.entry(a.fingerprint()).or_default();
            let attrs = match bucket.iter().find(|&&i| ways.attrs[i] == a) {
                Some(&i) => i,
                None => {
                    ways.attrs.push(a);
                    bucket.push(ways.attrs.len() - 1);
                    ways.attrs.len() - 1
                }
            };
            missing += if reverse {
                ways.push_runs(raw, w.id, attrs, w.refs.iter().rev())
            } else {
                ways.push_runs(raw, w.id, attrs, w.refs.iter())
            };
        }
        log.skip(
            "way nodes outside the extract (ways cut at the edge)",
            missing,
        );
        ways
    }

    /// Pushes the runs of `refs` whose nodes have coordinates; returns how
    /// many nodes were missing.
    fn push_runs<'a>(
        &mut self,
        raw: &RawOsm,
        way: i64,
        attrs: usize,
        refs: impl Iterator<Item = &'a i64>,
    ) -> usize {
        let mut missing = 0;
        let mut run: Vec<i64> = Vec::new();
        for &r in refs {
            if raw.coord(r).is_some() {
                run.push(r);
            } else {
                missing += 1;
                if run.len() >= 2 {
                    self.parts.push(Part {
                        way,
                        nodes: std::mem::take(&mut run),
                        attrs,
                    });
                }
                run.clear();
            }
        }
        if run.len() >= 2 {
            self.parts.push(Part {
                way,
                nodes: run,
                attrs,
            });
        }
        missing
    }

    pub(super) fn family(&self, part: &Part) -> Family {
        self.attrs[part.attrs].family()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Tags as written in a test.
    pub(in crate::osm::build) type Tags<'a> = &'a [(&'a str, &'a str)];

    /// A raw extract with nodes `1..=n` on a row 0.01° apart, and the given
    /// ways as `(id, refs, tags)` (node ids above `n` are outside it).
    pub(in crate::osm::build) fn raw(n: i64, ways: &[(i64, &[i64], Tags)]) -> RawOsm {
        let mut raw = RawOsm::default();
        for id in 1..=n {
            raw.coords.push((id, [7.0 + id as f64 * 0.01, 43.0]));
        }
        for &(id, refs, tags) in ways {
            let tags: Vec<(String, String)> = tags
                .iter()
                .map(|&(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let kind = if tags.iter().any(|(k, _)| k == "railway") {
                WayKind::Rail
            } else {
                WayKind::Road
            };
            raw.ways.push(RawWay {
                id,
                refs: refs.to_vec(),
                tags,
                kind,
            });
        }
        raw
    }

    pub(in crate::osm::build) const ROAD: Tags = &[("highway", "primary")];
    pub(in crate::osm::build) const RAIL: Tags = &[("railway", "rail"), ("gauge", "1435")];

    fn collect(raw: &RawOsm) -> (Ways, Log) {
        let mut log = Log::new(Default::default());
        let ways = Ways::collect(raw, &OsmConfig::default(), &mut log);
        (ways, log)
    }

    #[test]
    fn a_way_leaving_the_extract_is_cut_into_the_runs_inside_it() {
        //   1 ── 2 ── (8) ── 3 ── 4 ── (9) ── 5        8, 9 not in the file
        let raw = raw(5, &[(10, &[1, 2, 8, 3, 4, 9, 5], ROAD)]);
        let (ways, log) = collect(&raw);
        let runs: Vec<&[i64]> = ways.parts.iter().map(|p| &p.nodes[..]).collect();
        // 5 alone is no run.
        assert_eq!(runs, [&[1, 2][..], &[3, 4][..]]);
        assert!(ways.parts.iter().all(|p| p.way == 10 && p.attrs == 0));
        assert_eq!(
            log.skipped["way nodes outside the extract (ways cut at the edge)"],
            2
        );
    }

    #[test]
    fn reverse_oneways_are_turned_and_each_way_has_its_attributes() {
        //   1 ──► 2 ──► 3      way 10, drawn 3 → 1 with oneway=-1
        //   3 ─── 4            rail way 11
        let raw = raw(
            4,
            &[
                (10, &[3, 2, 1], &[("highway", "primary"), ("oneway", "-1")]),
                (11, &[3, 4], RAIL),
            ],
        );
        let (ways, log) = collect(&raw);
        assert_eq!(ways.parts[0].nodes, [1, 2, 3]);
        assert!(ways.attrs[ways.parts[0].attrs].oneway);
        assert_eq!(ways.family(&ways.parts[0]), Family::Road);
        assert_eq!(ways.family(&ways.parts[1]), Family::Rail);
        // The way id is among the attributes, so two ways never share them.
        assert_eq!(ways.attrs.len(), 2);
        assert!(log.diagnostics.is_empty() && log.skipped.is_empty());
    }

    #[test]
    fn a_way_read_twice_shares_its_attributes() {
        let raw = raw(3, &[(10, &[1, 2], ROAD), (10, &[2, 3], ROAD)]);
        let (ways, _) = collect(&raw);
        assert_eq!(ways.attrs.len(), 1);
        assert_eq!(ways.parts.len(), 2);
    }
}
