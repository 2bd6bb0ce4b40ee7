//! The standard track gauge of a country, for rail ways that carry no
//! `gauge` tag: untagged track in Russia is Russian gauge, not 1435 mm.
//!
//! It is a table keyed on ISO 3166-1 alpha-2 codes and nothing else; which
//! country a way lies in is the importer's question (`build/ways.rs`), and
//! `--default-gauge` overrides the table altogether. The figures and their
//! sources are listed in `docs/defaults.md` ("Track gauge by country").
//! Countries whose main network is split between gauges of similar length
//! (Australia, Brazil, Tanzania) are left out, so their untagged track takes
//! the 1435 mm fallback with the same warning as everywhere.

/// 1520 mm, the former Soviet Union and Mongolia.
const RUSSIAN: [&str; 16] = [
    "RU", "BY", "UA", "MD", "LT", "LV", "EE", "GE", "AM", "AZ", "KZ", "UZ", "TM", "KG", "TJ", "MN",
];
/// 1067 mm (3 ft 6 in), "Cape gauge".
const CAPE: [&str; 14] = [
    "JP", "ZA", "NZ", "ID", "TW", "AO", "BW", "NA", "MZ", "ZM", "ZW", "MW", "GH", "SD",
];
/// 1000 mm, metre gauge.
const METRE: [&str; 8] = ["VN", "TH", "MY", "MM", "KH", "BO", "KE", "UG"];

/// Gauge used where the country is unknown or has no entry, mm.
pub const FALLBACK_GAUGE_MM: u16 = 1435;

/// The standard gauge of the country `alpha2`, mm (`None`: not listed,
/// the caller falls back to 1435).
pub fn standard_gauge_mm(alpha2: &str) -> Option<u16> {
    Some(match alpha2 {
        "FI" => 1524,
        "ES" | "PT" => 1668,
        "IE" => 1600,
        "IN" | "PK" | "BD" | "LK" | "AR" | "CL" => 1676,
        c if RUSSIAN.contains(&c) => 1520,
        c if CAPE.contains(&c) => 1067,
        c if METRE.contains(&c) => 1000,
        _ => return None,
    })
}

/// The gauge an untagged way takes: the override if given, else the
/// country's standard gauge, else 1435 mm.
pub fn untagged_gauge_mm(country: Option<&str>, override_mm: Option<u16>) -> u16 {
    override_mm
        .or_else(|| country.and_then(standard_gauge_mm))
        .unwrap_or(FALLBACK_GAUGE_MM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_take_their_standard_gauge() {
        for (c, g) in [
            ("RU", 1520),
            ("UA", 1520),
            ("LT", 1520),
            ("FI", 1524),
            ("ES", 1668),
            ("PT", 1668),
            ("JP", 1067),
            ("ZA", 1067),
            ("IN", 1676),
            ("VN", 1000),
        ] {
            assert_eq!(untagged_gauge_mm(Some(c), None), g, "{c}");
        }
        assert_eq!(untagged_gauge_mm(Some("PL"), None), 1435);
        assert_eq!(untagged_gauge_mm(None, None), 1435);
        assert_eq!(untagged_gauge_mm(Some("RU"), Some(1435)), 1435);
    }
}
