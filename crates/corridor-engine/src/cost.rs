//! What one tonne pays to use each arc of a lowered graph, and what a
//! route minimises. Values are computed from the model on demand, so the
//! lowered topology stays small and one topology serves every commodity.

use crate::lower::{ArcOrigin, Lowered};
use corridor_model::{Commodity, Network};
use std::fmt;
use std::str::FromStr;

/// The quantity a route minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Objective {
    /// Money: haulage per tonne-km, tolls, handling, border fees.
    #[default]
    Cost,
    /// Hours: travel, handling and border dwell.
    Time,
    /// km on links (transfers and borders count 0).
    Distance,
    /// kg CO2: haulage and handling.
    Co2,
    /// Money + value of time × hours + carbon price × CO2.
    Generalised,
}

impl Objective {
    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Cost => "cost",
            Objective::Time => "time",
            Objective::Distance => "distance",
            Objective::Co2 => "co2",
            Objective::Generalised => "generalised",
        }
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Objective {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "cost" | "money" => Objective::Cost,
            "time" | "hours" => Objective::Time,
            "distance" | "km" => Objective::Distance,
            "co2" | "carbon" => Objective::Co2,
            "generalised" | "generalized" | "gc" => Objective::Generalised,
            other => {
                return Err(format!(
                    "unknown objective \"{other}\" (expected cost, time, distance, co2, generalised)"
                ));
            }
        })
    }
}

/// Per-tonne attributes of one arc.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ArcAttrs {
    pub money: f64,
    pub hours: f64,
    pub km: f64,
    pub co2_kg: f64,
}

impl ArcAttrs {
    /// Generalised cost per tonne for a commodity.
    pub fn generalised(&self, net: &Network, c: &Commodity) -> f64 {
        self.money
            + c.value_of_time_per_t_h * self.hours
            + net.carbon_price_per_t * self.co2_kg / 1000.0
    }

    pub fn value(&self, objective: Objective, net: &Network, c: &Commodity) -> f64 {
        match objective {
            Objective::Cost => self.money,
            Objective::Time => self.hours,
            Objective::Distance => self.km,
            Objective::Co2 => self.co2_kg,
            Objective::Generalised => self.generalised(net, c),
        }
    }
}

/// Per-tonne attributes of the arc with origin `o`. A gate costs what its
/// terminal's transfers cost; other helper arcs cost nothing.
pub fn arc_attrs(net: &Network, lowered: &Lowered, o: ArcOrigin) -> ArcAttrs {
    match o {
        ArcOrigin::Link { link, .. } => {
            let l = net.link(link);
            ArcAttrs {
                money: net.link_cost_per_t(l),
                hours: net.link_hours(l),
                km: l.length_km,
                co2_kg: net.link_co2_kg_per_t(l),
            }
        }
        ArcOrigin::Transfer { terminal, .. } | ArcOrigin::Gate { terminal } => {
            let t = &net.terminals[terminal.index()];
            ArcAttrs {
                money: t.handling_cost_per_t,
                hours: t.hours,
                km: 0.0,
                co2_kg: t.co2_kg_per_t,
            }
        }
        ArcOrigin::Border { border, layer } => {
            let b = &net.borders[border.index()];
            let mode = lowered.layer(layer).mode;
            ArcAttrs {
                money: b.fee_per_t,
                hours: *b.dwell_hours.get(mode),
                km: 0.0,
                co2_kg: 0.0,
            }
        }
        ArcOrigin::NodeCapacity { .. }
        | ArcOrigin::GateAccess { .. }
        | ArcOrigin::Supply { .. }
        | ArcOrigin::SupplyAccess { .. }
        | ArcOrigin::AbsorbAccess { .. }
        | ArcOrigin::Absorb { .. }
        | ArcOrigin::FromZone { .. }
        | ArcOrigin::ToZone { .. } => ArcAttrs::default(),
    }
}
