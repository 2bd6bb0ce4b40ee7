//! Modes, layers (a mode with its rail gauge) and per-mode defaults.

use crate::quantity::{NumberField, Quantity};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A way of moving freight. `River` is inland waterway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Road,
    Rail,
    Sea,
    River,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Road, Mode::Rail, Mode::Sea, Mode::River];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Road => "road",
            Mode::Rail => "rail",
            Mode::Sea => "sea",
            Mode::River => "river",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "road" => Ok(Mode::Road),
            "rail" => Ok(Mode::Rail),
            "sea" => Ok(Mode::Sea),
            "river" | "iww" | "inland_waterway" => Ok(Mode::River),
            other => Err(format!(
                "unknown mode \"{other}\" (expected road, rail, sea, river)"
            )),
        }
    }
}

/// A layer of the lowered graph: a mode, and for rail its gauge in mm.
/// Cargo changes layer only at a terminal that offers that transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Layer {
    pub mode: Mode,
    /// Track gauge in mm; `Some` exactly when `mode == Rail`, except in a
    /// terminal's transfer list where `rail` alone means "every gauge here".
    pub gauge_mm: Option<u16>,
}

impl Layer {
    pub fn new(mode: Mode, gauge_mm: Option<u16>) -> Self {
        Self { mode, gauge_mm }
    }
    pub fn road() -> Self {
        Self::new(Mode::Road, None)
    }
    pub fn rail(gauge_mm: u16) -> Self {
        Self::new(Mode::Rail, Some(gauge_mm))
    }
    pub fn sea() -> Self {
        Self::new(Mode::Sea, None)
    }
    pub fn river() -> Self {
        Self::new(Mode::River, None)
    }
    /// True when `self` (possibly a gauge-less `rail` wildcard) covers `other`.
    pub fn matches(&self, other: &Layer) -> bool {
        self.mode == other.mode && (self.gauge_mm.is_none() || self.gauge_mm == other.gauge_mm)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.gauge_mm {
            Some(g) => write!(f, "{}:{}", self.mode, g),
            None => write!(f, "{}", self.mode),
        }
    }
}

impl Serialize for Layer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for Layer {
    type Err = String;
    /// `road`, `sea`, `river`, `rail` (any gauge) or `rail:1520`.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (mode, gauge) = match s.split_once(':') {
            Some((m, g)) => (m, Some(g)),
            None => (s, None),
        };
        let mode: Mode = mode.parse()?;
        let gauge_mm = match gauge {
            None => None,
            Some(g) => {
                if mode != Mode::Rail {
                    return Err(format!("layer \"{s}\": only rail layers carry a gauge"));
                }
                Some(g.trim().parse::<u16>().map_err(|_| {
                    format!("layer \"{s}\": gauge \"{g}\" is not a whole number of mm")
                })?)
            }
        };
        Ok(Layer { mode, gauge_mm })
    }
}

/// One value per mode.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModeTable<T> {
    pub road: T,
    pub rail: T,
    pub sea: T,
    pub river: T,
}

impl<T> ModeTable<T> {
    pub fn get(&self, mode: Mode) -> &T {
        match mode {
            Mode::Road => &self.road,
            Mode::Rail => &self.rail,
            Mode::Sea => &self.sea,
            Mode::River => &self.river,
        }
    }
    pub fn get_mut(&mut self, mode: Mode) -> &mut T {
        match mode {
            Mode::Road => &mut self.road,
            Mode::Rail => &mut self.rail,
            Mode::Sea => &mut self.sea,
            Mode::River => &mut self.river,
        }
    }
    pub fn from_fn(mut f: impl FnMut(Mode) -> T) -> Self {
        Self {
            road: f(Mode::Road),
            rail: f(Mode::Rail),
            sea: f(Mode::Sea),
            river: f(Mode::River),
        }
    }
}

/// Values a link of a mode takes when the network file leaves them out.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ModeDefaults {
    /// Average commercial speed including stops, km/h.
    pub speed_kmh: f64,
    /// Money per tonne-km in the network's currency.
    pub cost_per_tkm: f64,
    /// kg CO2e per tonne-km (well-to-wheel).
    pub co2_kg_per_tkm: f64,
    /// Real length over great-circle length, used when a link gives no length.
    pub detour_factor: f64,
    /// Money per tonne per hour that the vehicle costs while it waits
    /// loaded at a border (its hire, or its driver and depreciation, over
    /// its payload): what a wagon, truck, ship or barge held at a crossing
    /// costs, beside the cargo's own value of time (per commodity). It
    /// prices each border's dwell hours of the mode as money, and in
    /// `assign` (objectives `cost` and `generalised`) the congestion delay
    /// of the mode's links and crossings and of terminals the cargo
    /// arrives at in the mode.
    pub waiting_cost_per_t_h: f64,
}

impl ModeDefaults {
    /// The defaults by their keys in files (`[defaults.MODE]`), in the
    /// order files list them.
    pub const FIELDS: [NumberField<ModeDefaults>; 5] = [
        NumberField {
            key: "speed",
            quantity: Quantity::Speed,
            get: |d| d.speed_kmh,
            get_mut: |d| &mut d.speed_kmh,
        },
        NumberField {
            key: "cost_per_tkm",
            quantity: Quantity::Amount,
            get: |d| d.cost_per_tkm,
            get_mut: |d| &mut d.cost_per_tkm,
        },
        NumberField {
            key: "co2_per_tkm",
            quantity: Quantity::Amount,
            get: |d| d.co2_kg_per_tkm,
            get_mut: |d| &mut d.co2_kg_per_tkm,
        },
        NumberField {
            key: "detour",
            quantity: Quantity::Detour,
            get: |d| d.detour_factor,
            get_mut: |d| &mut d.detour_factor,
        },
        NumberField {
            key: "waiting_cost",
            quantity: Quantity::Amount,
            get: |d| d.waiting_cost_per_t_h,
            get_mut: |d| &mut d.waiting_cost_per_t_h,
        },
    ];

    /// The documented default table (see `docs/defaults.md` for sources).
    ///
    /// CO2 factors are the GLEC Framework v3 (Smart Freight Centre, 2023)
    /// order-of-magnitude defaults for Europe, well-to-wheel: articulated
    /// truck ~ 0.08 kg/tkm, average diesel/electric freight train ~ 0.02,
    /// bulk/container deep sea ~ 0.008, inland barge ~ 0.03. Costs are
    /// rounded European 2020s figures in EUR per tonne-km. The waiting cost
    /// is 0 for every mode: no source for a general European figure per
    /// mode was found, so a network that prices its vehicles' waits sets
    /// `waiting_cost` itself (the grain example's README gives figures
    /// with their sources, and why it does not set them).
    pub fn table() -> ModeTable<ModeDefaults> {
        ModeTable {
            road: ModeDefaults {
                speed_kmh: 60.0,
                cost_per_tkm: 0.10,
                co2_kg_per_tkm: 0.080,
                detour_factor: 1.25,
                waiting_cost_per_t_h: 0.0,
            },
            rail: ModeDefaults {
                speed_kmh: 30.0,
                cost_per_tkm: 0.04,
                co2_kg_per_tkm: 0.020,
                detour_factor: 1.30,
                waiting_cost_per_t_h: 0.0,
            },
            sea: ModeDefaults {
                speed_kmh: 25.0,
                cost_per_tkm: 0.008,
                co2_kg_per_tkm: 0.008,
                detour_factor: 1.15,
                waiting_cost_per_t_h: 0.0,
            },
            river: ModeDefaults {
                speed_kmh: 12.0,
                cost_per_tkm: 0.025,
                co2_kg_per_tkm: 0.030,
                detour_factor: 1.35,
                waiting_cost_per_t_h: 0.0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_parse_and_print_round_trip() {
        for s in ["road", "rail:1520", "rail:1435", "sea", "river", "rail"] {
            let l: Layer = s.parse().unwrap();
            assert_eq!(l.to_string(), s);
        }
        assert!("sea:1520".parse::<Layer>().is_err());
        assert!("rail:wide".parse::<Layer>().is_err());
        assert!("air".parse::<Layer>().is_err());
    }

    #[test]
    fn rail_wildcard_matches_every_gauge_but_not_other_modes() {
        let any: Layer = "rail".parse().unwrap();
        assert!(any.matches(&Layer::rail(1520)));
        assert!(!any.matches(&Layer::road()));
        assert!(!Layer::rail(1435).matches(&Layer::rail(1520)));
    }
}
