//! What one tonne pays to use each arc of a lowered graph, and what a
//! route minimises. Values are computed from the model on demand, so the
//! lowered topology stays small and one topology serves every commodity.

use crate::lower::{ArcOrigin, Lowered};
use corridor_model::{Commodity, Network};

pub use corridor_model::Objective;

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
/// terminal's transfers cost; other helper arcs cost nothing. A border
/// crossing's money is its fee plus its dwell priced at the mode's waiting
/// cost (the vehicle held there); its hours are the dwell, which a
/// commodity's value of time prices again as the cargo's own cost. A
/// terminal's hours carry no waiting cost: the vehicle is released there
/// while the cargo is handled.
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
                money: net.border_cost_per_t(b, mode),
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
