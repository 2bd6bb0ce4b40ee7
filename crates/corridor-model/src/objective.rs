//! What a route, a capacity run or an assignment minimises, as users name
//! it (`--minimize cost`, `"minimize": "time"`). The engine turns it into
//! arc weights; every face parses and prints it with the same words.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The quantity a route minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Objective {
    /// Money: haulage per tonne-km, tolls, handling, border fees and the
    /// vehicles' waiting at borders (dwell × the mode's waiting cost).
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
    /// Every objective, in the order help texts list them.
    pub const ALL: [Objective; 5] = [
        Objective::Cost,
        Objective::Time,
        Objective::Distance,
        Objective::Co2,
        Objective::Generalised,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Cost => "cost",
            Objective::Time => "time",
            Objective::Distance => "distance",
            Objective::Co2 => "co2",
            Objective::Generalised => "generalised",
        }
    }

    /// One line for help texts, so the CLI and API docs say the same.
    pub fn help(self) -> &'static str {
        match self {
            Objective::Cost => {
                "money: haulage per tonne-km, tolls, handling, border fees, vehicles waiting at borders"
            }
            Objective::Time => "hours: travel, handling and border dwell",
            Objective::Distance => "km on links (transfers and borders count 0)",
            Objective::Co2 => "kg CO2 of haulage and handling",
            Objective::Generalised => {
                "money + value of time (per tonne-hour, by commodity) × hours + carbon price × CO2"
            }
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

impl Serialize for Objective {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Accepts the same words and aliases as `--minimize`, with the same error.
impl<'de> Deserialize<'de> for Objective {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
