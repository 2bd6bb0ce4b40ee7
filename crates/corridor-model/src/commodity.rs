//! Commodities and the rules that say which of them an element accepts.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How cargo is handled; links, terminals and borders may accept or ban a
/// whole class (e.g. `dangerous`) as well as single commodities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommodityClass {
    Bulk,
    Container,
    General,
    Dangerous,
}

impl CommodityClass {
    pub fn as_str(self) -> &'static str {
        match self {
            CommodityClass::Bulk => "bulk",
            CommodityClass::Container => "container",
            CommodityClass::General => "general",
            CommodityClass::Dangerous => "dangerous",
        }
    }
}

impl fmt::Display for CommodityClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CommodityClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bulk" => Ok(Self::Bulk),
            "container" | "containers" => Ok(Self::Container),
            "general" => Ok(Self::General),
            "dangerous" | "dg" | "hazmat" => Ok(Self::Dangerous),
            other => Err(format!(
                "unknown commodity class \"{other}\" (expected bulk, container, general, dangerous)"
            )),
        }
    }
}

/// What is carried.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Commodity {
    /// The user's name for it, e.g. `grain`; also its id.
    pub source_id: String,
    pub class: CommodityClass,
    /// Money per tonne-hour, used by the generalised cost.
    pub value_of_time_per_t_h: f64,
    /// Capacity-equivalent tonnes per tonne of this commodity on each mode:
    /// how much of a capacity given in t/day one tonne of it takes up when
    /// several commodities share a link, terminal or border (multi-class
    /// assignment). 1.0 (the default) means capacities count its tonnes as
    /// they are; containers on a rail line sized for bulk trains take more.
    pub capacity_factor: crate::ModeTable<f64>,
    /// Vessel classes that may carry it on sea lanes ([`crate::VesselClass`]
    /// ids); empty means those of its commodity class.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vessels: Vec<String>,
    pub source: Option<crate::SourceRef>,
}

impl Commodity {
    pub fn new(name: &str, class: CommodityClass, value_of_time_per_t_h: f64) -> Self {
        Self {
            source_id: name.to_string(),
            class,
            value_of_time_per_t_h,
            capacity_factor: crate::ModeTable::from_fn(|_| 1.0),
            vessels: Vec::new(),
            source: None,
        }
    }
}

/// Which commodities an element accepts: names or class names in either
/// list. A ban always wins; an empty `allowed` list means "everything".
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CommodityRule {
    pub allowed: Vec<String>,
    pub banned: Vec<String>,
}

impl CommodityRule {
    pub fn permits(&self, c: &Commodity) -> bool {
        let hit = |list: &[String]| {
            list.iter().any(|x| {
                x.eq_ignore_ascii_case(&c.source_id) || x.eq_ignore_ascii_case(c.class.as_str())
            })
        };
        !hit(&self.banned) && (self.allowed.is_empty() || hit(&self.allowed))
    }

    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty() && self.banned.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bans_win_and_classes_count() {
        let grain = Commodity::new("grain", CommodityClass::Bulk, 0.1);
        let fuel = Commodity::new("fuel", CommodityClass::Dangerous, 0.1);
        let rule = CommodityRule {
            allowed: vec!["bulk".into(), "fuel".into()],
            banned: vec!["dangerous".into()],
        };
        assert!(rule.permits(&grain));
        assert!(!rule.permits(&fuel));
        assert!(CommodityRule::default().permits(&fuel));
    }
}
