//! What each number of a network measures and the range it must lie in,
//! written once for every way a number comes in: the network readers (the
//! unit parsers of `corridor-io::units` end in [`Quantity::check`]), scenario
//! edits (checked at the edit, whether read from a file or built in code)
//! and [`crate::Network::validate`] (for networks built in code). A value
//! refused by one of them is refused by all, with the same words.
//!
//! This module also names the numbers of the settings structs
//! ([`crate::Vehicles`], [`crate::ModeDefaults`]) once, so readers, writers
//! and validation walk one table. It knows no units and no file syntax.

/// What a number measures, which fixes its range and (in `corridor-io`) the
/// units a file may write it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// A capacity in t/day (or the network's flow unit): zero or more.
    Capacity,
    /// km/h: above zero (a zero speed is an infinite travel time).
    Speed,
    /// A duration in hours: zero or more.
    Hours,
    /// A length in km: zero or more.
    Length,
    /// A mass in tonnes (vehicle payloads): zero or more.
    Mass,
    /// A plain number that is zero or more: money, kg CO2, tolls, fees,
    /// volume–delay parameters, scaling factors.
    Amount,
    /// A plain number above zero: days per year, capacity factors.
    Ratio,
    /// A plain number of at least 1: detour factors (real over great-circle length).
    Detour,
    /// Degrees north, -90..90.
    Latitude,
    /// Degrees east, -180..180.
    Longitude,
}

impl Quantity {
    /// `x` when it lies in this quantity's range, else why not, naming the
    /// value first (`"999 is outside -90..90 (are lon and lat swapped?)"`,
    /// `"-5 must not be negative"`).
    /// Non-finite values are refused whatever the quantity.
    pub fn check(self, x: f64) -> Result<f64, String> {
        if !x.is_finite() {
            return Err(format!("{x} is not a finite number"));
        }
        let fits = match self {
            Quantity::Capacity
            | Quantity::Hours
            | Quantity::Length
            | Quantity::Mass
            | Quantity::Amount => x >= 0.0,
            Quantity::Speed | Quantity::Ratio => x > 0.0,
            Quantity::Detour => x >= 1.0,
            Quantity::Latitude => (-90.0..=90.0).contains(&x),
            Quantity::Longitude => (-180.0..=180.0).contains(&x),
        };
        if fits {
            return Ok(x);
        }
        Err(match self {
            Quantity::Speed | Quantity::Ratio => format!("{x} must be positive"),
            Quantity::Detour => format!("{x} must be at least 1 (a detour factor)"),
            Quantity::Latitude => format!("{x} is outside -90..90 (are lon and lat swapped?)"),
            Quantity::Longitude => format!("{x} is outside -180..180"),
            _ => format!("{x} must not be negative"),
        })
    }

    /// Like [`Quantity::check`] for values that may be absent.
    pub fn check_opt(self, x: Option<f64>) -> Result<Option<f64>, String> {
        x.map(|x| self.check(x)).transpose()
    }
}

/// A rail gauge in whole mm, e.g. 1435 or 1520.
pub fn gauge_mm(x: f64) -> Result<u16, String> {
    if x.fract() == 0.0 && (1.0..=f64::from(u16::MAX)).contains(&x) {
        Ok(x as u16)
    } else {
        Err(format!(
            "{x} is not a whole number of mm (e.g. 1435 or 1520)"
        ))
    }
}

/// One number of a settings struct: its key in files and messages, what it
/// measures, and where it lives. Tables of these let the reader, both
/// writers and validation walk the same keys in the same order.
pub struct NumberField<T> {
    pub key: &'static str,
    pub quantity: Quantity,
    pub get: fn(&T) -> f64,
    pub get_mut: fn(&mut T) -> &mut f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quantity_refuses_what_is_out_of_its_range() {
        assert_eq!(Quantity::Capacity.check(0.0), Ok(0.0));
        assert_eq!(
            Quantity::Capacity.check(-5.0).unwrap_err(),
            "-5 must not be negative"
        );
        assert_eq!(
            Quantity::Speed.check(0.0).unwrap_err(),
            "0 must be positive"
        );
        assert_eq!(
            Quantity::Speed.check(f64::NAN).unwrap_err(),
            "NaN is not a finite number"
        );
        assert!(Quantity::Amount.check(f64::INFINITY).is_err());
        assert!(Quantity::Detour.check(0.9).is_err());
        assert_eq!(Quantity::Detour.check(1.0), Ok(1.0));
        assert_eq!(
            Quantity::Latitude.check(999.0).unwrap_err(),
            "999 is outside -90..90 (are lon and lat swapped?)"
        );
        assert_eq!(Quantity::Longitude.check(-180.0), Ok(-180.0));
        assert!(Quantity::Longitude.check(180.5).is_err());
        assert_eq!(Quantity::Hours.check_opt(None), Ok(None));
    }

    #[test]
    fn gauges_are_whole_positive_millimetres() {
        assert_eq!(gauge_mm(1520.0), Ok(1520));
        for bad in [0.0, 1435.5, -1.0, 70_000.0, f64::NAN] {
            assert!(gauge_mm(bad).is_err(), "{bad}");
        }
    }
}
