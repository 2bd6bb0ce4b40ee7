//! `merge`'s report for people: inputs, renamed ids, the connector limits,
//! connectors by layer with their lengths, what was not joined (nearest
//! candidate first), land inputs no port joins to the sea, one-layer and
//! unconnected ports and terminals, and the merged counts; and the same as
//! CSV, one row per connector and per mode not joined, for a spreadsheet.
//! The JSON is [`super::json`] of the report.

use super::table::{Align, Table};
use crate::{Error, Result};
use corridor_model::Mode;
use corridor_model::results::MergeReport;
use std::collections::BTreeMap;

/// How many unconnected or unjoined ports and terminals the text names.
const MAX_LISTED: usize = 20;

/// Connector lengths are counted up to each of these km.
const BANDS_KM: [f64; 4] = [1.0, 5.0, 10.0, 20.0];

/// The readable report; `out` is where the merged network was written.
pub fn text(r: &MergeReport, out: &str) -> String {
    let mut s = String::new();
    for (label, n, l) in &r.inputs {
        s += &format!("input {label}: {n} nodes, {l} links\n");
    }
    if r.renamed > 0 {
        s += &format!(
            "{} ids clashed between inputs and were prefixed with the input label\n",
            r.renamed
        );
    }
    let lim = &r.limits;
    s += &format!(
        "connector limits: sea {} km, river {} km, rail {} km, road {} km\n",
        lim.sea_km, lim.river_km, lim.rail_km, lim.road_km
    );
    if let Some(km) = r.coast_km {
        s += &format!("sea connectors tested against land: at most {km} km of land each\n");
    }
    s += &joined_text(r);
    s += &over_land_text(r);
    s += &unjoined_text(r);
    for n in &r.no_sea {
        s += &format!(
            "input {} reaches no sea lane: no port joined to the sea is joined to it",
            n.input
        );
        if let (Some(p), Some(km)) = (&n.nearest_port, n.km) {
            s += &format!(" (nearest: {p}, {km:.1} km from its network)");
        }
        s += "\n";
    }
    if !r.not_freight.is_empty() {
        let n = r.not_freight.len();
        let first: Vec<&str> = r
            .not_freight
            .iter()
            .take(MAX_LISTED)
            .map(|s| s.as_str())
            .collect();
        s += &format!(
            "not freight ports (marinas, sailing clubs, passenger piers), kept off sea lanes and rivers: {n}: {}{}\n",
            first.join(", "),
            if n > MAX_LISTED { ", …" } else { "" }
        );
    }
    let mut one: BTreeMap<String, usize> = BTreeMap::new();
    for (_, l) in &r.one_layer {
        *one.entry(l.to_string()).or_default() += 1;
    }
    let one: Vec<String> = one.iter().map(|(l, n)| format!("{n} on {l}")).collect();
    if !one.is_empty() {
        s += &format!("one layer only (no transfer): {}\n", one.join(", "));
    }
    s += &format!(
        "unconnected: {} ports/terminals reached no layer\n",
        r.unconnected.len()
    );
    for (id, why) in r.unconnected.iter().take(MAX_LISTED) {
        s += &format!("  {id}: {why}\n");
    }
    if r.unconnected.len() > MAX_LISTED {
        s += &format!("  … and {} more\n", r.unconnected.len() - MAX_LISTED);
    }
    let m = &r.merged;
    s += &format!(
        "merged: {} nodes, {} links, {} terminals, {} borders; wrote {out}\n",
        m.nodes, m.links, m.terminals, m.borders
    );
    s
}

/// Connectors per layer, how many fall within each length band, the longest.
fn joined_text(r: &MergeReport) -> String {
    let mut by_layer: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for j in &r.joined {
        by_layer.entry(j.layer.to_string()).or_default().push(j.km);
    }
    let mut s = format!("joined: {} connectors\n", r.joined.len());
    if by_layer.is_empty() {
        return s;
    }
    let mut head = vec!["layer".to_string(), "joined".to_string()];
    head.extend(BANDS_KM.iter().map(|b| format!("<= {b} km")));
    head.push("longest km".into());
    let mut align = vec![Align::Left];
    align.extend([Align::Right; 6]);
    let mut t = Table::new(&align).header(head);
    for (layer, kms) in &by_layer {
        let mut row = vec![layer.clone(), kms.len().to_string()];
        row.extend(
            BANDS_KM
                .iter()
                .map(|&b| kms.iter().filter(|&&k| k <= b).count().to_string()),
        );
        row.push(format!("{:.1}", kms.iter().copied().fold(0.0, f64::max)));
        t.row(row);
    }
    s += &t.render("  ");
    s
}

/// Sea connectors refused over land: how many, and the nearest few with
/// what was joined instead.
fn over_land_text(r: &MergeReport) -> String {
    if r.over_land.is_empty() {
        return String::new();
    }
    let water = r.over_land.iter().filter(|o| o.along_water).count();
    let straight = r
        .over_land
        .iter()
        .filter(|o| o.joined_km.is_some() && !o.along_water)
        .count();
    let mut s = format!(
        "sea connectors refused over land: {} ({water} joined along water, {straight} a farther lane point in a straight line)\n",
        r.over_land.len()
    );
    let mut t = Table::new(&[
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Left,
    ])
    .header(["node", "name", "lane", "km", "joined km", "joined"]);
    for o in r.over_land.iter().take(MAX_LISTED) {
        let how = match (o.joined_km, o.along_water) {
            (None, _) => "-",
            (Some(_), true) => "along water",
            (Some(_), false) => "straight",
        };
        t.row([
            o.node.clone(),
            o.name.clone(),
            o.lane.clone(),
            format!("{:.1}", o.km),
            o.joined_km.map(|k| format!("{k:.1}")).unwrap_or("-".into()),
            how.to_string(),
        ]);
    }
    s += &t.render("  ");
    if r.over_land.len() > MAX_LISTED {
        s += &format!(
            "  … and {} more (all in the report file)\n",
            r.over_land.len() - MAX_LISTED
        );
    }
    s
}

/// Modes not joined: counts per mode and the nearest few.
fn unjoined_text(r: &MergeReport) -> String {
    if r.unjoined.is_empty() && r.far_from_land.is_empty() {
        return String::new();
    }
    let mut by_mode: BTreeMap<String, usize> = BTreeMap::new();
    for u in &r.unjoined {
        *by_mode.entry(u.mode.to_string()).or_default() += 1;
    }
    let counts: Vec<String> = by_mode.iter().map(|(m, n)| format!("{n} to {m}")).collect();
    let mut s = format!(
        "not joined (nearest candidate beyond the limit, or a sea lane only over land): {}\n",
        counts.join(", ")
    );
    for (m, n) in &r.far_from_land {
        s += &format!("  {n} more beyond 10 times the {m} limit (outside that layer's area)\n");
    }
    let mut t = Table::new(&[
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Left,
    ])
    .header(["node", "name", "mode", "nearest", "km", "why"]);
    for u in r.unjoined.iter().take(MAX_LISTED) {
        let over_land = u.mode == Mode::Sea && r.over_land.iter().any(|o| o.node == u.node);
        t.row([
            u.node.clone(),
            u.name.clone(),
            u.mode.to_string(),
            u.nearest.clone().unwrap_or_default(),
            u.nearest_km.map(|k| format!("{k:.1}")).unwrap_or_default(),
            if over_land {
                "over land"
            } else {
                "beyond the limit"
            }
            .to_string(),
        ]);
    }
    s += &t.render("  ");
    if r.unjoined.len() > MAX_LISTED {
        s += &format!(
            "  … and {} more (all in the report file)\n",
            r.unjoined.len() - MAX_LISTED
        );
    }
    s
}

/// One row per connector (`status` joined, or along_water for one that
/// follows the water round land, `to` its vertex, `km` its length; the
/// port's over_land row gives the straight km refused), per mode a port or terminal did not get (`status`
/// unjoined, `to` the nearest candidate, `km` its distance) and per sea
/// connector refused because it crosses land (`status` over_land, `to`
/// the lane, `km` the refused length), with the limit that applied:
/// `node,name,status,layer,to,km,limit_km`.
pub fn csv(r: &MergeReport) -> Result<String> {
    let err = |e: csv::Error| Error::Report(format!("cannot write CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["node", "name", "status", "layer", "to", "km", "limit_km"])
        .map_err(err)?;
    for j in &r.joined {
        let limit = r.limits.km(j.layer.mode).to_string();
        let status = if j.straight_km.is_some() {
            "along_water"
        } else {
            "joined"
        };
        w.write_record([
            j.node.as_str(),
            &j.name,
            status,
            &j.layer.to_string(),
            &j.to,
            &format!("{:.3}", j.km),
            &limit,
        ])
        .map_err(err)?;
    }
    for u in &r.unjoined {
        w.write_record([
            u.node.as_str(),
            &u.name,
            "unjoined",
            u.mode.as_str(),
            u.nearest.as_deref().unwrap_or(""),
            &u.nearest_km.map(|k| format!("{k:.3}")).unwrap_or_default(),
            &u.limit_km.to_string(),
        ])
        .map_err(err)?;
    }
    for o in &r.over_land {
        w.write_record([
            o.node.as_str(),
            &o.name,
            "over_land",
            "sea",
            &o.lane,
            &format!("{:.3}", o.km),
            &r.limits.sea_km.to_string(),
        ])
        .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Report(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Report(format!("cannot write CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use corridor_model::results::{OverLand, Unjoined};

    /// A port whose nearest lane lies within the limit but behind land is
    /// listed as not joined "over land", not as beyond the limit.
    #[test]
    fn a_lane_refused_over_land_is_not_called_beyond_the_limit() {
        let unjoined = |node: &str, mode, km| Unjoined {
            node: node.into(),
            name: node.into(),
            mode,
            nearest: Some("lane".into()),
            nearest_km: Some(km),
            limit_km: 100.0,
        };
        let r = MergeReport {
            unjoined: vec![
                unjoined("THBKK", Mode::Sea, 21.4),
                unjoined("XXFAR", Mode::Sea, 140.0),
            ],
            over_land: vec![OverLand {
                node: "THBKK".into(),
                name: "THBKK".into(),
                lane: "lane".into(),
                km: 21.4,
                joined_km: None,
                along_water: false,
            }],
            ..MergeReport::default()
        };
        let text = unjoined_text(&r);
        let row = |id: &str| {
            text.lines()
                .find(|l| l.contains(id))
                .unwrap()
                .trim_end()
                .to_string()
        };
        assert!(row("THBKK").ends_with("over land"), "{text}");
        assert!(row("XXFAR").ends_with("beyond the limit"), "{text}");
    }
}
