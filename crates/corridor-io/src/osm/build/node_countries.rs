//! The country of each way node, looked up once per node in the country
//! layer (none without one): untagged track takes its country's gauge
//! (`ways.rs`), borders are where it changes (`borders.rs`), and the nodes
//! written by `emit.rs` carry it.

use crate::countries::CountryIndex;
use crate::osm::read::RawOsm;
use std::collections::HashMap;

/// The country of way nodes, from the country layer (none without one).
pub(super) struct NodeCountries<'c> {
    pub(super) index: Option<&'c CountryIndex>,
    cache: HashMap<i64, Option<&'c str>>,
}

impl<'c> NodeCountries<'c> {
    pub(super) fn new(index: Option<&'c CountryIndex>) -> Self {
        Self {
            index,
            cache: HashMap::new(),
        }
    }

    /// The country code of way node `n`; `None` at sea, outside the layer
    /// or without one.
    pub(super) fn of_node(&mut self, raw: &RawOsm, n: i64) -> Option<&'c str> {
        let index = self.index?;
        *self.cache.entry(n).or_insert_with(|| {
            let c = raw.coord(n).expect("way nodes have coordinates");
            index.country_at(c[0], c[1])
        })
    }

    /// The country code at a point, `""` if none.
    pub(super) fn at(&self, lon: f64, lat: f64) -> &'c str {
        self.index
            .and_then(|c| c.country_at(lon, lat))
            .unwrap_or_default()
    }
}
