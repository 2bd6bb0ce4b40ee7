//! A skim's answer: the origin–destination matrix of route totals for one
//! tonne, one row per pair.

use serde::Serialize;

/// Every `from` × `to` pair in query order (origins outer), with the
/// commodity and objective the paths minimised.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SkimResult {
    pub commodity: String,
    pub minimize: String,
    pub rows: Vec<SkimRow>,
}

/// One pair's totals for one tonne, exactly what `route` reports for it.
/// An unreachable pair has every total `None` (an empty CSV cell, JSON
/// `null`) rather than an infinity a spreadsheet would read as a number.
/// A place paired with itself costs nothing (`route` refuses that pair).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SkimRow {
    pub from: String,
    pub to: String,
    /// Money, in the network's currency.
    pub cost: Option<f64>,
    pub hours: Option<f64>,
    pub km: Option<f64>,
    pub co2_kg: Option<f64>,
    /// The vessel class of the pair's sea legs (on sea lanes only): the
    /// best one the commodity may use for this pair, as `route` picks it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vessel: Option<String>,
}

impl SkimRow {
    pub fn reachable(&self) -> bool {
        self.cost.is_some()
    }
}
