//! Result writers: every command's answer (a `corridor_model::results`
//! type) as a text table, JSON, GeoJSON or CSV, one file per kind of
//! result. The CLI prints what these return; a server or a notebook calls
//! the same functions, so each face shows the same bytes.
//!
//! JSON is always [`json`]: `serde_json::to_string_pretty` of the result.
//! Text tables all go through [`table::Table`]; CSV through the `csv`
//! crate. These functions build strings; writing them (atomically) is the
//! caller's business.

pub mod assign;
pub mod capacity;
pub mod check;
pub mod compare;
pub mod criticality;
pub mod import;
pub mod info;
pub mod invest;
pub mod merge;
pub mod optimise;
pub mod route;
pub mod skim;
pub mod sweep;
pub mod table;

use serde::Serialize;

/// A result as the JSON every face prints.
pub fn json<T: Serialize + ?Sized>(result: &T) -> serde_json::Result<String> {
    serde_json::to_string_pretty(result)
}

/// `12345.678` as `12,346`; values below 100 keep two decimals.
pub fn thousands(x: f64) -> String {
    if x.abs() < 100.0 {
        return format!("{x:.2}");
    }
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

/// Numbers without noise: integers plain, others to 2 decimals.
pub fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_planners_write_them() {
        assert_eq!(thousands(137774.4), "137,774");
        assert_eq!(thousands(-1234.0), "-1,234");
        assert_eq!(thousands(12.345), "12.35");
        assert_eq!(plain(3.0), "3");
        assert_eq!(plain(1.5), "1.50");
    }
}
