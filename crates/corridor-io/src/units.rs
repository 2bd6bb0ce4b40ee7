//! Units as planners write them, normalised to the model's fixed units:
//! capacities to tonnes per day, durations to hours, lengths to km, speeds
//! to km/h. Vehicle counts (`40 trains/day`) use the network's
//! [`Vehicles`] payloads. This module parses one value at a time; it knows
//! nothing of files or fields, so its errors name only the value and the
//! units it expected, and the readers add file, line and field. Ranges
//! (no negative capacity, no zero speed) are [`Quantity::check`]'s, the
//! same checks scenario edits and `Network::validate` apply.

use corridor_model::{Quantity, Vehicles};

const CAPACITY_UNITS: &str =
    "t/day, t/year, kt/year, Mt/year, trains/day, trucks/day, TEU/year, TEU/day, barges/day";
const HOURS_UNITS: &str = "h, min, d";
const KM_UNITS: &str = "km, m";
const SPEED_UNITS: &str = "km/h, kn";

/// Splits `"12.5 Mt/year"` into `(12.5, "Mt/year")`. The unit may follow the
/// number with or without a space.
fn split_number(s: &str) -> Result<(f64, &str), String> {
    let s = s.trim();
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    while i < b.len() {
        let c = b[i];
        let exponent = (c == b'e' || c == b'E')
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == b'-' || *n == b'+');
        if c.is_ascii_digit() || c == b'.' || c == b'_' || exponent {
            i += 1;
            if exponent && (b[i] == b'-' || b[i] == b'+') {
                i += 1;
            }
        } else {
            break;
        }
    }
    let (num, unit) = s.split_at(i);
    // Digit separators (`1_000`) are rare: copy only when there is one.
    let clean = if num.contains('_') {
        std::borrow::Cow::Owned(num.replace('_', ""))
    } else {
        std::borrow::Cow::Borrowed(num)
    };
    match clean.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok((x, unit.trim())),
        _ if s.is_empty() => Err("empty value (expected a number)".to_string()),
        _ => Err(format!("\"{s}\" is not a number")),
    }
}

/// A value of `quantity` as a file writes it: capacities, durations,
/// lengths, speeds and masses in planners' units, every other quantity as
/// a plain number. The range is [`Quantity::check`]'s, shared with scenario
/// edits and validation.
pub fn parse(quantity: Quantity, s: &str, v: &Vehicles) -> Result<f64, String> {
    match quantity {
        Quantity::Capacity => parse_capacity(s, v),
        Quantity::Speed => parse_speed(s),
        Quantity::Hours => parse_hours(s),
        Quantity::Length => parse_km(s),
        Quantity::Mass => parse_tonnes(s),
        Quantity::Amount
        | Quantity::Ratio
        | Quantity::Detour
        | Quantity::Latitude
        | Quantity::Longitude => quantity.check(parse_number(s)?),
    }
}

/// A bare number (money, factors, payloads). Unit text is refused so that
/// `"12 USD"` in a EUR network does not silently count as 12 EUR.
pub fn parse_number(s: &str) -> Result<f64, String> {
    let (x, unit) = split_number(s)?;
    if unit.is_empty() {
        Ok(x)
    } else {
        Err(format!("\"{}\" is not a plain number", s.trim()))
    }
}

/// A bare number that must be zero or more (costs, fees, CO2 factors).
pub fn parse_non_negative(s: &str) -> Result<f64, String> {
    Quantity::Amount.check(parse_number(s)?)
}

/// The number times its unit's `factor`, both the number as written and
/// the product checked (a huge number in a large unit can overflow).
fn scaled(quantity: Quantity, x: f64, factor: f64, s: &str) -> Result<f64, String> {
    quantity.check(x)?;
    let y = x * factor;
    if !y.is_finite() {
        // `1e308 Mt/year` parses as a number but comes to infinity (and a
        // `[vehicles]` payload of 1e308 makes `40 trains/day` do so).
        return Err(format!(
            "\"{}\" comes to {y} in Corridor's units (too large, or a [vehicles] figure makes it so)",
            s.trim()
        ));
    }
    quantity.check(y)
}

/// A capacity in tonnes per day. A bare number is already t/day.
pub fn parse_capacity(s: &str, v: &Vehicles) -> Result<f64, String> {
    let (x, unit) = split_number(s)?;
    if unit.is_empty() {
        return Quantity::Capacity.check(x);
    }
    let unknown = || format!("unknown unit \"{unit}\" (expected {CAPACITY_UNITS})");
    let lower = unit.to_ascii_lowercase().replace(' ', "");
    let (amount, per) = lower.split_once('/').ok_or_else(unknown)?;
    let tonnes = match amount {
        "t" | "tonne" | "tonnes" | "ton" | "tons" => 1.0,
        "kt" => 1e3,
        "mt" | "mmt" => 1e6,
        "train" | "trains" => v.train_payload_t,
        "truck" | "trucks" | "lorry" | "lorries" => v.truck_payload_t,
        "teu" | "teus" => v.teu_t,
        "barge" | "barges" => v.barge_payload_t,
        _ => return Err(unknown()),
    };
    let days = match per {
        "day" | "d" => 1.0,
        "year" | "yr" | "y" | "a" => v.days_per_year,
        "week" | "wk" => 7.0,
        _ => return Err(unknown()),
    };
    scaled(Quantity::Capacity, x, tonnes / days, s)
}

/// A duration in hours. A bare number is hours.
pub fn parse_hours(s: &str) -> Result<f64, String> {
    let (x, unit) = split_number(s)?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "h" | "hr" | "hrs" | "hour" | "hours" => 1.0,
        "min" | "mins" | "minute" | "minutes" => 1.0 / 60.0,
        "d" | "day" | "days" => 24.0,
        _ => {
            return Err(format!("unknown unit \"{unit}\" (expected {HOURS_UNITS})"));
        }
    };
    scaled(Quantity::Hours, x, factor, s)
}

/// A length in km. A bare number is km.
pub fn parse_km(s: &str) -> Result<f64, String> {
    let (x, unit) = split_number(s)?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "km" => 1.0,
        "m" => 1e-3,
        _ => return Err(format!("unknown unit \"{unit}\" (expected {KM_UNITS})")),
    };
    scaled(Quantity::Length, x, factor, s)
}

/// A speed in km/h. A bare number is km/h; `kn` (knots) suits sea links.
pub fn parse_speed(s: &str) -> Result<f64, String> {
    let (x, unit) = split_number(s)?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "km/h" | "kmh" | "kph" => 1.0,
        "kn" | "kt" | "knots" => 1.852,
        _ => {
            return Err(format!("unknown unit \"{unit}\" (expected {SPEED_UNITS})"));
        }
    };
    scaled(Quantity::Speed, x, factor, s)
}

/// A vehicle payload or other mass in tonnes; a bare number is tonnes.
pub fn parse_tonnes(s: &str) -> Result<f64, String> {
    let (x, unit) = split_number(s)?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "t" => 1.0,
        "kt" => 1e3,
        _ => return Err(format!("unknown unit \"{unit}\" (expected t, kt)")),
    };
    scaled(Quantity::Mass, x, factor, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn capacities_normalise_to_tonnes_per_day() {
        let v = Vehicles::default();
        let cases = [
            ("1000", 1000.0),
            ("1000 t/day", 1000.0),
            ("365 t/year", 1.0),
            ("3.65 kt/year", 10.0),
            ("12 Mt/year", 12e6 / 365.0),
            ("12Mt/year", 12e6 / 365.0),
            ("40 trains/day", 40.0 * v.train_payload_t),
            ("800 trucks/day", 800.0 * v.truck_payload_t),
            ("36500 TEU/year", 100.0 * v.teu_t),
            ("10 TEU/day", 10.0 * v.teu_t),
            ("3 barges/day", 3.0 * v.barge_payload_t),
            ("1_000 t/day", 1000.0),
            ("1e3", 1000.0),
        ];
        for (s, want) in cases {
            let got = parse_capacity(s, &v).unwrap();
            assert!(close(got, want), "{s}: {got} != {want}");
        }
    }

    #[test]
    fn payloads_come_from_the_network_vehicles() {
        let v = Vehicles {
            train_payload_t: 3700.0,
            ..Vehicles::default()
        };
        assert!(close(parse_capacity("2 trains/day", &v).unwrap(), 7400.0));
    }

    #[test]
    fn a_misspelt_unit_lists_the_expected_ones() {
        let e = parse_capacity("12 Mt/yaer", &Vehicles::default()).unwrap_err();
        assert_eq!(
            e,
            "unknown unit \"Mt/yaer\" (expected t/day, t/year, kt/year, Mt/year, trains/day, trucks/day, TEU/year, TEU/day, barges/day)"
        );
        assert!(parse_capacity("12 parsecs", &Vehicles::default()).is_err());
    }

    #[test]
    fn negative_and_non_numeric_capacities_are_refused() {
        let v = Vehicles::default();
        assert!(parse_capacity("-5", &v).unwrap_err().contains("negative"));
        assert!(
            parse_capacity("lots", &v)
                .unwrap_err()
                .contains("not a number")
        );
        assert!(parse_capacity("", &v).is_err());
    }

    #[test]
    fn durations_lengths_and_speeds() {
        assert!(close(parse_hours("30 h").unwrap(), 30.0));
        assert!(close(parse_hours("90 min").unwrap(), 1.5));
        assert!(close(parse_hours("2 d").unwrap(), 48.0));
        assert!(close(parse_hours("4.5").unwrap(), 4.5));
        assert!(
            parse_hours("3 weeks")
                .unwrap_err()
                .contains("expected h, min, d")
        );
        assert!(close(parse_km("250 m").unwrap(), 0.25));
        assert!(close(parse_km("12").unwrap(), 12.0));
        assert!(close(parse_speed("80 km/h").unwrap(), 80.0));
        assert!(close(parse_speed("10 kn").unwrap(), 18.52));
        assert!(parse_speed("0").is_err());
        assert!(parse_number("12 USD").is_err());
        assert!(parse_non_negative("-1").is_err());
        assert!(close(parse_tonnes("2 kt").unwrap(), 2000.0));
    }
}
