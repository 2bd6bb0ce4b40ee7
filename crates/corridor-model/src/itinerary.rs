//! A route's result in users' words: legs, transfers and border crossings,
//! with totals for the whole shipment. Produced by `corridor-engine`,
//! written by `corridor-io` (text, JSON, GeoJSON).
//!
//! Fields are declared in alphabetical order: the JSON of a route has
//! always listed its keys sorted, and `serde` writes them in declaration
//! order, so this order keeps every face's JSON identical to earlier
//! releases.

use crate::mode::Mode;
use serde::Serialize;
use serde::ser::SerializeStruct;

/// Totals of a shipment: money, hours, km and kg CO2 for all its tonnes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub co2_kg: f64,
    pub cost: f64,
    /// Money + value of time × hours + carbon price × CO2.
    pub generalised: f64,
    pub hours: f64,
    pub km: f64,
}

/// Consecutive links of one layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leg {
    pub co2_kg: f64,
    pub cost: f64,
    pub from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gauge: Option<u16>,
    pub hours: f64,
    pub km: f64,
    /// Link ids in travel order.
    pub links: Vec<String>,
    pub mode: Mode,
    pub to: String,
    /// The vessel class sailing a sea leg over sea lanes
    /// ([`crate::VesselClass`] id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vessel: Option<String>,
}

/// A change of layer at a terminal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transfer {
    /// Node id.
    pub at: String,
    pub co2_kg: f64,
    pub cost: f64,
    pub from_layer: String,
    pub hours: f64,
    pub terminal: String,
    pub to_layer: String,
}

/// A border crossing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BorderCrossing {
    /// Node id.
    pub at: String,
    pub border: String,
    pub countries: [String; 2],
    /// The border's fees for the shipment.
    pub fees: f64,
    pub hours: f64,
    pub mode: Mode,
    /// What the vehicle costs while it waits out `hours`, for the shipment:
    /// hours times the mode's waiting cost (`[defaults.MODE] waiting_cost`).
    pub waiting_cost: f64,
}

impl BorderCrossing {
    /// Money for the shipment: fees plus the vehicle's waiting.
    pub fn cost(&self) -> f64 {
        self.fees + self.waiting_cost
    }
}

/// One step of an itinerary in travel order, for readable output. In JSON
/// `{"index": 0, "kind": "leg"}`: the index into `legs`, `transfers` or
/// `borders`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Leg(usize),
    Transfer(usize),
    Border(usize),
}

impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (kind, index) = match *self {
            Step::Leg(i) => ("leg", i),
            Step::Transfer(i) => ("transfer", i),
            Step::Border(i) => ("border", i),
        };
        let mut st = s.serialize_struct("Step", 2)?;
        st.serialize_field("index", &index)?;
        st.serialize_field("kind", kind)?;
        st.end()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Itinerary {
    pub borders: Vec<BorderCrossing>,
    pub commodity: String,
    pub from: String,
    pub legs: Vec<Leg>,
    /// What was minimised: cost, time, distance, co2, generalised, or
    /// `pareto` for a member of a Pareto set.
    pub minimize: String,
    /// How far `--from`/`--to` points were snapped to the network, km.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snap_km: Option<[f64; 2]>,
    pub steps: Vec<Step>,
    pub to: String,
    pub tonnes: f64,
    pub totals: Totals,
    pub transfers: Vec<Transfer>,
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
            t.cost += b.cost();
            t.hours += b.hours;
        }
        t.generalised = self.totals.generalised;
        t
    }
}
