//! A route's result in users' words: legs, transfers and border crossings,
//! with totals for the whole shipment. Produced by `corridor-engine`,
//! written by `corridor-io` (text, JSON, GeoJSON).

use crate::mode::Mode;
use serde::Serialize;

/// Totals of a shipment: money, hours, km and kg CO2 for all its tonnes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub cost: f64,
    pub hours: f64,
    pub km: f64,
    pub co2_kg: f64,
    /// Money + value of time × hours + carbon price × CO2.
    pub generalised: f64,
}

/// Consecutive links of one layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leg {
    pub mode: Mode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauge: Option<u16>,
    pub from: String,
    pub to: String,
    pub km: f64,
    pub hours: f64,
    pub cost: f64,
    pub co2_kg: f64,
    /// Link ids in travel order.
    pub links: Vec<String>,
}

/// A change of layer at a terminal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transfer {
    /// Node id.
    pub at: String,
    pub terminal: String,
    pub from_layer: String,
    pub to_layer: String,
    pub hours: f64,
    pub cost: f64,
    pub co2_kg: f64,
}

/// A border crossing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BorderCrossing {
    /// Node id.
    pub at: String,
    pub border: String,
    pub countries: [String; 2],
    pub mode: Mode,
    pub hours: f64,
    pub fees: f64,
}

/// One step of an itinerary in travel order, for readable output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "lowercase")]
pub enum Step {
    Leg(usize),
    Transfer(usize),
    Border(usize),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Itinerary {
    pub from: String,
    pub to: String,
    pub commodity: String,
    pub tonnes: f64,
    /// What was minimised: cost, time, distance, co2 or generalised.
    pub minimize: String,
    pub totals: Totals,
    pub legs: Vec<Leg>,
    pub transfers: Vec<Transfer>,
    pub borders: Vec<BorderCrossing>,
    pub steps: Vec<Step>,
    /// How far `--from`/`--to` points were snapped to the network, km.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snap_km: Option<[f64; 2]>,
}

impl Itinerary {
    /// Sum of the parts; equals `totals` by construction, and tests check it.
    pub fn sum_of_parts(&self) -> Totals {
        let mut t = Totals::default();
        for l in &self.legs {
            t.cost += l.cost;
            t.hours += l.hours;
            t.km += l.km;
            t.co2_kg += l.co2_kg;
        }
        for x in &self.transfers {
            t.cost += x.cost;
            t.hours += x.hours;
            t.co2_kg += x.co2_kg;
        }
        for b in &self.borders {
            t.cost += b.fees;
            t.hours += b.hours;
        }
        t.generalised = self.totals.generalised;
        t
    }
}
