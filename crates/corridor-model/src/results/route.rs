//! A route's answer: one itinerary, or the Pareto set of cost against time.

use crate::Itinerary;
use serde::{Serialize, Serializer};

/// The best itinerary, or the Pareto set sorted by cost.
///
/// In JSON a single route is the itinerary itself, and a Pareto set is the
/// shipment once with every itinerary under `itineraries` (see
/// [`ParetoSet`]); the members of a Pareto set say `"minimize": "pareto"`.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteResult {
    pub itineraries: Vec<Itinerary>,
}

impl RouteResult {
    /// Whether this is a Pareto set (even of one itinerary).
    pub fn is_pareto(&self) -> bool {
        self.itineraries.iter().any(|i| i.minimize == "pareto")
    }
}

/// A Pareto set's JSON: the shipment once, then every itinerary.
#[derive(Serialize)]
pub struct ParetoSet<'a> {
    pub commodity: Option<&'a str>,
    pub from: Option<&'a str>,
    pub itineraries: &'a [Itinerary],
    pub to: Option<&'a str>,
    pub tonnes: Option<f64>,
}

impl Serialize for RouteResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let first = self.itineraries.first();
        if self.is_pareto() || first.is_none() {
            ParetoSet {
                commodity: first.map(|i| i.commodity.as_str()),
                from: first.map(|i| i.from.as_str()),
                itineraries: &self.itineraries,
                to: first.map(|i| i.to.as_str()),
                tonnes: first.map(|i| i.tonnes),
            }
            .serialize(s)
        } else {
            self.itineraries[0].serialize(s)
        }
    }
}
