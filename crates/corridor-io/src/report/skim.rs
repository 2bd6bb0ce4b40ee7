//! A skim as the CSV matrix demand and modal-split models read: one row
//! per origin–destination pair. The JSON is [`super::json`] of the result.

use super::assign::{csv_err, csv_text};
use crate::Result;
use corridor_model::results::SkimResult;

/// `from,to,cost,hours,km,co2_kg` for one tonne, origins outer in query
/// order; an unreachable pair has empty cells (never `inf`). On sea lanes
/// (some row names a vessel class) a last column `vessel`.
pub fn csv(r: &SkimResult) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let vessels = r.rows.iter().any(|row| row.vessel.is_some());
    let mut header = vec!["from", "to", "cost", "hours", "km", "co2_kg"];
    if vessels {
        header.push("vessel");
    }
    w.write_record(&header).map_err(csv_err)?;
    let num = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    for row in &r.rows {
        let mut record = vec![
            row.from.clone(),
            row.to.clone(),
            num(row.cost),
            num(row.hours),
            num(row.km),
            num(row.co2_kg),
        ];
        if vessels {
            record.push(row.vessel.clone().unwrap_or_default());
        }
        w.write_record(&record).map_err(csv_err)?;
    }
    csv_text(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::results::SkimRow;

    #[test]
    fn unreachable_pairs_are_empty_cells() {
        let row = |to: &str, x: Option<f64>| SkimRow {
            from: "a".into(),
            to: to.into(),
            cost: x,
            hours: x,
            km: x,
            co2_kg: x,
            vessel: None,
        };
        let r = SkimResult {
            commodity: "grain".into(),
            minimize: "cost".into(),
            rows: vec![row("b", Some(1.5)), row("c", None)],
        };
        assert_eq!(
            csv(&r).unwrap(),
            "from,to,cost,hours,km,co2_kg\na,b,1.5,1.5,1.5,1.5\na,c,,,,\n"
        );
    }
}
