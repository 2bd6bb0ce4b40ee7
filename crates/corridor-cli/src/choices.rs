//! Flag values with one line of help each (`--minimize`, `--method`, `--formulation`):
//! `corridor help route` lists every value with what it means, from the
//! same lists the library parses with, and a bad value gets the library's
//! message.

use clap::builder::{PossibleValue, TypedValueParser};
use corridor_engine::answer::METHODS;
use corridor_model::{Formulation, Objective};
use std::ffi::OsStr;

/// A parser that shows `values` in help and parses with `parse`.
#[derive(Clone)]
pub struct Choices<T: Clone + Send + Sync + 'static> {
    parse: fn(&str) -> Result<T, String>,
    values: Vec<PossibleValue>,
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Choices<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values.iter().cloned()))
    }
}

/// `cost`, `time`, `distance`, `co2`, `generalised` (and their aliases).
pub fn objective() -> Choices<Objective> {
    Choices {
        parse: |s| s.parse(),
        values: Objective::ALL
            .iter()
            .map(|o| PossibleValue::new(o.as_str()).help(o.help()))
            .collect(),
    }
}

/// `auto`, `arc-node`, `paths` (`optimise --formulation`).
pub fn formulation() -> Choices<Formulation> {
    Choices {
        parse: |s| s.parse(),
        values: Formulation::ALL
            .iter()
            .map(|f| PossibleValue::new(f.as_str()).help(f.help()))
            .collect(),
    }
}

/// `aon`, `fw`, `cfw`, `bfw`, `algb`.
pub fn method() -> Choices<String> {
    Choices {
        parse: |s| {
            let s = s.to_ascii_lowercase();
            if METHODS.iter().any(|(m, _)| *m == s) {
                Ok(s)
            } else {
                Err(format!(
                    "unknown method \"{s}\" (expected aon, fw, cfw, bfw, algb)"
                ))
            }
        },
        values: METHODS
            .iter()
            .map(|(m, h)| PossibleValue::new(*m).help(*h))
            .collect(),
    }
}

/// What `--from`, `--to` and `--via` accept, for the long help.
pub const PLACE_FORMS: &str = "A place is any of:
  - a node id, e.g. `kyiv` (an exact id wins over everything else);
  - a node name, ignoring case, e.g. \"Gdańsk port\" (a station, port or terminal wins over other nodes of that name);
  - a UN/LOCODE, e.g. `PLGDN` or `PL GDN` (a node with that id or with the tag `unlocode=PLGDN`);
  - a point `lat,lon` in decimal degrees, e.g. `54.35,18.65`: snapped to the nearest node with a link (the itinerary gives how far, `snap_km`).";
